"""Rasa NLU component: intents by logistic regression over meaning and, with less weight, wording.

The features are the message's sentence embedding (the multilingual Universal Sentence
Encoder, from SentenceEmbeddingFeaturizer) beside TF-IDF character n-grams of its text, scaled by
`wording_weight`. Measured on real customer messages no one on the project wrote
(tests/nlu/test_nlu_external.yml), this generalises where DIET over sparse n-grams overfits
the training data's wording (README, "Measurements"). Rasa's own LogisticRegressionClassifier
can't weigh the two kinds of features against each other nor regularise, hence this one.

Order numbers and e-mail addresses are read in one canonical form (language/canonical.py).

A message with two questions ("my order is late and can i just return it instead?") gets the
intent of the whole, and, when one of its parts (language/clauses.py) is confidently another
topic, that topic as `also_asked` in the parse data, for the dialogue to answer or offer.
When two parts ask two topics, one of them leads, as sure as its own part: read as a whole,
such a message sits between them and would be asked to clarify.
"""
from typing import Any, Dict, List, Text

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy import sparse

from language import stored_models
from language.canonical import canonical
from language.clauses import clauses, two_questions
from language.sentence_encoder import shared_encoder

ALSO_ASKED = "also_asked"
MAX_PARTS = 4


def wording(text: str) -> str:
    return canonical(text).lower()


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class SentenceIntentClassifier(IntentClassifier, GraphComponent):
    @classmethod
    def required_components(cls) -> List:
        return [DenseFeaturizer]

    @staticmethod
    def required_packages() -> List[Text]:
        return ["sklearn"]

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "C": 10.0,  # inverse regularisation strength of the logistic regression
            "wording_weight": 1.0,  # weight of the character n-grams beside the embedding
            "min_ngram": 1,
            "max_ngram": 4,
            "ranking_length": 10,
            # A part of the message classified as one of these, with at least this
            # confidence, and not the whole message's intent, is reported as also asked.
            "also_asked_topics": [],
            "also_asked_threshold": 0.6,
            # Below this, the whole message is unclear (the FallbackClassifier's threshold): a
            # part that clearly asks a topic then leads.
            "unsure_below": 0.4,
        }

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource) -> None:
        self._config = {**self.get_default_config(), **config}
        self._storage, self._resource = model_storage, resource
        self._vectorizer = None  # fitted by train(), or restored by load()
        self._classifier = None

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "SentenceIntentClassifier":
        return cls(config, model_storage, resource)

    def _features(self, messages: List[Message]) -> sparse.csr_matrix:
        meaning = np.vstack([m.get_dense_features(TEXT)[1].features for m in messages])
        return self._combined(meaning, [m.get(TEXT) for m in messages])

    def _combined(self, meaning: np.ndarray, texts: List[Text]) -> sparse.csr_matrix:
        words = self._vectorizer.transform(texts)
        return sparse.hstack([sparse.csr_matrix(meaning), self._config["wording_weight"] * words]).tocsr()

    def _asked_in_parts(self, text: Text) -> List[Dict[Text, Any]]:
        """The topics its parts (language/clauses.py) confidently ask, in order, once each;
        nothing for a message of one part."""
        # The first few parts only: each costs an encoding (~5 ms), and a message is bounded
        # in length, not in sentences (channels/limits.py).
        parts = clauses(text)
        if len(parts) > MAX_PARTS:  # the first few, and the last: a long story's question is at its end
            parts = parts[: MAX_PARTS - 1] + parts[-1:]
        topics = self._config["also_asked_topics"]
        if len(parts) < 2 or not topics:
            return []
        meaning = shared_encoder().encode([canonical(p) for p in parts])
        names = self._classifier.classes_
        asked: Dict[Text, float] = {}
        for row in self._classifier.predict_proba(self._combined(meaning, parts)):
            best = int(np.argmax(row))
            name, confidence = str(names[best]), float(row[best])
            if name in topics and confidence >= self._config["also_asked_threshold"] and name not in asked:
                asked[name] = confidence
        return [{"name": name, "confidence": confidence} for name, confidence in asked.items()]

    def _new_vectorizer(self):
        from sklearn.feature_extraction.text import TfidfVectorizer

        return TfidfVectorizer(analyzer="char_wb", preprocessor=wording, sublinear_tf=True, min_df=2,
                               ngram_range=(self._config["min_ngram"], self._config["max_ngram"]))

    def train(self, training_data: TrainingData) -> Resource:
        from sklearn.linear_model import LogisticRegression

        examples = [e for e in training_data.intent_examples if e.get(TEXT) and e.get(INTENT)]
        self._vectorizer = self._new_vectorizer().fit([e.get(TEXT) for e in examples])
        self._classifier = LogisticRegression(C=self._config["C"], max_iter=3000, random_state=42)
        self._classifier.fit(self._features(examples), [e.get(INTENT) for e in examples])
        stored_models.for_prediction(self._classifier)
        self.persist()
        return self._resource

    def process(self, messages: List[Message]) -> List[Message]:
        with_text = [m for m in messages if m.get(TEXT) and m.features_present(TEXT)]
        if not with_text or self._classifier is None:
            return messages
        probabilities = self._classifier.predict_proba(self._features(with_text))
        names = self._classifier.classes_
        for message, row in zip(with_text, probabilities):
            order = np.argsort(-row)[: self._config["ranking_length"]]
            ranking = [{"name": str(names[i]), "confidence": float(row[i])} for i in order]
            ranking, also = two_questions(ranking, self._asked_in_parts(message.get(TEXT)),
                                          self._config["unsure_below"])
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
            if also:
                message.set(ALSO_ASKED, also, add_to_output=True)
        return messages

    def persist(self) -> None:
        stored_models.save_in(self._storage, self._resource, "intent_classifier", self._vectorizer, self._classifier)

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "SentenceIntentClassifier":
        component = cls(config, model_storage, resource)
        # A model trained without NLU data stores none: nothing is classified.
        component._vectorizer, component._classifier = stored_models.restore_from(
            model_storage, resource, "intent_classifier", component._new_vectorizer(), component._config["C"])
        return component
