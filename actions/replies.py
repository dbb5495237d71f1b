"""What a customer's typed message says, read without NLU: as a reply to the assistant's
own question ("I don't know it", "yep", "it's 40512351 I think", an e-mail inside a
sentence), whether they are upset or asking for a person, and whether they mean to carry on
with something left mid-way.

Plain Python. The phrases are data in actions/replies.yml, which support staff edit; the
order number's and e-mail's forms are those the logs redact (actions/log_redaction.py).
"""
import re
from functools import lru_cache
from pathlib import Path
from typing import Optional, Tuple

import yaml

from actions.identity import postcode_in
from common.identifiers import EMAIL, ORDER_NUMBER
from language.languages import unaccented, wording_files

PATTERNS_FILE = Path(__file__).with_name("replies.yml")

DOESNT_HAVE = "doesnt_have"  # doesn't have, can't find or doesn't know what was asked for
# Lists of patterns found anywhere in a message (the rest are replies to a question).
FOUND_ANYWHERE = ("upset", "wants_person", "carry_on", "stolen", "wrong_person", "not_delivered")
YES = "yes"
NO = "no"

# The marketplace's order numbers have exactly 8 digits (common/identifiers.py, ORDER_NUMBER).
# A run of digits meant as an order number but of the wrong length ("4051235").
_DIGITS = re.compile(r"(?<![\w@.])\d{5,12}(?![\w@])")
# "my postcode is 75011", "it's SW1A 2HQ", "zip: 10001"
_POSTCODE_LEAD_IN = re.compile(
    r"^(?:(?:it is|its|it|my|the|delivery|postal|postcode|post code|post|zipcode|zip code|zip|code|is|was)\b[\s:,-]*)+",
    re.IGNORECASE)
_APOSTROPHES = re.compile(r"['’`]")
# A reply that is a number and nothing else, perhaps grouped or after a few words ("it's
# order 4051 2351", "#40512351").
_NUMBER_REPLY = re.compile(
    r"^(?:(?:it is|its|it|my|the|order|number|no|nr|is|was)\b[\s:.,#-]*)*#?(\d[\d -]*\d)\.?$", re.IGNORECASE)
# Postcodes written as digits with a hyphen: Japan 123-4567, Portugal 1234-567, US ZIP+4 12345-6789.
_HYPHENATED_POSTCODE = re.compile(r"^(?:\d{3}-\d{4}|\d{4}-\d{3}|\d{5}-\d{4})$")


@lru_cache(maxsize=1)
def _patterns() -> dict:
    """Every language's phrases together: a customer may answer in another language than the
    conversation's ("ok", "merci"), and one language's yes is nobody else's no."""
    data = {name: [] for name in (DOESNT_HAVE, YES, NO, "filler") + FOUND_ANYWHERE}
    for path in wording_files(PATTERNS_FILE, "replies.yml").values():
        if path.exists():
            for name, phrases in yaml.safe_load(path.read_text()).items():
                data[name] += phrases
    found = {name: [re.compile(p) for p in data[name]] for name in (DOESNT_HAVE,) + FOUND_ANYWHERE}
    filler = "|".join(re.escape(f) for f in sorted(set(data["filler"]), key=len, reverse=True))
    for answer in (YES, NO):
        phrases = "|".join(re.escape(p) for p in sorted(set(data[answer]), key=len, reverse=True))
        found[answer] = re.compile(rf"(?:(?:{filler}) )*(?:{phrases})(?: (?:{filler}|{phrases}))*")
    return found


def words(text: Optional[str]) -> str:
    """The message as the patterns read it: lower case, without accents or apostrophes, one
    space between words ("Où l'ai-je ?" reads "ou lai je")."""
    plain = _APOSTROPHES.sub("", unaccented((text or "").lower().replace("ß", "ss")))
    return re.sub(r"[^a-z0-9@-]+", " ", plain).strip()


def _found(kind: str, text: Optional[str]) -> bool:
    plain = words(text)
    return any(p.search(plain) for p in _patterns()[kind])


def reply_kind(text: Optional[str]) -> Optional[str]:
    """DOESNT_HAVE, YES or NO, or None when the reply is none of them."""
    if _found(DOESNT_HAVE, text):
        return DOESNT_HAVE
    plain = words(text)
    for answer in (YES, NO):
        if _patterns()[answer].fullmatch(plain):
            return answer
    return None


def upset(text: Optional[str]) -> bool:
    return _found("upset", text)


def wants_person(text: Optional[str]) -> bool:
    return _found("wants_person", text)


def first_described(kinds: Tuple[str, ...], text: Optional[str]) -> Optional[str]:
    """The first of these kinds of reply (replies.yml's lists of patterns) the message is, else None."""
    return next((kind for kind in kinds if _found(kind, text)), None)


def carries_on(text: Optional[str]) -> bool:
    """Whether the customer means to pick up where they left off ("where were we")."""
    return _found("carry_on", text)


def order_number_in(text: Optional[str]) -> Optional[str]:
    numbers = ORDER_NUMBER.findall(text or "")
    # Two numbers in one message: which one is meant is not ours to guess.
    return numbers[0] if len(set(numbers)) == 1 else None


def order_number_reply(text: Optional[str]) -> Optional[str]:
    """The digits of a reply that is only a number of 6 to 12 digits, whatever its grouping
    ("4051 2351", "it's 4051235"): meant as an order number, perhaps mistyped, not as a
    postcode (those are shorter, "75011", or hyphenated: "123-4567"). None for anything else."""
    match = _NUMBER_REPLY.match(_APOSTROPHES.sub("", (text or "").strip()))
    if not match or _HYPHENATED_POSTCODE.match(match.group(1)):
        return None
    digits = re.sub(r"\D", "", match.group(1))
    return digits if 6 <= len(digits) <= 12 else None


def digits_in(text: Optional[str]) -> bool:
    """Whether the message holds a number that looks meant as an order number."""
    return bool(_DIGITS.search(text or ""))


def email_in(text: Optional[str]) -> Optional[str]:
    match = EMAIL.search(text or "")
    return match.group().rstrip(".") if match else None


def postcode_in_reply(text: Optional[str]) -> Optional[str]:
    """A postcode given on its own or after a few words ("my postcode is 75011")."""
    return postcode_in(_POSTCODE_LEAD_IN.sub("", _APOSTROPHES.sub("", (text or "").strip())))
