"""Rasa's responses (domain.yml), with the brand profile's names filled in as they are said.

endpoints.yml names this class as the `nlg`. Rasa fills a response's {placeholders} from the
conversation's slots; this adds the profile's names (brand/profile.py: brand.yml, or the file
BRAND_PROFILE names), read once when the server starts, so that no answer carries a company's
name of its own and a marketplace changes them in one file, without training."""
from typing import Any, Dict, Optional, Text

from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.utils.endpoints import EndpointConfig

from brand.profile import load


class BrandedResponses(TemplatedNaturalLanguageGenerator):
    def __init__(self, endpoint_config: Optional[EndpointConfig] = None, domain: Optional[Domain] = None) -> None:
        super().__init__((domain or Domain.empty()).responses)
        # `profile:` in endpoints.yml overrides BRAND_PROFILE (tests render other profiles).
        self.brand = load(endpoint_config.kwargs.get("profile") if endpoint_config else None)

    def _response_variables(self, filled_slots: Dict[Text, Any], kwargs: Dict[Text, Any]) -> Dict[Text, Any]:
        return {**self.brand, **super()._response_variables(filled_slots, kwargs)}
