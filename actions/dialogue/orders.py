import asyncio
from datetime import datetime, timezone
from functools import lru_cache, partial
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.dialogue.tracker_reading import changed_slots, latest_entity, latest_intent, latest_metadata, user_intents
from actions.identity import IdentityError, TokenSettings, mask_email, postcode_in, verified_customer
from actions.deadlines import Place
from actions.order_answers import order_status
from actions.return_answers import return_status
from actions.orders_client import INVALID, NOT_FOUND, TOO_MANY_ATTEMPTS, Order, OrdersClient, OrdersError
from actions.settings import SETTINGS

ASK_ORDER_ID = "ask_order_id"
CHOOSE_ORDER = "choose_order"
ASK_VERIFICATION = "ask_verification"
VERIFICATION_LOCKED = "verification_locked"
# Failed verifications in one conversation before the assistant stops trying (the backend
# also stops after as many per order number per hour).
MAX_VERIFICATION_FAILURES = 5
ORDER_TOPICS = ("track_order", "shipping_time", "order_late", "order_not_confirmed")
RETURN_TOPICS = ("return_item", "return_label", "return_deadline", "return_status", "refund_status")
ANSWER_SLOTS = (
    "order_item", "order_placed_when", "order_confirmed_when", "order_email_by", "order_decline_reason",
    "order_ship_by", "order_ship_reasons", "order_carrier", "order_tracking_url", "order_shipped_when",
    "order_delivered_when", "order_delivery_estimate", "order_last_event",
    "return_help_when", "return_outreach_by", "return_label_url", "return_label_valid_until",
    "return_label_expired_when", "return_carrier", "return_shipped_when", "return_tracking_url",
    "return_received_when", "refund_amount", "refunded_when",
)
SUPPORT = Place(SETTINGS.support_country, SETTINGS.support_timezone)
TOKENS = TokenSettings(SETTINGS.customer_token_audience, SETTINGS.customer_token_secret,
                       SETTINGS.customer_token_public_key)
# How many of a logged-in customer's orders are offered as buttons.
ORDER_CHOICES = 3


@lru_cache(maxsize=1)
def orders_client() -> OrdersClient:
    return OrdersClient(SETTINGS.orders_api_url, SETTINGS.orders_api_token, SETTINGS.orders_api_timeout_s)


async def off_loop(function, *args, **kwargs):
    """Runs a (blocking, requests-based) client call in a worker thread, keeping the action
    server's event loop free for other conversations."""
    return await asyncio.get_running_loop().run_in_executor(None, partial(function, *args, **kwargs))


async def fetch_order(number: Text) -> Order:
    return await off_loop(orders_client().order, number)


async def fetch_visible_order(tracker: Tracker) -> Optional[Order]:
    """The conversation's order if this customer may see it: logged in as its owner, or
    verified by its e-mail or postcode; None otherwise. Raises OrdersError when the backend
    can't say. Every action but action_order_status (which asks for the proof) uses this."""
    number = tracker.get_slot("order_id")
    customer = logged_in_customer(tracker)
    if not number or (not customer and tracker.get_slot("verified_order") != number):
        return None
    order = await fetch_order(number)
    return None if customer and order.customer_id != customer else order


def logged_in_customer(tracker: Tracker) -> Optional[Text]:
    """The customer id from the website's signed token; None when absent or untrustworthy."""
    try:
        return verified_customer(latest_metadata(tracker).get("customer_token"), TOKENS)
    except IdentityError:
        return None


def latest_topic(tracker: Tracker, topics) -> Optional[Text]:
    return next((i for i in reversed(user_intents(tracker)) if i in topics), None)


class ActionOrderStatus(Action):
    """Answers a question about the customer's order or return, asking for its number first
    when needed; utter_order_status says it (one wording per situation)."""

    def name(self) -> Text:
        return "action_order_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        topic = latest_topic(tracker, ORDER_TOPICS + RETURN_TOPICS) or "track_order"
        intent = latest_intent(tracker)
        asking = (tracker.get_slot("order_situation") or "").startswith((ASK_ORDER_ID, CHOOSE_ORDER, ASK_VERIFICATION))
        number = tracker.get_slot("order_id")
        customer = logged_in_customer(tracker)
        lookup, values, extra = None, {}, {}
        try:
            if intent == "deny":
                situation = "general" if asking else "nothing_more"
            elif not number and customer:
                situation, number, extra = await self._choose(customer)
            elif not number:
                situation = ASK_ORDER_ID
                # Something that was meant as an order number but is not one.
                lookup = "invalid" if asking and intent == "inform" else None
            if number and intent != "deny" and not customer and tracker.get_slot("verified_order") != number:
                # Anonymous: nothing about the order before the customer shows it is theirs.
                situation, lookup, verification = await self._verify(tracker, number)
                extra.update(verification)
                if situation is not None:
                    number = None
            if number and intent != "deny":
                order = await fetch_order(number)
                if customer and order.customer_id != customer:
                    raise OrdersError(NOT_FOUND, "another customer's order")
                now = datetime.now(timezone.utc)
                answer = (return_status(order, topic, now, SUPPORT) if topic in RETURN_TOPICS
                          else order_status(order, topic, now))
                situation, values = answer.situation, answer.values
                extra["order_id"] = number
        except OrdersError as error:
            if error.kind in (NOT_FOUND, INVALID):
                # Same answer whether the order does not exist or is someone else's.
                situation, lookup = ASK_ORDER_ID, error.kind
                extra["order_id"] = None
            else:
                situation = "unavailable"
        return changed_slots(tracker, {
            **extra, "order_situation": situation, "order_topic": topic, "order_lookup": lookup,
            **{slot: values.get(slot) for slot in ANSWER_SLOTS}})

    @staticmethod
    async def _verify(tracker: Tracker, number: Text):
        """(situation, lookup, slots): situation None when the customer is verified."""
        failures = int(tracker.get_slot("verification_failures") or 0)
        if failures >= MAX_VERIFICATION_FAILURES:
            return VERIFICATION_LOCKED, None, {}
        email = latest_entity(tracker, "email")
        postcode = None if email else postcode_in(tracker.latest_message.get("text"))
        if not email and not postcode:
            return ASK_VERIFICATION, None, {}
        try:
            verified = await off_loop(orders_client().verify, number, email=email, postcode=postcode)
        except OrdersError as error:
            if error.kind == TOO_MANY_ATTEMPTS:
                return VERIFICATION_LOCKED, None, {}
            raise
        if verified:
            return None, None, {"verified_order": number}
        failures += 1
        slots = {"verification_failures": float(failures), "masked_email": mask_email(email)}
        if failures >= MAX_VERIFICATION_FAILURES:
            return VERIFICATION_LOCKED, None, slots
        return ASK_VERIFICATION, "mismatch_email" if email else "mismatch", slots

    @staticmethod
    async def _choose(customer: Text):
        """A logged-in customer without an order number: their only order, or a choice."""
        orders = (await off_loop(orders_client().customer_orders, customer))[:ORDER_CHOICES]
        if len(orders) == 1:
            return None, orders[0].number, {}
        if not orders:
            return ASK_ORDER_ID, None, {}
        choices = {}
        for index in range(ORDER_CHOICES):
            order = orders[index] if index < len(orders) else None
            choices[f"choice_{index + 1}"] = order.number if order else None
            choices[f"choice_{index + 1}_item"] = ", ".join(order.item_names) if order else None
        return f"{CHOOSE_ORDER}_{len(orders)}", None, choices
