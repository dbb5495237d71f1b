"""What to say about a return, decided in plain Python at a fixed moment."""
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from decimal import Decimal

from actions.deadlines import Place
from actions.orders_client import Item, Order, Return, Seller
from actions.return_answers import checklist_facts, return_status, sent_back
from actions.situations import Situation

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=timezone.utc)  # Wednesday, 11:00 in Paris
SUPPORT = Place("FR", "Europe/Paris")


def ret(**changes) -> Return:
    base = Return(reason="repair", help_requested_at=NOW - timedelta(days=3), label_issued_at=NOW - timedelta(days=3),
                  label_url="https://labels.example/1.pdf", carrier="DHL", pickup_offered=True, tracking_number=None,
                  tracking_url=None, shipped_at=None, received_at=None, refund_state="none", refund_amount=None,
                  refund_currency=None, refunded_at=None)
    return replace(base, **changes)


def order(*returns) -> Order:
    return Order(number="40512360", customer_id="c", customer_timezone="Europe/Paris", customer_locale="en_GB",
                 placed_at=NOW - timedelta(days=20), confirmed_at=NOW - timedelta(days=20), payment_state="authorised",
                 decline_reason=None, confirmation_email_sent_at=None, seller=Seller("S", "FR", None, "Europe/Paris"),
                 items=(Item("iPhone 12 64GB", "smartphone", False),), shipment=None, returns=returns)


def test_no_return_yet():
    assert return_status(order(), "return_label", NOW, SUPPORT).situation == Situation.NO_RETURN


def test_label_ready_with_its_validity():
    answer = return_status(order(ret()), "return_label", NOW, SUPPORT)
    assert answer.situation == Situation.LABEL_READY
    assert answer.values["return_label_url"] == "https://labels.example/1.pdf"
    # asked 3 days ago at 11:00 Paris: valid 14 days, until 11:00 on 6 December
    assert answer.values["return_label_valid_until"] == "until Sunday, 6 December at 11:00, 11 days from now"


def test_label_expired_after_14_days():
    expired = ret(help_requested_at=NOW - timedelta(days=15), label_issued_at=NOW - timedelta(days=15))
    answer = return_status(order(expired), "return_deadline", NOW, SUPPORT)
    assert answer.situation == Situation.LABEL_EXPIRED
    assert answer.values["return_label_expired_when"] == "yesterday at 11:00"


def test_no_label_issued_support_reaches_out_within_a_business_day():
    pending = ret(help_requested_at=NOW - timedelta(hours=2), label_issued_at=None, label_url=None, carrier=None)
    answer = return_status(order(pending), "return_label", NOW, SUPPORT)
    assert (answer.situation, answer.values["return_outreach_by"]) == (Situation.LABEL_PENDING, "by the end of tomorrow")


def test_on_its_way_received_refunded():
    sent = ret(shipped_at=NOW - timedelta(days=1), tracking_url="https://track/1")
    assert return_status(order(sent), "return_status", NOW, SUPPORT).situation == Situation.RETURN_IN_TRANSIT
    received = replace(sent, received_at=NOW - timedelta(hours=5), refund_state="pending")
    assert return_status(order(received), "refund_status", NOW, SUPPORT).situation == Situation.RETURN_RECEIVED
    refunded = replace(received, refund_state="refunded", refund_amount=Decimal("349.00"), refund_currency="EUR",
                       refunded_at=NOW - timedelta(hours=1))
    answer = return_status(order(refunded), "refund_status", NOW, SUPPORT)
    assert (answer.situation, answer.values["refund_amount"]) == (Situation.REFUNDED, "€349.00")


def test_checklist_facts_from_the_customers_return():
    assert checklist_facts(order(ret())) == {"device": "iPhone 12 64GB", "return_reason": "repair",
                                             "return_carrier": "DHL", "carrier_option": "pickup"}
    assert checklist_facts(order(ret(carrier="UPS", pickup_offered=False)))["carrier_option"] == "dropoff"
    assert checklist_facts(order()) == {"device": "iPhone 12 64GB"}



def test_an_item_is_sent_back_once_its_return_has_left():
    assert not sent_back(order()) and not sent_back(order(ret()))
    assert sent_back(order(ret(shipped_at=NOW - timedelta(days=1))))
    assert sent_back(order(ret(shipped_at=NOW - timedelta(days=3), received_at=NOW - timedelta(days=1))))
