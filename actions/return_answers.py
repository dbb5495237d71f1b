"""What to tell a customer about their return: the situation and the facts to say.

Plain Python, like actions/order_answers.py: the order (with its latest return), the
question and the time in; a situation for utter_order_status and its values out.
"""
from datetime import datetime
from typing import Optional

from babel.numbers import format_currency

from actions.date_wording import DateWording, Reader
from actions.deadlines import Place, label_outreach_by, return_label_valid_until
from actions.order_answers import Answer, item_names, order_reader
from actions.orders_client import Order
from actions.situations import Situation

def return_status(order: Order, topic: str, now: datetime, support: Place, reader: Optional[Reader] = None) -> Answer:
    """The return's status in the reader's time zone and locale (default: the order's). Support
    issues labels and handles returns, so a time of day names its zone when the reader's clock
    differs from support's. The label's days are still counted where the order's customer is."""
    reader = reader or order_reader(order)
    words = DateWording.for_reader(now, reader, support.timezone)
    values = {"order_item": item_names(order, reader.locale)}
    ret = order.latest_return
    if ret is None:
        return Answer(Situation.NO_RETURN, values)
    values["return_help_when"] = words.when(ret.help_requested_at)

    if ret.received_at:
        values["return_received_when"] = words.when(ret.received_at)
        if ret.refund_state == "refunded":
            amount = (format_currency(ret.refund_amount, ret.refund_currency, locale=reader.locale)
                      if ret.refund_amount is not None and ret.refund_currency else None)
            return Answer(Situation.REFUNDED, {**values, "refund_amount": amount,
                                     "refunded_when": words.when(ret.refunded_at) if ret.refunded_at else None})
        return Answer(Situation.RETURN_RECEIVED, values)

    if ret.shipped_at:
        return Answer(Situation.RETURN_IN_TRANSIT, {**values, "return_carrier": ret.carrier,
                                          "return_shipped_when": words.when(ret.shipped_at),
                                          "return_tracking_url": ret.tracking_url})

    if ret.label_issued_at is None:
        outreach = label_outreach_by(ret.help_requested_at, support)
        return Answer(Situation.LABEL_PENDING, {**values, "return_outreach_by": words.by(outreach)})

    valid = return_label_valid_until(ret.help_requested_at, order.customer_timezone)
    values.update(return_carrier=ret.carrier, return_label_url=ret.label_url)
    if valid.passed(now):
        return Answer(Situation.LABEL_EXPIRED, {**values, "return_label_expired_when": words.when(valid.at)})
    return Answer(Situation.LABEL_READY, {**values, "return_label_valid_until": words.until(valid)})


def sent_back(order: Order) -> bool:
    """Whether the customer has sent the item back (a return on its way, received or refunded):
    from then on the return, not the delivery, is where the order stands."""
    ret = order.latest_return
    return ret is not None and bool(ret.shipped_at or ret.received_at)


def checklist_facts(order: Order) -> dict:
    """What the return checklist says about this customer's own return (empty when none)."""
    facts = {"device": order.items[0].name if order.items else None}
    ret = order.latest_return
    if ret is None:
        return facts
    facts["return_reason"] = ret.reason
    if ret.carrier:
        facts.update(return_carrier=ret.carrier, carrier_option="pickup" if ret.pickup_offered else "dropoff")
    return facts
