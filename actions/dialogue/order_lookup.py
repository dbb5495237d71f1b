"""What the order actions share: the conversation's facts read from the tracker, and the
backend calls the order conversation asks for, made off the event loop."""
import asyncio
from dataclasses import replace
from functools import lru_cache, partial
from typing import Any, Dict, Optional, Text, Tuple

from rasa_sdk import Tracker

from actions import checklist
from actions.dialogue.tracker_reading import Said, latest_metadata, latest_said
from actions.identity import IdentityError, TokenSettings, verified_customer
from actions.named_orders import things_of
from actions.order_conversation import LIST_ORDERS, PROOF, VERIFY, Facts, Meant, State, Step, may_see, order_meant
from actions.orders_client import NOT_FOUND, Order, OrdersClient, OrdersError
from actions.replies import email_in, order_number_in, order_number_reply, postcode_in_reply
from actions.settings import SETTINGS
from common.identifiers import is_order_number

# The response that says the order conversation's steps.
ORDER_RESPONSE = "utter_order_status"
# The slot that keeps the order conversation's State between messages.
STATE_SLOT = "order_conversation"
TOKENS = TokenSettings(SETTINGS.customer_token_audience, SETTINGS.customer_token_secret,
                       SETTINGS.customer_token_public_key)
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
    return customer_of(latest_metadata(tracker))


def customer_of(metadata: Dict[Text, Any]) -> Optional[Text]:
    try:
        return verified_customer(metadata.get("customer_token"), TOKENS)
    except IdentityError:
        return None


def read_state(tracker: Tracker) -> State:
    """The order conversation's State, as its latest step left it."""
    return State.from_slot(tracker.get_slot(STATE_SLOT))


def switched_to(tracker: Tracker, order: Optional[Order]) -> Dict[Text, Any]:
    """The slots that make `order` the one the conversation is about (None: none known), when
    another action found it meant (the return checklist for "my iPhone 12"): the State's and
    `order_id`, which the answers say."""
    state = read_state(tracker)
    number = order.number if order else None
    if state.order == number:
        return {"order_id": number}
    things = tuple(things_of(order)) if order else ()
    return {STATE_SLOT: replace(state, order=number, things=things).as_slot(), "order_id": number}


def conversation_facts(tracker: Tracker, said: Optional[Said] = None) -> Facts:
    """The facts the order conversation decides on: the latest message and the State."""
    said, state = said or latest_said(tracker), read_state(tracker)
    asked = state.question_for(said.turn)
    digits = order_number_reply(said.text)  # "4051 2351", or a mistyped number: never a postcode
    number = said.entity("order_id") or order_number_in(said.text) or (
        digits if digits and is_order_number(digits) else None)
    email = said.entity("email") or email_in(said.text)
    return Facts(
        intent=said.intent,
        text=said.text,
        state=state,
        turn=said.turn,
        number_given=number,
        customer=customer_of(said.metadata),
        email=email,
        # Only a reply to "what's the postcode?" is read as one: many messages hold numbers.
        postcode=postcode_in_reply(said.text) if asked in PROOF and not (email or number or digits) else None,
        devices=said.entities.get("device", ()),
        also_asked=said.also_asked,
        checklist_waiting=checklist.waiting(tracker.get_slot("checklist_step")),
        offered_person=PERSON in said.offered,
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
    if is_order_number(remembered) and remembered != facts.remembered:
        facts = replace(facts, state=replace(facts.state, order=remembered, things=()))
    try:
        if facts.customer and not facts.number_given:
            facts = await learnt(Step(LIST_ORDERS, ""), facts)
        meant = order_meant(facts)
        if not meant.number:
            return None, meant
        return await visible_order(meant.number, facts.customer, facts.verified_order), meant
    except OrdersError:
        return None, None
