"""What the order actions share: the conversation's facts read from the tracker, and the
backend calls the order conversation asks for, made off the event loop."""
import asyncio
from dataclasses import replace
from functools import lru_cache, partial
from typing import Optional, Text, Tuple

from rasa_sdk import Tracker

from actions import checklist
from actions.dialogue.tracker_reading import (
    latest_entities, latest_entity, latest_intent, latest_metadata, offered_payloads, previous_action,
)
from actions.identity import IdentityError, TokenSettings, verified_customer
from common.identifiers import ORDER_NUMBER
from actions.order_conversation import (
    LIST_ORDERS, PROOF, VERIFY, WHICH_ORDER, Facts, Meant, Step, may_see, order_meant, question_of,
)
from actions.orders_client import NOT_FOUND, Order, OrdersClient, OrdersError
from actions.replies import email_in, order_number_in, order_number_reply, postcode_in_reply
from actions.settings import SETTINGS

# The response whose question a reply answers.
ORDER_RESPONSE = "utter_order_status"
TOKENS = TokenSettings(SETTINGS.customer_token_audience, SETTINGS.customer_token_secret,
                       SETTINGS.customer_token_public_key)
CHOICE_SLOTS = ("choice_1", "choice_2", "choice_3")
PERSON = "/human_handoff"  # the "Talk to a person" button's payload


@lru_cache(maxsize=1)
def orders_client() -> OrdersClient:
    return OrdersClient(SETTINGS.orders_api_url, SETTINGS.orders_api_token, SETTINGS.orders_api_timeout_s)


async def off_loop(function, *args, **kwargs):
    """Runs a (blocking, requests-based) client call in a worker thread, keeping the action
    server's event loop free for other conversations."""
    return await asyncio.get_running_loop().run_in_executor(None, partial(function, *args, **kwargs))


def logged_in_customer(tracker: Tracker) -> Optional[Text]:
    """The customer id from the website's signed token; None when absent or untrustworthy."""
    try:
        return verified_customer(latest_metadata(tracker).get("customer_token"), TOKENS)
    except IdentityError:
        return None


def conversation_facts(tracker: Tracker) -> Facts:
    text = tracker.latest_message.get("text") or ""
    asked = (question_of(tracker.get_slot("order_situation"))
             if previous_action(tracker) == ORDER_RESPONSE else None)
    digits = order_number_reply(text)  # "4051 2351", or a mistyped number: never a postcode
    number = latest_entity(tracker, "order_id") or order_number_in(text) or (
        digits if digits and len(digits) == 8 else None)
    email = latest_entity(tracker, "email") or email_in(text)
    return Facts(
        intent=latest_intent(tracker),
        text=text,
        topic=tracker.get_slot("order_topic"),
        asked=asked,
        number_given=number,
        remembered=tracker.get_slot("order_id"),
        remembered_things=tuple(tracker.get_slot("order_things") or ()),
        customer=logged_in_customer(tracker),
        verified_order=tracker.get_slot("verified_order"),
        email=email,
        # Only a reply to "what's the postcode?" is read as one: many messages hold numbers.
        postcode=postcode_in_reply(text) if asked in PROOF and not (email or number or digits) else None,
        devices=tuple(latest_entities(tracker, "device")),
        offered=tuple(filter(None, (tracker.get_slot(s) for s in CHOICE_SLOTS))) if asked == WHICH_ORDER else (),
        also_asked=(tracker.latest_message.get("also_asked") or {}).get("name"),
        later=tracker.get_slot("later_question"),
        checklist_waiting=checklist.waiting(tracker.get_slot("checklist_step")),
        offered_person=PERSON in offered_payloads(tracker),
    )


async def learnt(step: Step, facts: Facts, conversation: Optional[Text] = None) -> Facts:
    """The facts with what the backend says for a LIST_ORDERS or VERIFY step (raises OrdersError)."""
    client = orders_client()
    if step.kind == LIST_ORDERS:
        return replace(facts, customer_orders=tuple(await off_loop(client.customer_orders, facts.customer)))
    if step.kind == VERIFY:
        # The conversation is who asks: the backend limits failed checks per conversation and order.
        answer = await off_loop(client.verify, step.order, email=facts.email,
                                postcode=None if facts.email else facts.postcode, conversation=conversation)
        return replace(facts, verified=answer.verified, wait_s=answer.retry_after_s)
    raise ValueError(f"nothing to learn for {step.kind}")


async def visible_order(number: Text, customer: Optional[Text], verified_order: Optional[Text]) -> Order:
    """The order, if this customer may see it; else the same OrdersError as an unknown one."""
    order = await off_loop(orders_client().order, number)
    if not may_see(order.customer_id, order.number, customer, verified_order):
        raise OrdersError(NOT_FOUND, "not this customer's order")
    return order


async def meant_visible_order(tracker: Tracker, remembered: Optional[Text] = None
                              ) -> Tuple[Optional[Order], Optional[Meant]]:
    """The order the latest message is about if this customer may see it (else None), and
    which order that is; (None, None) when the backend can't say. remembered: the order to
    take when the message names none, instead of the conversation's (an order number only)."""
    facts = conversation_facts(tracker)
    if remembered and ORDER_NUMBER.fullmatch(remembered) and remembered != facts.remembered:
        facts = replace(facts, remembered=remembered, remembered_things=())
    try:
        if facts.customer and not facts.number_given:
            facts = await learnt(Step(LIST_ORDERS, ""), facts)
        meant = order_meant(facts)
        if not meant.number:
            return None, meant
        return await visible_order(meant.number, facts.customer, facts.verified_order), meant
    except OrdersError:
        return None, None
