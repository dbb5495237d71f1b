from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import checklist
from actions.devices import account_check
from actions.dialogue.order_lookup import PERSON, meant_visible_order, switched_to
from actions.dialogue.photos import offered, photos_progress
from actions.dialogue.tracker_reading import (
    changed_slots, latest_entity, latest_intent, offered_payloads, previous_action,
)
from actions.replies import carries_on
from actions.return_answers import checklist_facts

STEP_RESPONSE = "utter_checklist_step"
# A photo's answer at a photo step ends with the step's own buttons (next, stop).
PHOTO_RESPONSE = "utter_photo_check"


class ActionReturnChecklist(Action):
    """Moves through the return checklist; utter_checklist_step then shows the step (or
    utter_checklist_paused, when the customer stops)."""

    def name(self) -> Text:
        return "action_return_checklist"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        saved = tracker.get_slot("checklist_step")
        move = checklist.movement(latest_intent(tracker), previous_action(tracker) in (STEP_RESPONSE, PHOTO_RESPONSE))
        if move == checklist.PAUSE:
            return []  # the step stays saved: it waits there
        resumed = False
        changes = {}
        if move in (checklist.FORWARD, checklist.BACK):
            # Moving through the steps: what we learnt of their return when starting stands.
            own = {name: tracker.get_slot(name) for name in ("return_reason", "return_carrier", "carrier_option")}
        else:
            # "Where were we?", "next": the waiting checklist's order, unless they name another;
            # asked afresh ("what do I do before sending it back?"), the conversation's.
            text = tracker.latest_message.get("text")
            resuming = checklist.waiting(saved) and (latest_intent(tracker) != "return_checklist" or carries_on(text))
            order, meant = await meant_visible_order(
                tracker, remembered=tracker.get_slot("checklist_for") if resuming else None)
            own = checklist_facts(order) if order else {}
            if meant is not None:
                changes.update(switched_to(tracker, order))
        # What they just named, else the item on their order, else what they named before.
        device = latest_entity(tracker, "device") or own.get("device") or tracker.get_slot("device")
        if move == checklist.FORWARD:
            step = checklist.forward(saved)
        elif move == checklist.BACK:
            step = checklist.back(saved)
        else:
            # The progress belongs to one order (or, without one, one device): another starts at step 1.
            belongs_to = changes.get("order_id", tracker.get_slot("order_id")) or device
            position = checklist.start(saved if tracker.get_slot("checklist_for") == belongs_to else None)
            step, resumed = position.step, position.resumed
            changes["checklist_for"] = belongs_to
        account = account_check(device)
        # At the photo steps, the photos are taken here for an order the customer may see.
        number = changes.get("checklist_for", tracker.get_slot("checklist_for"))
        photos = offered(tracker, number, await photos_progress(tracker, step, number))
        return changed_slots(tracker, {
            **changes, **photos, "checklist_step": step, "checklist_resumed": resumed, "device": device, "account_check": account.kind, "device_account": account.account,
            "return_reason": own.get("return_reason"), "return_carrier": own.get("return_carrier"),
            "carrier_option": own.get("carrier_option"),
        })


class ActionUnaskedReply(Action):
    """A yes, no or "back" that answers no question of the order conversation: a yes to a
    person offered hands over; a yes or "back" carries on with a checklist left mid-way;
    anything else is a misunderstanding (data/rules say each)."""

    def name(self) -> Text:
        return "action_unasked_reply"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        intent = latest_intent(tracker)
        if intent == "affirm" and PERSON in offered_payloads(tracker):
            meant = "accept_person"  # "Would you like to talk to a person?" "yes please"
        elif checklist.carries_on(intent, tracker.get_slot("checklist_step")):
            meant = "resume_checklist"
        else:
            meant = "unclear"
        # Always set, even when unchanged: the rules branch on it right after this action.
        return [SlotSet("unasked_reply", meant)]


class ActionReturnCarrier(Action):
    """Picks the carrier the customer asks about, or the one on their return label, for
    utter_return_carrier's variations."""

    def name(self) -> Text:
        return "action_return_carrier"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        named = latest_entity(tracker, "carrier")
        if named:
            return [SlotSet("return_carrier", named)]
        order, _ = await meant_visible_order(tracker)
        return [SlotSet("return_carrier", checklist_facts(order).get("return_carrier") if order else None)]
