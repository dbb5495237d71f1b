from dataclasses import replace
from functools import partial
from datetime import datetime, timezone
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.date_wording import Reader, reader_from, wait_words
from actions.deadlines import Place
from actions.dialogue.order_lookup import ORDER_RESPONSE, STATE_SLOT, conversation_facts, learnt, visible_order
from actions.dialogue.tracker_reading import Said, changed_slots, latest_said
from actions.identity import mask_email
from actions.named_orders import things_of
from actions.order_answers import Answer, order_reader, order_status
from actions.order_conversation import (
    ANSWER, LIST_ORDERS, LOCKED, MISMATCH_EMAIL, NOTHING_MORE, ORDER_CHOICES, PASS, PAUSED_CHECKS, RETURN_TOPICS,
    VERIFY, Facts, State, Step, next_step, second_step, situation_of,
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


class ActionOrderStatus(Action):
    """Answers a question about the customer's order or return, or asks what it needs first
    (actions/order_conversation.py decides); utter_order_status says it."""

    def name(self) -> Text:
        return "action_order_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        said = latest_said(tracker)
        facts = conversation_facts(tracker, said)
        second = self._second_question(facts)
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
        if step.kind == PASS:
            return changed_slots(tracker, {"order_turn": PASSED, STATE_SLOT: step.state.as_slot()})
        state = replace(step.state, things=tuple(things_of(order))) if order else step.state
        events = changed_slots(tracker, {**self._said(said, facts, step, order, state), STATE_SLOT: state.as_slot()})
        # Rules can't tell a message with two questions from one with one, so this says what's next.
        return events + [FollowupAction(ANSWER_NEXT_QUESTION)] if state.next_question else events

    def _second_question(self, facts: Facts) -> Optional[Text]:
        """The question to answer instead of the latest message's first one (None: its first)."""
        return None

    @staticmethod
    def _said(said: Said, facts: Facts, step: Step, order: Optional[Order], state: State) -> Dict[Text, Any]:
        """The slots utter_order_status says the step with (all of them: the state's are
        written here and nowhere else)."""
        if order:
            reader = reader_from(said.metadata.get("timezone"), said.metadata.get("locale"), order_reader(order),
                                 said.language)
            answer = answer_about(order, step.topic, reader)
        else:
            answer = Answer(situation_of(step))
        choices = {}
        for index in range(ORDER_CHOICES):
            choice = step.choices[index] if index < len(step.choices) else None
            choices[f"choice_{index + 1}"] = choice.number if choice else None
            choices[f"choice_{index + 1}_item"] = ", ".join(choice.item_names) if choice else None
        locked = step.kind in (LOCKED, PAUSED_CHECKS)
        return {
            "order_situation": answer.situation.value, "order_topic": state.topic, "order_lookup": step.lookup,
            "order_id": state.order,
            "verification_wait": wait_words(step.wait_s, said.language) if locked else None,
            "masked_email": mask_email(facts.email) if step.lookup == MISMATCH_EMAIL else None,
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

    def _second_question(self, facts: Facts) -> Optional[Text]:
        return facts.state.next_question
