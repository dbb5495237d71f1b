"""The languages the assistant speaks (language/languages.yml), and which one a conversation
is in.

Plain Python. A conversation keeps its language: the channel's hint (the widget's setting or
the browser's locale, Telegram's language_code) starts it, and the customer's own words move
it only when they clearly write in another supported language, or ask for one ("auf Deutsch
bitte", "can we speak English?"). One ambiguous word ("ok", "merci", "no", an order number)
never moves it.
"""
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, Iterable, Mapping, Optional, Tuple

import yaml

LANGUAGES_FILE = Path(__file__).with_name("languages.yml")
# Each language's wording files other than English's: locale/<code>/<name> (English's stay
# where they are used: actions/replies.yml, actions/date_phrases.yml ...).
LOCALE_DIR = Path(__file__).parent.parent / "locale"
# A message needs this many words of two letters or more before its language can move the
# conversation's (calibrated on the held-out sets by `make eval`: tools/eval_nlu.py).
MIN_WORDS = 2
# ... and the language identifier this sure of another language; this sure of one for a first
# message, with nothing before it (no hint, no earlier message) to go on.
MIN_CONFIDENCE = 0.7
FIRST_MIN_CONFIDENCE = 0.5
# A language the assistant doesn't speak is told from a message of this many words or more,
# when the project's own model (which knows only the spoken ones) is less sure than this.
UNSPOKEN_MIN_WORDS = 3
OWN_CERTAINTY = 0.9
_WORD = re.compile(r"[^\W\d_]{2,}")


@dataclass(frozen=True)
class Language:
    code: str  # ISO 639-1: "fr"
    name: str  # in English: "French"
    native: str  # as its speakers write it: "Français"
    locale: str  # Babel's: "fr_FR"
    asked_as: Tuple[str, ...]  # its name as customers ask for it, in any language
    ordinals: Mapping[str, int]  # "deuxieme" -> 2, "dernier" -> -1


@dataclass(frozen=True)
class Languages:
    default: str
    by_code: Mapping[str, Language]
    # Words that make a language's name a request for it: "speak", "parlez" ...; and those
    # that do so right before it: "auf Deutsch", "en français".
    asking: Tuple[str, ...]
    asking_before: Tuple[str, ...]
    recognised: Tuple[str, ...]  # languages told apart from these, but not spoken

    @property
    def codes(self) -> Tuple[str, ...]:
        return tuple(self.by_code)

    def known(self, code: Optional[str]) -> Optional[str]:
        """code as a supported language ("fr-FR", "FR", "fr" -> "fr"), else None."""
        if not isinstance(code, str):
            return None
        short = code.strip().replace("_", "-").split("-")[0].lower()
        return short if short in self.by_code else None

    def requested(self, text: str) -> Optional[str]:
        """The language a customer asks to be spoken to in ("can we speak English?", "auf
        Deutsch bitte", "en français svp", "italiano?"), else None."""
        words = plain(text).split()
        if not words or len(words) > 8:
            return None
        named = {code for code, language in self.by_code.items() for word in words if word in language.asked_as}
        if len(named) != 1:
            return None
        code = named.pop()
        before = {words[i - 1] for i, word in enumerate(words) if i and word in self.by_code[code].asked_as}
        asks = set(words) & set(self.asking) or before & set(self.asking_before) or len(words) <= 2
        return code if asks else None

    def ordinals(self) -> Dict[str, int]:
        """Every language's ordinal words together: customers mix them with buttons' titles."""
        found: Dict[str, int] = {}
        for language in self.by_code.values():
            found.update(language.ordinals)
        return found


def wording_files(english: Path, name: str) -> Dict[str, Path]:
    """Every supported language's file of one kind: English's at `english`, the others'
    at locale/<code>/<name> (whether or not they exist yet: tests say which are missing)."""
    return {code: english if code == "en" else LOCALE_DIR / code / name for code in load().codes}


def unaccented(text: str) -> str:
    """Lower case, without accents: "Où l'ai-je ?" -> "ou l'ai-je ?"."""
    decomposed = unicodedata.normalize("NFKD", (text or "").lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def plain(text: str) -> str:
    """Lower case, without accents or punctuation: "Français ?" -> "francais"."""
    return " ".join(re.findall(r"[a-z0-9]+", unaccented(text)))


def unspoken(text: str, own: Mapping[str, float], general: Mapping[str, float], languages: "Languages") -> Optional[str]:
    """The language a message is clearly in when the assistant doesn't speak it, else None:
    long enough to tell, the general identifier (which knows the recognised languages too)
    sure of one it doesn't speak, and the project's own model (which knows how customers
    write in the spoken ones) unsure."""
    if not general or not carries_language(text, UNSPOKEN_MIN_WORDS):
        return None
    best = max(general, key=general.get)
    if best in languages.by_code or general[best] < MIN_CONFIDENCE:
        return None
    return best if max(own.values(), default=0.0) < OWN_CERTAINTY else None


def carries_language(text: str, min_words: int = MIN_WORDS) -> bool:
    """Whether a message has enough words to tell its language at all (not "ok", "40512345",
    "anna@example.com")."""
    without_addresses = re.sub(r"\S+@\S+|https?://\S+", " ", text or "")
    return len(_WORD.findall(without_addresses)) >= min_words


def conversation_language(text: str, current: Optional[str], hint: Optional[str],
                          confidences: Mapping[str, float], languages: "Languages",
                          min_words: int = MIN_WORDS, min_confidence: float = MIN_CONFIDENCE) -> str:
    """The language the conversation goes on in after this message: the one asked for; else
    the one the message is clearly written in; else the conversation's so far, the channel's
    hint or the default. confidences: the language identifier's, over the supported languages."""
    asked = languages.requested(text)
    if asked:
        return asked
    started = current or languages.known(hint)
    base = started or languages.default
    # Before anything has set the language, one clear word does ("bonjour", "Hallo").
    if confidences and carries_language(text, min_words if current else 1):
        best = max(confidences, key=confidences.get)
        if confidences[best] >= (min_confidence if current else FIRST_MIN_CONFIDENCE):
            return best
    return base


def language_so_far(messages: Iterable[Tuple[Optional[Mapping], Optional[Mapping]]],
                    languages: Optional["Languages"] = None) -> Optional[str]:
    """The conversation's language as the customer's messages left it: the latest that the
    language identifier read, else the channel's hint on the latest that had one. A button's
    payload ("/track_order"), which Rasa reads apart from the NLU pipeline, carries only the
    hint. messages: (parse_data, metadata) pairs, latest first."""
    languages = languages or load()
    hint = None
    for parse_data, metadata in messages:
        code = ((parse_data or {}).get("language") or {}).get("code")
        if code:
            return code
        hint = hint or languages.known((metadata or {}).get("language"))
    return hint


@lru_cache(maxsize=4)
def load(path: Path = LANGUAGES_FILE) -> Languages:
    data = yaml.safe_load(Path(path).read_text())
    by_code = {
        code: Language(code=code, name=block["name"], native=block["native"], locale=block["locale"],
                       asked_as=tuple(plain(word) for word in block["asked_as"]),
                       ordinals={plain(word): int(place) for word, place in block["ordinals"].items()})
        for code, block in data["languages"].items()
    }
    if data["default"] not in by_code:
        raise ValueError(f"{path}: the default language {data['default']!r} has no block")
    return Languages(default=data["default"], by_code=by_code, asking=tuple(plain(w) for w in data["asking"]),
                     asking_before=tuple(plain(w) for w in data["asking_before"]),
                     recognised=tuple(data.get("recognised") or ()))
