"""The text the intent classifier reads: order numbers and e-mail addresses in one canonical
form, so that what the customer means, not which number they typed, decides the intent.

"where is order 99999999" and "where is order 40512348" then read alike, and the 8 digits
of an order number weigh as one order number, not as eight characters. Plain Python.
"""
from common import identifiers

# Order numbers and e-mail addresses as the entity rules find them (common/identifiers.py,
# built into the spaCy pipeline by language/build_pipeline.py), each written one way.
ORDER_NUMBER = "12345678"
EMAIL = "name@example.com"


def canonical(text: str) -> str:
    return identifiers.EMAIL.sub(EMAIL, identifiers.ORDER_NUMBER.sub(ORDER_NUMBER, text))
