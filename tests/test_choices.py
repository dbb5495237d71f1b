"""Typed replies to offered buttons: language/choices.py."""
import pytest

from language.choices import chosen_button

CHECKLIST = [{"title": "Next step", "payload": "/affirm"},
             {"title": "Back", "payload": "/previous_step"},
             {"title": "Stop", "payload": "/deny"}]


@pytest.mark.parametrize("reply, payload", [
    ("1", "/affirm"), ("2", "/previous_step"), (" 3 ", "/deny"), ("2.", "/previous_step"),
    ("#2", "/previous_step"), ("option 3", "/deny"), ("Number 1", "/affirm"), ("1)", "/affirm"),
    ("the second one", "/previous_step"), ("first", "/affirm"), ("last", "/deny"),
    ("next step", "/affirm"), ("BACK", "/previous_step"), ("Stop.", "/deny"),
])
def test_a_number_ordinal_or_title_picks_that_button(reply, payload):
    assert chosen_button(reply, CHECKLIST)["payload"] == payload


@pytest.mark.parametrize("reply", ["0", "4", "12", "40512345", "next", "1 and 2", "stop it please", ""])
def test_anything_else_picks_nothing(reply):
    assert chosen_button(reply, CHECKLIST) is None


def test_no_buttons_offered_means_no_choice():
    assert chosen_button("1", []) is None


def test_a_long_title_typed_in_full_is_that_button():
    buttons = [{"title": "Tracking says delivered, but it isn't here", "payload": "/deny"},
               {"title": "Samsung 55\" QLED TV 4K Ultra HD Smart (order 40512350)", "payload": "/inform"}]
    assert chosen_button("tracking says delivered, but it isn't here", buttons) == buttons[0]
    assert chosen_button("Samsung 55\" QLED TV 4K Ultra HD Smart (order 40512350)", buttons) == buttons[1]
