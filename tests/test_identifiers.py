"""common/identifiers.py: what an order number, an e-mail address, a postcode and a customer
token look like, the one definition that the entity rules, the intent classifier's text, the
action server's reading of replies, the log redaction and the order backend's API share."""
import re

import pytest

from actions.identity import postcode_in
from actions.log_redaction import redact
from actions.replies import email_in, order_number_in
from common.identifiers import (
    EMAIL, ORDER_NUMBER, ORDER_NUMBER_DIGITS, ORDER_NUMBER_VALUE, POSTCODE, TOKEN, is_order_number, whole,
)
from language.canonical import canonical

JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjdXNfYW5hIn0.c2lnbmF0dXJl"


@pytest.mark.parametrize("text, found", [
    ("where is order 40512351?", ["40512351"]),
    ("#40512351 and 40512348", ["40512351", "40512348"]),
    ("order40512351", ["40512351"]),
    ("405123510 is nine digits, 4051235 seven", []),
    ("call +33 1 40512351", ["40512351"]),
])
def test_an_order_number_in_text_is_eight_digits_not_part_of_a_longer_number(text, found):
    assert ORDER_NUMBER.findall(text) == found


@pytest.mark.parametrize("value, whole_number", [
    ("40512351", True), ("4051235", False), ("405123510", False), (" 40512351", False), ("40512351\n", False),
    ("4051235a", False), (40512351, False), (None, False),
])
def test_a_whole_value_is_an_order_number_one_way_in_python_and_as_an_api_pattern(value, whole_number):
    assert ORDER_NUMBER_DIGITS == 8
    assert is_order_number(value) is whole_number
    if isinstance(value, str):
        # What pydantic and FastAPI check (with Rust's regex engine, where $ is the end of text).
        assert (re.search(ORDER_NUMBER_VALUE.replace("$", r"\Z"), value) is not None) is whole_number
    assert "(?" not in ORDER_NUMBER_VALUE  # no look-arounds: Rust's engine has none


@pytest.mark.parametrize("text, address", [
    ("my email is ana.martin@example.com.", "ana.martin@example.com"),
    ("(sophie_b+shop@hotmail.fr)", "sophie_b+shop@hotmail.fr"),
    ("it's anna-lena.k@gmx.de thanks", "anna-lena.k@gmx.de"),
    ("olivia.r@hotmail.co.uk order 15739028", "olivia.r@hotmail.co.uk"),
    ("no address @ all", None),
    ("ana@localhost", None),
])
def test_an_email_address_in_text(text, address):
    match = EMAIL.search(text)
    assert (match.group() if match else None) == address
    if address:
        assert re.match(whole(EMAIL), address) and not re.match(whole(EMAIL), f"{address} x")


@pytest.mark.parametrize("text, postcode", [
    ("75011", True), ("SW1A 2HQ", True), ("10001-1234", True), ("75", False), ("75011 please", False),
    ("-75011", False),
])
def test_a_postcode_is_a_whole_value(text, postcode):
    assert bool(re.match(whole(POSTCODE), text)) is postcode


def test_a_customer_token_is_found_whole():
    assert TOKEN.findall(f"metadata {{'customer_token': '{JWT}'}}") == [JWT]
    assert TOKEN.findall("eyJ is not a token") == []


def test_the_services_read_text_with_the_same_definitions():
    message = f"order 40512351 for ana.martin@example.com, token {JWT}"
    assert order_number_in(message) == "40512351" and email_in(message) == "ana.martin@example.com"
    assert canonical(message) == f"order 12345678 for name@example.com, token {JWT}"
    assert redact(message) == "order [order] for [email], token [token]"
    assert postcode_in("SW1A 2HQ") == "SW1A 2HQ"
