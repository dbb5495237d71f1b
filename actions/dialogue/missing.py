from datetime import datetime, timezone
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.date_wording import DateWording
from actions.dialogue.order_lookup import meant_visible_order, switched_to
from actions.dialogue.tracker_reading import changed_slots, chose_a_button, latest_entity, latest_reader
from actions.missing_package import what_happened
from actions.order_answers import item_names, order_reader


class ActionMissingPackage(Action):
    """Finds out what happened to a missing package (a button, or the customer's words) and
    what we know of its delivery; utter_missing_package says what happens next."""

    def name(self) -> Text:
        return "action_missing_package"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        # A button's title ("It's lost or was stolen") asks what happened; it doesn't say.
        told = None if chose_a_button(tracker) else what_happened(tracker.latest_message.get("text"))
        what = latest_entity(tracker, "what_happened") or told
        delivery = {"missing_delivered_when": None, "order_item": None, "order_carrier": None}
        order, meant = await meant_visible_order(tracker)
        about = switched_to(tracker, order) if meant else {}
        if order and order.shipment and order.shipment.delivered_at:
            reader = latest_reader(tracker, order_reader(order))
            words = DateWording(datetime.now(timezone.utc), reader.timezone, reader.locale)
            delivery = {"missing_delivered_when": words.day(order.shipment.delivered_at.astimezone(words.zone).date()),
                        "order_item": item_names(order, reader.locale), "order_carrier": order.shipment.carrier}
        return changed_slots(tracker, {**about, "missing_what": what, **delivery,
                                       "missing_known_delivery": bool(delivery["missing_delivered_when"])})
