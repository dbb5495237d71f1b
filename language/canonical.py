"""The text the intent classifier reads: order numbers and e-mail addresses in one canonical
form, so that what the customer means, not which number they typed, decides the intent.

"where is order 99999999" and "where is order 40512348" then read alike, and the 8 digits
of an order number weigh as one order number, not as eight characters. Plain Python.
"""
import re

# The order-number and e-mail forms of language/entity_patterns.yml.
_ORDER_NUMBER = re.compile(r"(?<!\d)\d{8}(?!\d)")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")
ORDER_NUMBER = "12345678"
EMAIL = "name@example.com"


def canonical(text: str) -> str:
    return _EMAIL.sub(EMAIL, _ORDER_NUMBER.sub(ORDER_NUMBER, text))
