"""Customers' identifiers replaced by what they are: order numbers, e-mail addresses, the
website's tokens and API bearer tokens. One list for every reader of customers' words that must
not keep them: the servers' logs (actions/log_redaction.py) and the insights' record of what
customers wrote (insights/feed.py)."""
import re

from common.identifiers import EMAIL, ORDER_NUMBER, TOKEN

_RULES = (
    (TOKEN, "[token]"),
    (re.compile(r"(?i)\bbearer\s+\S+"), "Bearer [token]"),  # the backend API token
    (EMAIL, "[email]"),
    (ORDER_NUMBER, "[order]"),
)
# Longer runs of digits than an order number's, with spaces or dashes between groups: a phone
# number or a card number typed in a message. Only for customers' own words (insights), where
# nothing of the kind is needed; logs keep their ids and counts readable.
_NUMBERS = re.compile(r"(?<![\w@])\+?\d(?:[\d \-.()]{5,}\d)(?!\w)")


def redact(text: str) -> str:
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text


def redact_message(text: str) -> str:
    """A customer's message as the insights keep it: their identifiers, and any other long
    number (phone, card), replaced."""
    return _NUMBERS.sub(lambda m: m.group(0) if sum(c.isdigit() for c in m.group(0)) < 6 else "[number]",
                        redact(text))
