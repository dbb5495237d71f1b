"""Typed replies read without NLU (actions/replies.py and its phrases in actions/replies.yml)."""
import pytest

from actions.replies import (
    DOESNT_HAVE, NO, YES, carries_on, digits_in, email_in, order_number_in, order_number_reply, postcode_in_reply, reply_kind,
    upset, wants_person,
)


@pytest.mark.parametrize("reply", [
    "I don't know it", "i don't know my order number", "can't find it", "I lost the email",
    "no idea, just tell me generally", "I dont have it", "don’t remember", "not sure", "dunno", "idk",
    "I didn't get an email", "i never got a confirmation email", "deleted it", "where do I find it?",
    "what's an order number?", "I don't have them", "no email", "just tell me in general", "i forgot",
])
def test_not_having_what_was_asked(reply):
    assert reply_kind(reply) == DOESNT_HAVE


@pytest.mark.parametrize("reply", [
    "UPS lost my package", "i didnt receive my package", "where is my order", "it was stolen", "40512351",
])
def test_other_messages_are_not_read_as_not_having_it(reply):
    assert reply_kind(reply) != DOESNT_HAVE


@pytest.mark.parametrize("reply, kind", [
    ("yes", YES), ("Yep!", YES), ("yes please", YES), ("ok", YES), ("sure thing", YES), ("Go ahead.", YES),
    ("no", NO), ("nope", NO), ("no, thanks", NO), ("nah", NO), ("not now", NO), ("none of them", NO),
    ("yes but where is it", None), ("no way it was stolen", None), ("the second one", None),
])
def test_yes_and_no_in_common_wordings(reply, kind):
    assert reply_kind(reply) == kind


@pytest.mark.parametrize("message", [
    "this is ridiculous", "this is useless!!", "you're useless", "worst service ever", "this is a joke",
    "I'm so fed up", "you don't understand", "this isn't helping",
])
def test_upset(message):
    assert upset(message)


@pytest.mark.parametrize("message", [
    "i want a real person NOW", "can I talk to a human", "get me an agent", "speak to someone please",
    "I need a representative", "customer service", "connect me to a person",
])
def test_asks_for_a_person(message):
    assert wants_person(message)


@pytest.mark.parametrize("message", ["where is my order", "how do I contact the seller", "thanks, great"])
def test_calm_questions_are_neither(message):
    assert not upset(message) and not wants_person(message)


def test_an_order_number_inside_a_sentence_but_not_two_of_them():
    assert order_number_in("it's 40512351 I think") == "40512351"
    assert order_number_in("#40512351") == "40512351"
    assert order_number_in("40512351 or 40512348") is None
    assert order_number_in("405123512") is None


def test_a_number_meant_as_an_order_number():
    assert digits_in("it's 4051235") and not digits_in("order from 2023") and not digits_in("ana@example.com")


def test_an_email_inside_a_sentence():
    assert email_in("my email is ana.martin@example.com, thanks") == "ana.martin@example.com"
    assert email_in("ana at example dot com") is None


@pytest.mark.parametrize("reply, postcode", [
    ("75011", "75011"), ("my postcode is 75011", "75011"), ("it's SW1A 2HQ", "SW1A 2HQ"),
    ("zip code: 10001", "10001"), ("it's 75011", "75011"), ("it's in Paris", None), ("no idea", None),
])
def test_a_postcode_on_its_own_or_after_a_few_words(reply, postcode):
    assert postcode_in_reply(reply) == postcode


@pytest.mark.parametrize("reply, digits", [
    ("40512351", "40512351"), ("4051 2351", "40512351"), ("405-123-51", "40512351"), ("#40512351", "40512351"),
    ("it's order 4051235", "4051235"), ("order number: 405123511", "405123511"), ("40512351.", "40512351"),
    # postcodes, and sentences, are not order numbers
    ("75011", None), ("SW1A 2HQ", None), ("123-4567", None), ("1000-001", None), ("10001-1234", None),
    ("123 45", None), ("my order 40512351 is late", None), ("ana@example.com", None), ("", None),
])
def test_a_reply_that_is_only_a_number_like_an_order_number(reply, digits):
    assert order_number_reply(reply) == digits


@pytest.mark.parametrize("text", ["umm where were we", "ok lets get back to it", "can we continue the checklist",
                                  "where was I", "pick up where we left off", "let's finish the steps"])
def test_carrying_on_in_common_wordings(text):
    assert carries_on(text)


@pytest.mark.parametrize("text", ["what do I need to do before I send it back?", "where is my order", "back"])
def test_a_fresh_question_is_not_carrying_on(text):
    assert not carries_on(text)
