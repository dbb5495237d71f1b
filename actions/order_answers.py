"""What to tell a customer about their order: the situation and the facts to say.

Plain Python: an Order from the backend, the customer's question and the time in; a
Situation (which wording of utter_order_status in domain.yml to use) and the values
for its {placeholders} out. Dates come from actions/deadlines.py only.
"""
from dataclasses import dataclass, field
from datetime import datetime
from typing import Dict, Optional

from babel.lists import format_list

from actions.date_wording import DateWording, Reader
from actions.deadlines import Place, confirmation_email_by, ship_by
from actions.orders_client import Order
from actions.situations import Situation

@dataclass(frozen=True)
class Answer:
    situation: Situation
    values: Dict[str, Optional[str]] = field(default_factory=dict)


def item_names(order: Order, locale: str = "en_GB") -> str:
    """"iPhone 12", "iPhone 12 and AirPods Pro", as the reader's language lists things (CLDR)."""
    return format_list([item.name for item in order.items], locale=locale)


def card_dates(order: Order, words: DateWording) -> Dict[str, str]:
    """The days an order card shows under its steps ("" for a step not reached; delivery's is
    the carrier's estimate until it is delivered)."""
    shipment = order.shipment
    arrives = (shipment.delivered_at or shipment.estimated_delivery_at) if shipment else None
    return {"card_ordered_on": words.short(order.placed_at),
            "card_confirmed_on": words.short(order.confirmed_at) if order.confirmed_at else "",
            "card_shipped_on": words.short(shipment.shipped_at) if shipment else "",
            "card_delivered_on": words.short(arrives) if arrives else ""}


def order_reader(order: Order) -> Reader:
    """Who reads answers about the order when their browser sent nothing usable: its customer."""
    return Reader(order.customer_timezone, order.customer_locale)


def order_status(order: Order, topic: str, now: datetime, reader: Optional[Reader] = None) -> Answer:
    """The order's status for a question about tracking, shipping, lateness or confirmation,
    in the reader's time zone and locale (default: the order's), a time of day naming its zone
    when the reader's clock differs from the seller's."""
    reader = reader or order_reader(order)
    words = DateWording.for_reader(now, reader, order.seller.timezone)
    values = {"order_item": item_names(order, reader.locale), "order_placed_when": words.when(order.placed_at)}

    if order.payment_state == "declined":
        return Answer(Situation.PAYMENT_DECLINED, {**values, "order_decline_reason": order.decline_reason})
    if order.payment_state == "pending" or order.confirmed_at is None:
        email_by = confirmation_email_by(order.placed_at)
        situation = Situation.PAYMENT_OVERDUE if email_by.passed(now) else Situation.PAYMENT_PENDING
        return Answer(situation, {**values, "order_email_by": words.by(email_by)})

    values["order_confirmed_when"] = words.when(order.confirmed_at)
    if topic == "order_not_confirmed":
        return Answer(Situation.CONFIRMED, values)

    values.update(card_dates(order, words))
    shipment = order.shipment
    if shipment is None:
        seller = Place(order.seller.country, order.seller.timezone, order.seller.subdivision)
        deadline = ship_by(order.confirmed_at, seller, large_device=order.large_device)
        values.update(order_ship_by=words.by(deadline), order_ship_reasons=words.reasons(deadline))
        return Answer(Situation.SHIPPING_OVERDUE if deadline.passed(now) else Situation.AWAITING_SHIPMENT, values)

    values.update(order_carrier=shipment.carrier, order_tracking_url=shipment.tracking_url,
                  order_shipped_when=words.when(shipment.shipped_at))
    if shipment.delivered_at:
        return Answer(Situation.DELIVERED, {**values, "order_delivered_when": words.when(shipment.delivered_at)})
    latest = shipment.events[-1] if shipment.events else None
    values["order_last_event"] = words.tracking_event(latest.status, latest.location, latest.at) if latest \
        else words.phrases["no_tracking_update"]
    estimate = shipment.estimated_delivery_at
    if estimate and estimate <= now:
        return Answer(Situation.DELIVERY_OVERDUE, {**values, "order_delivery_estimate": words.when(estimate)})
    if estimate is None:
        return Answer(Situation.IN_TRANSIT_UNDATED, values)
    values["order_delivery_estimate"] = words.day(estimate.astimezone(words.zone).date())
    return Answer(Situation.IN_TRANSIT, values)
