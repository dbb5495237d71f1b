from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import checklist
from actions.devices import account_check
from actions.dialogue.orders import fetch_visible_order
from actions.dialogue.tracker_reading import changed_slots, latest_entity, latest_intent
from actions.orders_client import OrdersError
from actions.return_answers import checklist_facts


async def customers_return(tracker: Tracker) -> Dict[Text, Any]:
    """Checklist facts from the customer's own order; none when there is no order they may
    see, or the backend can't say."""
    try:
        order = await fetch_visible_order(tracker)
    except OrdersError:
        return {}
    return checklist_facts(order) if order else {}


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
        if intent in ("affirm", "previous_step"):
            # Moving through the steps: what we learnt of their return when starting stands.
            own = {name: tracker.get_slot(name) for name in ("return_reason", "return_carrier", "carrier_option")}
        else:
            own = await customers_return(tracker)
        # What they just named, else the item on their order, else what they named before.
        device = latest_entity(tracker, "device") or own.get("device") or tracker.get_slot("device")
        if intent == "affirm":
            step = checklist.forward(saved)
        elif intent == "previous_step":
            step = checklist.back(saved)
        else:
            position = checklist.start(saved)
            step, resumed = position.step, position.resumed
        account = account_check(device)
        return changed_slots(tracker, {
            "checklist_step": step, "checklist_resumed": resumed, "device": device,
            "account_check": account.kind, "device_account": account.account,
            "return_reason": own.get("return_reason"), "return_carrier": own.get("return_carrier"),
            "carrier_option": own.get("carrier_option"),
        })


class ActionReturnCarrier(Action):
    """Picks the carrier the customer asks about, or the one on their return label, for
    utter_return_carrier's variations."""

    def name(self) -> Text:
        return "action_return_carrier"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        named = latest_entity(tracker, "carrier")
        return [SlotSet("return_carrier", named or (await customers_return(tracker)).get("return_carrier"))]
