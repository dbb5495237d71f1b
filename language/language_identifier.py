"""Rasa NLU component: the language the conversation goes on in, after each message.

Which language a message is written in comes from two readers, mixed: Lingua (a kept language
identifier from PyPI, restricted to the supported languages, in its low-accuracy mode: 38 MB
where its full models take 180) and a character n-gram model of this project's own training
examples, whose language each file names (`metadata: {language: fr}`). Lingua knows the
languages; the n-grams know how customers write about parcels and returns in them ("reso?",
"Retoure", "colis"), which is where Lingua alone errs on short messages. Weights and
thresholds are calibrated on the held-out sets by `make eval` (tools/eval_nlu.py).

language/languages.py decides what the conversation's language becomes (the channel's hint,
the customer's request, a clear message, never one ambiguous word). The decision goes into
the parse data as `language` ({"code", "detected", "requested"}), so every reader of the
conversation (the answers' translations, the actions, the handoff service) finds it in
Rasa's record of the conversation, kept across reloads, restarts, replicas and handoffs.
A customer asking for a language ("auf Deutsch bitte") is given the `change_language` intent,
and a message clearly in a language the assistant doesn't speak (languages.yml's `recognised`)
`other_language`.
"""
from typing import Any, Dict, List, Optional, Text, Tuple

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.events import UserUttered
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, METADATA, METADATA_INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from language import stored_models
from language.canonical import canonical
from language.languages import conversation_language, language_so_far, load, unspoken

LANGUAGE = "language"
CHANGE_LANGUAGE = "change_language"
OTHER_LANGUAGE = "other_language"  # written in a language the assistant doesn't speak
# Where channels put their hint in the message's metadata (the widget's customData, Telegram).
HINT = "language"


def previous_language(tracker: Any) -> Optional[Text]:
    """The conversation's language as the customer's messages so far left it (the answers'
    translations read it too: brand/nlg.py)."""
    said = [e for e in reversed(getattr(tracker, "events", None) or []) if isinstance(e, UserUttered)]
    return language_so_far((e.parse_data, e.metadata) for e in said)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class LanguageIdentifier(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "C": 10.0,
            # The share of the project's n-gram model in the mix (the rest is Lingua's).
            "own_weight": 0.7,
        }

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource) -> None:
        self._config = {**self.get_default_config(), **config}
        self._storage, self._resource = model_storage, resource
        self._languages = load()
        self._vectorizer = None
        self._classifier = None
        self._lingua = None

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "LanguageIdentifier":
        return cls(config, model_storage, resource)

    @staticmethod
    def _new_vectorizer():
        from sklearn.feature_extraction.text import TfidfVectorizer

        return TfidfVectorizer(analyzer="char_wb", preprocessor=lambda t: canonical(t).lower(),
                               sublinear_tf=True, ngram_range=(1, 4), min_df=2)

    def _language_of_example(self, example: Message) -> Text:
        metadata = example.get(METADATA) or {}
        code = (metadata.get(METADATA_INTENT) or {}).get(LANGUAGE) if isinstance(metadata, dict) else None
        return self._languages.known(code) or self._languages.default

    def train(self, training_data: TrainingData) -> Resource:
        from sklearn.linear_model import LogisticRegression

        # Messages in languages it doesn't speak teach it nothing of those it does.
        examples = [e for e in training_data.intent_examples if e.get(TEXT) and e.get(INTENT) != OTHER_LANGUAGE]
        labels = [self._language_of_example(e) for e in examples]
        self._vectorizer = self._new_vectorizer().fit([e.get(TEXT) for e in examples])
        self._classifier = LogisticRegression(C=self._config["C"], max_iter=3000, random_state=42)
        self._classifier.fit(self._vectorizer.transform([e.get(TEXT) for e in examples]), labels)
        stored_models.for_prediction(self._classifier)
        self.persist()
        return self._resource

    def readings(self, text: Text) -> Tuple[Dict[Text, float], Dict[Text, float], Dict[Text, float]]:
        """How sure each reader is of each language: the project's own model (the spoken
        languages), Lingua (the spoken and the recognised ones), and the two mixed over the
        spoken languages."""
        own = {str(code): float(p) for code, p in
               zip(self._classifier.classes_, self._classifier.predict_proba(self._vectorizer.transform([text]))[0])}
        general = self._lingua_confidences(text)
        spoken_total = sum(general.get(code, 0.0) for code in own) or 1.0
        weight = self._config["own_weight"]
        mixed = {code: weight * p + (1 - weight) * general.get(code, 0.0) / spoken_total for code, p in own.items()}
        return own, general, mixed

    def _lingua_confidences(self, text: Text) -> Dict[Text, float]:
        if self._lingua is None:
            from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

            codes = self._languages.codes + self._languages.recognised
            known = [Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())) for code in codes]
            self._lingua = (LanguageDetectorBuilder.from_languages(*known).with_low_accuracy_mode()
                            .with_preloaded_language_models().build())
        return {c.language.iso_code_639_1.name.lower(): c.value for c in self._lingua.compute_language_confidence_values(text)}

    def process(self, messages: List[Message], tracker: Optional[Any] = None) -> List[Message]:
        current = previous_language(tracker)
        for message in messages:
            text = message.get(TEXT) or ""
            metadata = message.get(METADATA) or {}
            hint = metadata.get(HINT) if isinstance(metadata, dict) else None
            # A button's payload ("/affirm") is in no language: the conversation's goes on.
            readable = self._classifier is not None and text and not text.startswith("/")
            own, general, mixed = self.readings(text) if readable else ({}, {}, {})
            requested = self._languages.requested(text)
            other = None if requested else unspoken(text, own, general, self._languages)
            if other or (message.get(INTENT) or {}).get("name") == OTHER_LANGUAGE:
                # A message in a language the assistant doesn't speak moves it to none of its own.
                code = current or self._languages.known(hint) or self._languages.default
            else:
                code = conversation_language(text, current, hint, mixed, self._languages)
            detected = max(mixed, key=mixed.get) if mixed else None
            message.set(LANGUAGE, {"code": code, "detected": detected, "requested": requested, "unspoken": other},
                        add_to_output=True)
            if requested or other:
                meant = {"name": CHANGE_LANGUAGE if requested else OTHER_LANGUAGE, "confidence": 1.0}
                message.set(INTENT, meant, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [meant], add_to_output=True)
        return messages

    def persist(self) -> None:
        stored_models.save_in(self._storage, self._resource, "language_identifier", self._vectorizer, self._classifier)

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "LanguageIdentifier":
        component = cls(config, model_storage, resource)
        # A model trained without NLU data stores none: every conversation in its hint's language.
        component._vectorizer, component._classifier = stored_models.restore_from(
            model_storage, resource, "language_identifier", cls._new_vectorizer(), component._config["C"])
        return component
