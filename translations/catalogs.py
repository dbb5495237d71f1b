"""The assistant's answers in the customer's language: gettext catalogs, read with Babel.

Every sentence a customer can read from the Rasa server (domain.yml's responses, their
buttons, quick replies and cards, and channels/limits.yml) is written in English where it is
used, and translated in locale/<code>/LC_MESSAGES/messages.po, the form translators' tools
(Poedit, Weblate, Crowdin) and Babel's `pybabel` use. `make translations` extracts the
English into locale/messages.pot and merges it into each catalog (new sentences untranslated,
changed ones marked fuzzy); tests/test_translations.py fails while any sentence of any
language in language/languages.yml is missing, fuzzy, or has other {placeholders}.

An English sentence is its own key (msgid), so the same words are translated once wherever
they are used ("Talk to a person"); its {placeholders} are filled after translation.
"""
import copy
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Iterator, Optional, Tuple

from babel.messages.pofile import read_po

from language.languages import LOCALE_DIR

ROOT = LOCALE_DIR.parent
TEMPLATE = LOCALE_DIR / "messages.pot"
# The keys of a response (and of a custom payload's card) whose strings are words to translate.
WORDED_KEYS = ("text", "title", "subtitle", "detail")
PLACEHOLDER = re.compile(r"\{[a-z_0-9]+\}")


def catalog_path(code: str) -> Path:
    return LOCALE_DIR / code / "LC_MESSAGES" / "messages.po"


def worded(value: Any) -> bool:
    """Whether a string holds words to translate, not only {placeholders} ("{order_item}")."""
    return isinstance(value, str) and bool(re.search(r"[^\W\d_]", PLACEHOLDER.sub("", value)))


def placeholders(text: str) -> Tuple[str, ...]:
    return tuple(sorted(PLACEHOLDER.findall(text)))


def _worded_fields(part: Dict[str, Any]) -> Iterator[Tuple[Dict[str, Any], str]]:
    """(holder, key) of each translatable string of a response variation, in order: its text,
    its buttons' and quick replies' titles, and a custom payload's (a card's) words."""
    for key, value in part.items():
        if key in WORDED_KEYS and worded(value):
            yield part, key
        elif key in ("buttons", "quick_replies") and isinstance(value, list):
            yield from ((button, "title") for button in value if isinstance(button, dict) and worded(button.get("title")))
        elif key in ("custom", "card", "link") and isinstance(value, dict):
            yield from _worded_fields(value)


def sentences_of(response: Dict[str, Any]) -> Iterator[str]:
    """The translatable strings of one response variation, in order."""
    return (holder[key] for holder, key in _worded_fields(response))


@lru_cache(maxsize=None)
def _translations(code: str) -> Dict[str, str]:
    path = catalog_path(code)
    if not path.exists():
        return {}
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=code)
    return {message.id: message.string for message in catalog
            if message.id and message.string and not message.fuzzy}


def translate(text: str, code: Optional[str]) -> str:
    """The sentence in the language `code` (English, or when untranslated, as written)."""
    if not code or code == "en":
        return text
    return _translations(code).get(text, text)


def translated(response: Dict[str, Any], code: Optional[str]) -> Dict[str, Any]:
    """A copy of a response variation with its words in the language `code`."""
    if not code or code == "en":
        return response
    result = copy.deepcopy(response)
    for holder, key in list(_worded_fields(result)):
        holder[key] = translate(holder[key], code)
    return result
