"""Rasa's responses (domain.yml), in the conversation's language, with the brand profile's
names filled in as they are said.

endpoints.yml names this class (through channels/website_responses.py) as the `nlg`. The
conversation's language is the one the NLU's language identifier left in the latest message's
parse data (language/language_identifier.py); the words are translated from the gettext
catalogs (translations/catalogs.py) before Rasa fills the {placeholders} from the slots; this
adds the profile's names (brand/profile.py: brand.yml and its brand.<code>.yml, or the files
BRAND_PROFILE names) in that language, read once when the server starts, so that no answer
carries a company's name of its own and a marketplace changes them in one file, without
training."""
from typing import Any, Dict, Optional, Text

from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.utils.endpoints import EndpointConfig

from brand.profile import load
from language.language_identifier import previous_language
from language.languages import load as load_languages
from translations.catalogs import translate, translated

LANGUAGE = "language"  # the conversation's, passed from generate() to the filling
# Slots the actions fill with English words from data files the catalogs hold (tools/translations.py).
WORDED_SLOTS = ("device_account",)


class BrandedResponses(TemplatedNaturalLanguageGenerator):
    def __init__(self, endpoint_config: Optional[EndpointConfig] = None, domain: Optional[Domain] = None) -> None:
        super().__init__((domain or Domain.empty()).responses)
        # `profile:` in endpoints.yml overrides BRAND_PROFILE (tests render other profiles).
        profile = endpoint_config.kwargs.get("profile") if endpoint_config else None
        self.languages = load_languages()
        self.brand = {code: load(profile, code) for code in self.languages.codes}
        self.spoken = ", ".join(language.native for language in self.languages.by_code.values())

    async def generate(self, utter_action: Text, tracker: Any, output_channel: Text,
                       **kwargs: Any) -> Optional[Dict[Text, Any]]:
        kwargs.setdefault(LANGUAGE, previous_language(tracker) or self.languages.default)
        return await super().generate(utter_action, tracker, output_channel, **kwargs)

    def _fill_response(self, response: Dict[Text, Any], filled_slots: Optional[Dict[Text, Any]] = None,
                       **kwargs: Any) -> Dict[Text, Any]:
        filled = super()._fill_response(translated(response, kwargs.get(LANGUAGE)), filled_slots, **kwargs)
        card = (filled.get("custom") or {}).get("card") if isinstance(filled.get("custom"), dict) else None
        if isinstance(card, dict):
            card["language"] = kwargs.get(LANGUAGE)  # the widget names the steps in the answer's language
        return filled

    def _response_variables(self, filled_slots: Dict[Text, Any], kwargs: Dict[Text, Any]) -> Dict[Text, Any]:
        language = kwargs.get(LANGUAGE)
        brand = self.brand.get(language) or self.brand[self.languages.default]
        # Slots whose values are words (the account to sign out of) are said in the language too.
        worded = {name: translate(filled_slots[name], language) for name in WORDED_SLOTS
                  if isinstance((filled_slots or {}).get(name), str)}
        return {**brand, "languages_spoken": self.spoken, **super()._response_variables(filled_slots, kwargs), **worded}
