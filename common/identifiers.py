"""What a customer's identifiers look like, for every service: the marketplace's order numbers,
e-mail addresses, postcodes and the website's customer tokens.

Each is here once, in two forms:
- a compiled pattern that finds it in free text (`ORDER_NUMBER.findall(message)`,
  `EMAIL.search(reply)`, `TOKEN.sub("[token]", line)`), for reading messages and for keeping
  identifiers out of logs and transcripts;
- a pattern string that a whole value must match (`ORDER_NUMBER_VALUE`, `whole(EMAIL)`), for
  pydantic's and FastAPI's `pattern=` (the order backend) and the spaCy pipeline's token rules
  (language/build_pipeline.py). Those strings avoid look-arounds: pydantic compiles them with
  Rust's regex engine, which has none.
"""
import re
from typing import Any

# The marketplace's order numbers have exactly 8 digits ("40512345").
ORDER_NUMBER_DIGITS = 8
ORDER_NUMBER_FORM = rf"\d{{{ORDER_NUMBER_DIGITS}}}"
# A whole value that is an order number (an API path or field, a spaCy token).
ORDER_NUMBER_VALUE = rf"^{ORDER_NUMBER_FORM}$"
# An order number in text: 8 digits that are not part of a longer number.
ORDER_NUMBER = re.compile(rf"(?<!\d){ORDER_NUMBER_FORM}(?!\d)")

# An e-mail address: "ana.martin+shop@example.co.uk". Broad on purpose (any word characters,
# a dotted domain): what it finds is kept out of logs, and a customer's address is checked
# against the order by the backend, not by its form.
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

# A postcode or ZIP code: "75011", "SW1A 2HQ", "10001-1234" (3 to 10 letters, digits, spaces
# or hyphens, starting and ending with a letter or digit).
POSTCODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9 -]{1,8}[A-Za-z0-9]")

# A customer token as the website signs it: a JSON Web Token (three base64url parts, the first
# a JSON object, so "eyJ"), with or without its signature.
TOKEN = re.compile(r"eyJ[\w-]+\.[\w-]+\.[\w-]*")


def whole(pattern: "re.Pattern[str]") -> str:
    """The pattern string a whole value must match: `whole(EMAIL)` for a spaCy token."""
    return f"^(?:{pattern.pattern})$"


def is_order_number(value: Any) -> bool:
    """Whether the value is an order number, and nothing else."""
    return isinstance(value, str) and re.fullmatch(ORDER_NUMBER_FORM, value) is not None
