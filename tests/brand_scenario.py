"""Run in the Rasa server's virtualenv by tests/test_brand.py: every response in domain.yml,
every variation, said through the Rasa server's response generator (brand/nlg.py) with the
brand profile given. Prints JSON: each rendered text and button title."""
import json
import re
import sys

from rasa.shared.core.domain import Domain
from rasa.utils.endpoints import EndpointConfig

from brand.nlg import BrandedResponses

PLACEHOLDER = re.compile(r"{([^\n{}]+?)}")


def strings_in(value) -> list:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    return [text for item in value for text in strings_in(item)] if isinstance(value, list) else []


def main(profile: str, language: str = "en") -> None:
    domain = Domain.load("domain.yml")
    nlg = BrandedResponses(EndpointConfig(type="brand.nlg.BrandedResponses", profile=profile), domain)
    said = []
    for name, variations in domain.responses.items():
        for variation in variations:
            # The conversation's own values (order number, dates ...) as placeholders' names.
            others = {key: f"<{key}>" for key in PLACEHOLDER.findall(json.dumps(variation))
                      if not key.startswith("brand_")}
            filled = nlg._fill_response(dict(variation), others, language=language)
            # A card (the widget's custom payload) is said too: all its strings.
            text = "\n".join([filled.get("text") or "", *strings_in(filled.get("custom"))])
            said.append({"response": name, "text": text,
                         "buttons": [button.get("title", "") for button in filled.get("buttons") or []]})
    print(json.dumps({"brand": nlg.brand[language], "said": said}))


if __name__ == "__main__":
    main(*sys.argv[1:3])
