from dataclasses import replace
from functools import partial
from datetime import datetime, timezone
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.date_wording import Reader
from actions.deadlines import Place
from actions.dialogue.order_lookup import ORDER_RESPONSE, conversation_facts, learnt, visible_order
from actions.dialogue.tracker_reading import changed_slots, latest_reader
from actions.identity import mask_email
from actions.order_answers import Answer, order_reader, order_status
from actions.order_conversation import (
    ANSWER, CHOOSE_ORDER, LIST_ORDERS, LOCKED, MISMATCH_EMAIL, NOTHING_MORE, OFFER_TOPIC, ORDER_CHOICES, PASS,
    PAUSED_CHECKS, RETURN_TOPICS, VERIFY, Facts, Step, next_step, second_question, second_step, wait_in_words,
)
from actions.orders_client import Order, OrdersError
from actions.return_answers import return_status, sent_back
from actions.settings import SETTINGS

ANSWER_SLOTS = (
    "order_item", "order_placed_when", "order_confirmed_when", "order_email_by", "order_decline_reason",
    "order_ship_by", "order_ship_reasons", "order_carrier", "order_tracking_url", "order_shipped_when",
    "order_delivered_when", "order_delivery_estimate", "order_last_event",
    "return_help_when", "return_outreach_by", "return_label_url", "return_label_valid_until",
    "return_label_expired_when", "return_carrier", "return_shipped_when", "return_tracking_url",
    "return_received_when", "refund_amount", "refunded_when",
    "card_ordered_on", "card_confirmed_on", "card_shipped_on", "card_delivered_on",
)
SUPPORT = Place(SETTINGS.brand.support.holidays, SETTINGS.brand.support.timezone)
ANSWER_NEXT_QUESTION = "action_answer_next_question"
# Questions about where an order stands (whether it was confirmed is answered as asked).
LATEST_STATE_TOPICS = ("track_order", "shipping_time", "order_late")
# order_turn: what the rules do with the customer's next message (data/rules/faq.yml).
OPEN, CLOSED, PASSED = "open", "closed", "passed"


def answer_about(order: Order, topic: Text, reader: Optional[Reader] = None) -> Answer:
    """reader: the customer's time zone and locale as their browser sent them (default: the order's)."""
    now = datetime.now(timezone.utc)
    # Once the item is on its way back, the return is where it stands: "and my watch?" gets
    # the return and its refund, not the delivery of a month ago.
    if topic in RETURN_TOPICS or (topic in LATEST_STATE_TOPICS and sent_back(order)):
        return return_status(order, topic, now, SUPPORT, reader)
    return order_status(order, topic, now, reader)


def order_things(order: Order) -> List[Text]:
    """What the order holds, remembered so that naming another product switches orders."""
    return [item.name for item in order.items] + [item.device_kind for item in order.items]


class ActionOrderStatus(Action):
    """Answers a question about the customer's order or return, or asks what it needs first
    (actions/order_conversation.py decides); utter_order_status says it."""

    def name(self) -> Text:
        return "action_order_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        facts = conversation_facts(tracker)
        second = self._second_question(tracker)
        decide = partial(second_step, topic=second) if second else next_step
        step = decide(facts)
        order = None
        while step.kind in (LIST_ORDERS, VERIFY, ANSWER):
            try:
                if step.kind == ANSWER:
                    order = await visible_order(step.order, facts.customer, step.verified_order)
                    break
                facts = await learnt(step, facts, tracker.sender_id)
            except OrdersError as error:
                facts = replace(facts, lookup=error.kind, wait_s=error.retry_after_s)
            step = decide(facts)
        next_question, later = (None, None) if second else second_question(facts, step)
        if step.kind == PASS:
            return changed_slots(tracker, {"order_turn": PASSED, "next_question": None, "later_question": None})
        events = changed_slots(tracker, {**self._slots(tracker, facts, step, order),
                                         "next_question": next_question, "later_question": later})
        # Rules can't tell a message with two questions from one with one, so this says what's next.
        return events + [FollowupAction(ANSWER_NEXT_QUESTION)] if next_question else events

    def _second_question(self, tracker: Tracker) -> Optional[Text]:
        """The question to answer instead of the latest message's first one (None: its first)."""
        return None

    @staticmethod
    def _slots(tracker: Tracker, facts: Facts, step: Step, order: Optional[Order]) -> Dict[Text, Any]:
        reader = latest_reader(tracker, order_reader(order)) if order else None
        answer = answer_about(order, step.topic, reader) if order else Answer(step.kind)
        if step.kind == CHOOSE_ORDER:
            answer = Answer(f"{CHOOSE_ORDER}_{len(step.choices)}")
        if step.kind == OFFER_TOPIC:
            answer = Answer(f"{OFFER_TOPIC}_{step.topic}")
        choices = {}
        for index in range(ORDER_CHOICES):
            choice = step.choices[index] if index < len(step.choices) else None
            choices[f"choice_{index + 1}"] = choice.number if choice else None
            choices[f"choice_{index + 1}_item"] = ", ".join(choice.item_names) if choice else None
        kept = step.order == facts.remembered and not facts.number_given
        things = order_things(order) if order else tracker.get_slot("order_things") if kept else None
        return {
            "order_situation": answer.situation,
            "order_topic": facts.topic if step.kind == OFFER_TOPIC else step.topic, "order_lookup": step.lookup,
            "order_id": step.order, "order_things": things, "verified_order": step.verified_order,
            "verification_wait": wait_in_words(step.wait_s) if step.kind in (LOCKED, PAUSED_CHECKS) else None,
            "masked_email": mask_email(facts.email) if step.lookup == MISMATCH_EMAIL else tracker.get_slot("masked_email"),
            "order_turn": CLOSED if step.kind == NOTHING_MORE else OPEN,
            **choices, **{slot: answer.values.get(slot) for slot in ANSWER_SLOTS},
        }


class ActionAnswerNextQuestion(ActionOrderStatus):
    """The second question of the customer's latest message ("my order is late and can I
    return it?"): says the answer to the first, then answers the second like
    action_order_status; data/rules/faq.yml says it."""

    def name(self) -> Text:
        return ANSWER_NEXT_QUESTION

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(response=ORDER_RESPONSE)
        return await super().run(dispatcher, tracker, domain)

    def _second_question(self, tracker: Tracker) -> Optional[Text]:
        return tracker.get_slot("next_question")
