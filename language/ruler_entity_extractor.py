"""Rasa NLU component: entities from the project's spaCy entity ruler, with canonical values.

Rasa's SpacyEntityExtractor reports an entity's text as its value. Ruler patterns carry a
canonical id ("Fed Ex" -> "FedEx", see language/entity_patterns.yml); this extractor reports
that id as the value, so the patterns file is the one place carrier names are defined.
"""
from typing import Any, Dict, List, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.extractors.spacy_entity_extractor import SpacyEntityExtractor


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False, model_from="SpacyNLP"
)
class RulerEntityExtractor(SpacyEntityExtractor):
    @staticmethod
    def _extract_entities(doc: Any) -> List[Dict[Text, Any]]:
        return [
            {
                "entity": ent.label_,
                "value": ent.ent_id_ or ent.text,
                "start": ent.start_char,
                "end": ent.end_char,
                "confidence": None,
            }
            for ent in doc.ents
        ]
