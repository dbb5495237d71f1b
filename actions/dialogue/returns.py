from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import checklist
from actions.devices import account_check
from actions.dialogue.tracker_reading import latest_entity, latest_intent


class ActionReturnChecklist(Action):
    """Moves through the return checklist; utter_checklist_step then shows the step."""

    def name(self) -> Text:
        return "action_return_checklist"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        saved = tracker.get_slot("checklist_step")
        intent = latest_intent(tracker)
        resumed = False
        if intent == "affirm":
            step = checklist.forward(saved)
        elif intent == "previous_step":
            step = checklist.back(saved)
        else:
            position = checklist.start(saved)
            step, resumed = position.step, position.resumed
        account = account_check(tracker.get_slot("device"))
        return [
            SlotSet("checklist_step", step),
            SlotSet("checklist_resumed", resumed),
            SlotSet("account_check", account.kind),
            SlotSet("device_account", account.account),
        ]


class ActionReturnCarrier(Action):
    """Picks the carrier the customer asks about, for utter_return_carrier's variations."""

    def name(self) -> Text:
        return "action_return_carrier"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        return [SlotSet("return_carrier", latest_entity(tracker, "carrier"))]
