"""The return checklist's photos in the conversation: the signed links offered at the photo
steps, and the answer to each photo a channel relays (or to "I've sent the photos")."""
import json
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import return_photos
from actions.dialogue.order_lookup import conversation_facts, off_loop, orders_client, visible_order
from actions.dialogue.tracker_reading import latest_entity
from actions.orders_client import OrdersError
from actions.settings import SETTINGS
from common.identifiers import is_order_number
from common.photo_links import SLOTS

# photo_check's values (domain.yml): the backend's verdicts, what the relaying channel saw, and
# "status" for a typed "I've sent the photos" (or a photo sent when every one is there).
VERDICTS = {"accepted", "blurry", "too_dark", "too_small", "duplicate", "screen_not_lit", "not_an_image", "damaged",
            "empty", "too_large", "too_many_pixels", "infected", "too_many", "unavailable", "link_expired", "not_asked"}
ACCEPTED, STATUS, UNAVAILABLE, NOT_ASKED = "accepted", "status", "unavailable", "not_asked"
NONE_YET = "none_yet"  # the progress asked for while no photo of the step's seven is there
NOT_OFFERED = {"photos_offered": False, "photo_links": None, "photo_next": None, "photos_taken": None}


async def photos_progress(tracker: Tracker, step: Optional[Text], number: Optional[Text]
                          ) -> Optional[return_photos.Progress]:
    """The photos of `step` for an order the customer may see (its owner logged in, or verified
    for it here); None otherwise, or when the backend can't say."""
    if not return_photos.asks_photos(step) or not is_order_number(number):
        return None
    facts = conversation_facts(tracker)
    try:
        await visible_order(number, facts.customer, facts.verified_order)
        return return_photos.progress(step, await off_loop(orders_client().photo_slots, number))
    except OrdersError:
        return None


def offered(tracker: Tracker, number: Optional[Text], progress: Optional[return_photos.Progress]) -> Dict[Text, Any]:
    """The photo slots: fresh signed links and the progress; NOT_OFFERED without one (the step's
    words then ask for the photos without taking them here)."""
    if progress is None:
        return NOT_OFFERED
    return {"photos_offered": True, "photo_next": progress.next, "photos_taken": str(progress.count),
            "photo_links": return_photos.links(progress, number, tracker.sender_id, SETTINGS.photos_public_url,
                                               SETTINGS.orders_api_token)}


def _links(tracker: Tracker) -> Dict[Text, Any]:
    try:
        links = json.loads(tracker.get_slot("photo_links") or "null")
    except ValueError:
        return {}
    return links if isinstance(links, dict) else {}


class ActionPhotoReceived(Action):
    """A photo a channel relayed (photo_check: the backend's verdict) or a typed "I've sent the
    photos": the progress read afresh from the backend and new links, for utter_photo_check."""

    def name(self) -> Text:
        return "action_photo_received"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        links = _links(tracker)
        slot = latest_entity(tracker, "photo_slot")
        said = latest_entity(tracker, "photo_check")
        verdict = said if said in VERDICTS | {STATUS} else (STATUS if said is None else UNAVAILABLE)
        # The photo's own step: a step-1 photo can come in while the checklist shows another.
        step = return_photos.step_of(slot) or links.get("step") or tracker.get_slot("checklist_step")
        number = links.get("order") or tracker.get_slot("checklist_for")
        progress = await photos_progress(tracker, step, number)
        if progress is None:
            verdict = NOT_ASKED
        elif verdict == ACCEPTED and slot not in progress.taken:
            verdict = UNAVAILABLE  # the backend doesn't hold it: never say it was kept
        elif verdict == STATUS and progress.count == 0 and len(progress.slots) > 1:
            verdict = NONE_YET  # not "0 of 7" (the package's own words say it's missing)
        slots = {**offered(tracker, number, progress), "photo_check": verdict,
                 "photo_slot": slot if slot in SLOTS else None}
        return [SlotSet(name, value) for name, value in slots.items()]
