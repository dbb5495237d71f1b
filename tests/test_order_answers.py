"""What to say about an order, decided in plain Python at a fixed moment."""
from dataclasses import replace
from datetime import datetime, timedelta, timezone


from actions.order_answers import order_status
from actions.situations import Situation
from actions.orders_client import Item, Order, Seller, Shipment, TrackingEvent

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=timezone.utc)  # Wednesday, 11:00 in Paris
PARIS = Seller("ReNew Paris", "FR", None, "Europe/Paris")


def order(**changes) -> Order:
    base = Order(number="40512345", customer_id="c", customer_timezone="Europe/Paris", customer_locale="en_GB",
                 placed_at=NOW - timedelta(hours=2), confirmed_at=NOW - timedelta(hours=2), payment_state="authorised",
                 decline_reason=None, confirmation_email_sent_at=NOW - timedelta(hours=2), seller=PARIS,
                 items=(Item("MacBook Air 13", "laptop", False),), shipment=None, returns=())
    return replace(base, **changes)


def shipment(**changes) -> Shipment:
    base = Shipment("UPS", "1Z", "https://ups.example/1Z", NOW - timedelta(days=1), NOW + timedelta(days=1), None,
                    (TrackingEvent(NOW - timedelta(hours=3), "In transit", "Lyon"),))
    return replace(base, **changes)


def test_payment_pending_within_30_minutes():
    answer = order_status(order(payment_state="pending", confirmed_at=None, placed_at=NOW - timedelta(minutes=10)),
                          "track_order", NOW)
    assert answer.situation == Situation.PAYMENT_PENDING
    assert answer.values["order_email_by"] == "by today at 11:20"


def test_payment_pending_for_longer():
    answer = order_status(order(payment_state="pending", confirmed_at=None, placed_at=NOW - timedelta(hours=3)),
                          "order_not_confirmed", NOW)
    assert answer.situation == Situation.PAYMENT_OVERDUE


def test_declined_with_the_reason():
    answer = order_status(order(payment_state="declined", confirmed_at=None, decline_reason="card expired"),
                          "track_order", NOW)
    assert (answer.situation, answer.values["order_decline_reason"]) == (Situation.PAYMENT_DECLINED, "card expired")


def test_asked_about_confirmation_of_a_confirmed_order():
    assert order_status(order(), "order_not_confirmed", NOW).situation == Situation.CONFIRMED


def test_not_shipped_yet_with_the_deadline_and_why():
    answer = order_status(order(), "shipping_time", NOW)  # confirmed 09:00 Paris, before 1 PM
    assert answer.situation == Situation.AWAITING_SHIPMENT
    assert answer.values["order_ship_by"] == "by the end of today"
    assert answer.values["order_ship_reasons"] == "confirmed by 13:00 on Wednesday, so that day counts"


def test_not_shipped_after_the_deadline():
    # confirmed on Sunday 22 November: counting starts on Monday, which has passed
    answer = order_status(order(confirmed_at=NOW - timedelta(days=3)), "order_late", NOW)
    assert answer.situation == Situation.SHIPPING_OVERDUE
    assert answer.values["order_ship_by"] == "by the end of Monday, 23 November"
    assert answer.values["order_ship_reasons"] == "confirmed on Sunday, a weekend day"


def test_large_device_deadline():
    answer = order_status(order(items=(Item("TV", "tv", True),)), "shipping_time", NOW)
    assert answer.values["order_ship_by"] == "by the end of tomorrow"
    assert "large devices ship within 2 business days" in answer.values["order_ship_reasons"]


def test_in_transit_with_estimate_and_latest_event():
    answer = order_status(order(shipment=shipment()), "track_order", NOW)
    assert answer.situation == Situation.IN_TRANSIT
    assert answer.values["order_delivery_estimate"] == "tomorrow"
    assert answer.values["order_last_event"] == "In transit, Lyon (today at 08:00)"
    assert answer.values["order_tracking_url"] == "https://ups.example/1Z"


def test_in_transit_without_estimate_or_events():
    answer = order_status(order(shipment=shipment(estimated_delivery_at=None, events=())), "track_order", NOW)
    assert answer.situation == Situation.IN_TRANSIT_UNDATED
    assert answer.values["order_last_event"] == "no tracking update yet"


def test_delivery_overdue():
    late = shipment(estimated_delivery_at=NOW - timedelta(days=2))
    assert order_status(order(shipment=late), "order_late", NOW).situation == Situation.DELIVERY_OVERDUE


def test_delivered():
    done = shipment(delivered_at=NOW - timedelta(days=1))
    answer = order_status(order(shipment=done), "track_order", NOW)
    assert (answer.situation, answer.values["order_delivered_when"]) == (Situation.DELIVERED, "yesterday at 11:00")
