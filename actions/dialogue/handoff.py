"""Handing the conversation to a person, and the customer's rating after: read the tracker,
let actions/handoff.py decide, call the handoff service, set slots; domain.yml says the words."""
import logging
from collections import Counter
from datetime import datetime, timezone
from functools import lru_cache
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, ConversationPaused, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.clarification import misunderstandings_in_a_row
from actions.dialogue.order_lookup import logged_in_customer, off_loop, orders_client, read_state
from actions.dialogue.tracker_reading import (
    browser_reader, changed_slots, conversation_language, latest_intent, turns, user_intents,
)
from actions.handoff import (
    CLOSED, LOGGED_IN, OPEN, SupportHours, Who, customer_of, details, reason_for, reason_text, redacted_line, summary,
    tapped, wait_for,
)
from actions.handoff_client import HandoffClient, HandoffError
from actions.order_conversation import TOPICS
from actions.orders_client import OrdersError
from actions.replies import NO, YES, reply_kind
from actions.settings import SETTINGS

logger = logging.getLogger(__name__)
# handoff_state (domain.yml): a person answers now (OPEN), later (CLOSED), or couldn't be reached.
UNREACHABLE = "unreachable"
TRANSCRIPT_LINES = 100
# What the agent sees of the order: the slots the order conversation set, by their meaning. The
# slots hold phrases ("by the end of today", "until Tuesday, ..."): the names don't repeat their
# first word, and actions/handoff.yml labels them for the agent.
ORDER_FACTS = {
    "item": "order_item", "situation": "order_situation", "question": "order_topic", "placed": "order_placed_when",
    "confirmed": "order_confirmed_when", "ships": "order_ship_by", "shipped": "order_shipped_when",
    "carrier": "order_carrier", "tracking": "order_tracking_url", "delivery_estimate": "order_delivery_estimate",
    "delivered": "order_delivered_when", "last_tracking_event": "order_last_event",
    "label_valid": "return_label_valid_until", "label_expired": "return_label_expired_when",
    "return_shipped": "return_shipped_when", "return_received": "return_received_when",
    "refund": "refund_amount", "refunded": "refunded_when",
}
CONTRACT_TOPICS = TOPICS + ("missing_package", "contact_seller", "return_checklist", "return_carrier")


@lru_cache(maxsize=1)
def handoff_client() -> Optional[HandoffClient]:
    if not SETTINGS.handoff_api_token:
        return None
    return HandoffClient(SETTINGS.handoff_url, SETTINGS.handoff_api_token)


@lru_cache(maxsize=1)
def support_hours() -> SupportHours:
    return SupportHours.of(SETTINGS.brand.support)


def _buttons(data: Dict[Text, Any]) -> List[Dict[Text, Any]]:
    """The buttons of a bot message or a response (a card's are in its custom payload)."""
    found = []
    for source in (data, data.get("custom") or {}):
        for key in ("buttons", "quick_replies"):
            found += [b for b in source.get(key) or [] if isinstance(b, dict)]
    return found


def _domain_buttons(domain: DomainDict) -> List[Dict[Text, Any]]:
    # Buttons the widget shows without a bot message in the tracker ("Talk to a person", the
    # welcome's topics) carry the payloads of the domain's own buttons: their titles are there,
    # the most used title of a payload first ("Talk to a person" before "Try again").
    used = Counter((b.get("payload"), b.get("title")) for variations in (domain.get("responses") or {}).values()
                   for variation in variations or [] for b in _buttons(variation))
    return [{"payload": payload, "title": title} for (payload, title), _ in used.most_common()]


def _said(event: Dict[Text, Any], offered: List[Dict[Text, Any]]) -> Text:
    # A card's sentence is in its custom payload (the website widget's order and label answers).
    text = event.get("text") or ((event.get("data") or {}).get("custom") or {}).get("text") or ""
    if event.get("event") == "user" and text.startswith("/"):  # a button's payload: its title was shown
        return tapped(text, offered, ((event.get("parse_data") or {}).get("intent") or {}).get("name"))
    return text


def transcript(tracker: Tracker, who: Who, known_orders: List[Text], domain: DomainDict) -> List[Dict[Text, Any]]:
    lines, offered = [], _domain_buttons(domain)
    for event in tracker.events:
        author = {"user": "customer", "bot": "assistant"}.get(event.get("event"))
        if not author:
            continue
        said = _said(event, offered)
        if author == "assistant":  # its buttons first, then older ones, then the domain's
            offered = _buttons(event.get("data") or {}) + offered
        if said.strip():
            lines.append({"author": author, "text": redacted_line(said, who, known_orders),
                          "at": datetime.fromtimestamp(event.get("timestamp") or 0, timezone.utc).isoformat()})
    return lines[-TRANSCRIPT_LINES:]


def order_context(tracker: Tracker, who: Who) -> Optional[Dict[Text, Any]]:
    """The order and what the assistant computed about it, when the customer may see it."""
    number = tracker.get_slot("order_id")
    if not number or not (who.status == LOGGED_IN or who.verified_order == number):
        return None
    facts = {name: tracker.get_slot(slot) for name, slot in ORDER_FACTS.items()}
    return {"number": number, **{name: value for name, value in facts.items() if value not in (None, "")}}


async def _known_orders(customer: Optional[Text]) -> List[Text]:
    if not customer:
        return []
    try:
        return [order.number for order in await off_loop(orders_client().customer_orders, customer)]
    except OrdersError:
        return []


async def _name_of(customer: Optional[Text]) -> Optional[Text]:
    """A logged-in customer's full name, for the agent (never said to the customer)."""
    if not customer:
        return None
    try:
        return (await off_loop(orders_client().customer, customer)).name
    except OrdersError:
        return None  # the agent reads "a logged-in customer": the handoff must not wait on it


def _reason(reason: Text) -> Dict[Text, Any]:
    # Set at every handoff, even to the same value as the last one: the insights' record of this
    # conversation (insights/record.py) reads the reason from this session's events.
    return SlotSet("handoff_reason", reason)


class ActionHandoff(Action):
    """Opens a handoff with the whole story (why, who, the order, the topics, the redacted
    transcript, a summary on top) and says when a person will answer; action_wait_for_agent
    then leaves the conversation to them."""

    def name(self) -> Text:
        return "action_handoff"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        customer = logged_in_customer(tracker)
        who = customer_of(customer, read_state(tracker).verified_order, await _name_of(customer))
        reason = reason_for(tracker.get_slot("order_situation"), bool(tracker.get_slot("missing_what")),
                            misunderstandings_in_a_row(turns(tracker)[:-1]))
        order = order_context(tracker, who)
        topics = [intent for intent in user_intents(tracker) if intent in CONTRACT_TOPICS]
        language = conversation_language(tracker)
        ticket = {
            "conversation_id": tracker.sender_id, "channel": tracker.get_latest_input_channel() or "unknown",
            "reason": reason, "reason_text": reason_text(reason),
            "summary": summary(reason, who, order, topics, language), "language": language,
            "customer": {"status": who.status, "id": who.customer_id, "verified_order": who.verified_order,
                         "name": who.name},
            "details": [{"label": label, "text": text} for label, text in details(who, order, language)],
            "order": order, "topics": topics,
            "transcript": transcript(tracker, who, await _known_orders(customer), domain),
        }
        client = handoff_client()
        try:
            if client is None:
                raise HandoffError("HANDOFF_API_TOKEN is not set")
            opened = await off_loop(client.open, ticket)
        except HandoffError:
            return [*changed_slots(tracker, {"handoff_state": UNREACHABLE, "handoff_id": None}), _reason(reason)]
        # On the customer's clock when their browser said it (the widget), else support's, named.
        wait = wait_for(datetime.now(timezone.utc), support_hours(), opened.waiting_ahead, browser_reader(tracker))
        return changed_slots(tracker, {
            "handoff_id": opened.handoff_id, "handoff_state": wait.state,
            "handoff_wait": str(wait.minutes) if wait.minutes else None,
            "handoff_back_when": wait.back_when,
        }) + [_reason(reason)]


class ActionWaitForAgent(Action):
    """Leaves the conversation to the person (ConversationPaused): the assistant stays silent,
    and what the customer writes reaches the agent, until the handoff service resumes it."""

    def name(self) -> Text:
        return "action_wait_for_agent"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        return [ConversationPaused()] if tracker.get_slot("handoff_state") in (OPEN, CLOSED) else []


class ActionRateHandoff(Action):
    """Stores the customer's answer to "was your problem solved?" with the handoff."""

    def name(self) -> Text:
        return "action_rate_handoff"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        kind = reply_kind(tracker.latest_message.get("text") or "") or \
            {"affirm": YES, "thank": YES, "deny": NO}.get(latest_intent(tracker))
        solved = kind == YES
        handoff_id, client = tracker.get_slot("handoff_id"), handoff_client()
        if handoff_id and client:
            try:
                await off_loop(client.rate, handoff_id, solved)
            except HandoffError as error:
                # The customer's answer still gets its reply; the desk shows no rating.
                logger.warning("rating not stored: %s", error)
        # Set even when unchanged: the insights' record reads the rating from this session's events.
        return [SlotSet("handoff_solved", solved)]


class ActionSessionStart(Action):
    """A new session (after an hour's silence) keeps the slots, as Rasa's own does, and keeps a
    conversation that a person has silent: a handoff can outlast a session (overnight)."""

    def name(self) -> Text:
        return "action_session_start"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        carried = [SlotSet(name, value) for name, value in tracker.slots.items() if value is not None]
        with_person = [ConversationPaused()] if tracker.get_slot("handoff_state") in (OPEN, CLOSED) else []
        return [SessionStarted(), *carried, *with_person, ActionExecuted("action_listen")]
