"""The assistant's responses (brand/nlg.py), and on the website widget which quick reply the
customer's message answered.

Customers answer quick replies by clicking or by typing: the button's title, its number, "the
second one" (language/numbered_choice_resolver.py), or words of the same meaning ("next" for
"Next step"). The widget marks the button taken, greyed with the others; for a typed answer only
the server knows which one that was. So each response to the widget carries `answered`: the
payload of the offered button whose intent and entities the message was understood as. It is
the meaning the assistant acted on, so the mark can't disagree with the answer.

endpoints.yml names this class as the `nlg`.
"""
from typing import Any, Dict, List, Optional, Text

from rasa.core.channels.socketio import SocketIOInput
from rasa.shared.core.events import UserUttered
from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from brand.nlg import BrandedResponses
from language.numbered_choice_resolver import offered_buttons

WEBSITE = SocketIOInput.name()


def _meaning(payload: Text) -> Optional[tuple]:
    """("intent", {(entity, value), ...}) of a "/intent{...}" payload, or None."""
    unpacked = YAMLStoryReader.unpack_regex_message(Message({TEXT: payload}))
    intent = (unpacked.get(INTENT) or {}).get("name")
    if not payload.startswith("/") or not intent:
        return None
    return intent, {(entity["entity"], str(entity["value"])) for entity in unpacked.get(ENTITIES) or []}


def answered_payload(events: List[Any]) -> Optional[Text]:
    """The payload of the button the customer's latest message was taken as, when exactly one
    of those the assistant had just offered has its meaning."""
    position = next((i for i in range(len(events) - 1, -1, -1) if isinstance(events[i], UserUttered)), None)
    if position is None:
        return None
    message = events[position]
    intent = (message.intent or {}).get("name")
    entities = {(entity.get("entity"), str(entity.get("value"))) for entity in message.entities or []}
    taken = []
    for button in offered_buttons(events[:position]):
        meaning = _meaning(str(button.get("payload", "")))
        if meaning and meaning[0] == intent and meaning[1] <= entities:
            taken.append(button["payload"])
    return taken[0] if len(taken) == 1 else None


class WebsiteResponses(BrandedResponses):
    async def generate(self, utter_action: Text, tracker: Any, output_channel: Text,
                       **kwargs: Any) -> Optional[Dict[Text, Any]]:
        response = await super().generate(utter_action, tracker, output_channel, **kwargs)
        if response is not None and output_channel == WEBSITE:
            payload = answered_payload(list(tracker.events))
            if payload:
                response["answered"] = payload
        return response
