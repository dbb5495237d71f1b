"""Small readers of rasa-sdk tracker data shared by the actions."""
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Tracker


def latest_intent(tracker: Tracker) -> Optional[Text]:
    return (tracker.latest_message.get("intent") or {}).get("name")


def user_intents(tracker: Tracker) -> List[Text]:
    """The intent of every user message in the conversation, oldest first."""
    return [
        ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        for event in tracker.events
        if event.get("event") == "user"
    ]


def latest_entity(tracker: Tracker, entity: Text) -> Optional[Text]:
    """The entity's value in the latest message only (slots remember older ones)."""
    return next(tracker.get_latest_entity_values(entity), None)


def response_buttons(domain: Dict[Text, Any], response: Text) -> List[Dict[Text, Any]]:
    variations = (domain.get("responses") or {}).get(response) or [{}]
    return variations[0].get("buttons") or []
