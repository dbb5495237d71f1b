"""Rasa NLU component: a reply that picks one of the buttons the assistant just offered
("1", "the second one", or the button's title) means that button's payload.

It reads the conversation (the `tracker` input Rasa gives NLU components at prediction time)
for the buttons of the assistant's latest turn; with no conversation (training, `rasa test
nlu`, /model/parse) or no buttons, messages pass through unchanged. It runs after the
classifiers and FallbackClassifier, so the payload wins over a guess or a fallback.
"""
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from language.choices import chosen_button, offered_in


def offered_buttons(events: List[Any]) -> List[Dict]:
    """The buttons of the assistant's messages after the customer's last message in `events`
    (the latest message that had any): what the customer's next message may be answering."""
    for event in reversed(events):
        if isinstance(event, UserUttered):
            return []
        if isinstance(event, BotUttered) and offered_in(event.data):
            return offered_in(event.data)
    return []


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class NumberedChoiceResolver(GraphComponent):
    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "NumberedChoiceResolver":
        return cls()

    def process(self, messages: List[Message], tracker: Optional[Any] = None,
                domain: Optional[Domain] = None) -> List[Message]:
        buttons = offered_buttons(tracker.events if tracker is not None else [])
        for message in messages if buttons else []:
            button = chosen_button(message.get(TEXT) or "", buttons)
            payload = str(button.get("payload", "")) if button else ""
            if not payload.startswith("/"):
                continue
            unpacked = YAMLStoryReader.unpack_regex_message(Message({TEXT: payload}), domain)
            if unpacked.get(INTENT):
                message.set(INTENT, unpacked.get(INTENT), add_to_output=True)
                message.set(INTENT_RANKING_KEY, [unpacked.get(INTENT)], add_to_output=True)
                message.set(ENTITIES, unpacked.get(ENTITIES) or [], add_to_output=True)
        return messages
