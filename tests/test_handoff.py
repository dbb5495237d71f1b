"""Handing over to a person (actions/handoff.py): why, the wait, and what the agent reads."""
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest
import yaml

from rasa_sdk import Tracker

from actions import order_answers, return_answers
from actions.handoff import (
    ANONYMOUS, BACKEND_DOWN, CUSTOMER_ASKED, IDENTITY_LOCKED, IDENTITY_PAUSED, LABEL_EXPIRED, LOGGED_IN, MISSING_PACKAGE,
    MISUNDERSTOOD, VERIFIED, SupportHours, Who, config as handoff_config, customer_of, details, reason_for,
    redacted_line, summary, wait_for,
)
from actions.date_wording import DateWording, Reader
from actions.deadlines import Deadline
from actions.dialogue.handoff import CONTRACT_TOPICS, ORDER_FACTS, transcript
from tools.services import ROOT

PARIS = ZoneInfo("Europe/Paris")
NNBSP = "\u202f"  # CLDR puts a narrow no-break space before AM/PM

DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text())
RESPONSES = DOMAIN["responses"]

PARIS_HOURS = SupportHours({"monday": "09:00-18:00", "tuesday": "09:00-18:00", "wednesday": "09:00-18:00",
                            "thursday": "09:00-18:00", "friday": "09:00-18:00", "saturday": "10:00-16:00"},
                           "Europe/Paris", "FR")


def utc(*args):
    return datetime(*args, tzinfo=timezone.utc)


# ---- Why -------------------------------------------------------------------------------

@pytest.mark.parametrize("situation, missing, misunderstood, reason", [
    (None, False, 0, CUSTOMER_ASKED),
    ("verification_locked", False, 0, IDENTITY_LOCKED),
    ("verification_paused", False, 0, IDENTITY_PAUSED),
    ("order_system_down", False, 0, BACKEND_DOWN),
    ("label_expired", False, 0, LABEL_EXPIRED),
    ("shipped", True, 0, MISSING_PACKAGE),
    (None, False, 2, MISUNDERSTOOD),
    (None, False, 1, CUSTOMER_ASKED),
])
def test_the_reason_is_where_the_conversation_stood(situation, missing, misunderstood, reason):
    assert reason_for(situation, missing, misunderstood) == reason


# ---- The wait --------------------------------------------------------------------------------

def test_inside_hours_a_person_answers_now():
    # Tuesday 1 December 2026, 10:30 in Paris
    assert PARIS_HOURS.availability(utc(2026, 12, 1, 9, 30)).open


def test_after_closing_the_team_is_back_the_next_morning():
    # Tuesday 19:00 in Paris -> Wednesday 09:00
    at = PARIS_HOURS.availability(utc(2026, 12, 1, 18, 0))
    assert not at.open and at.back_at.isoformat() == "2026-12-02T09:00:00+01:00"


def test_before_opening_the_team_is_back_the_same_morning():
    at = PARIS_HOURS.availability(utc(2026, 12, 2, 6, 0))  # 07:00 in Paris
    assert not at.open and at.back_at.isoformat() == "2026-12-02T09:00:00+01:00"


def test_saturday_has_its_own_hours_and_sunday_is_closed():
    assert PARIS_HOURS.availability(utc(2026, 12, 5, 14, 0)).open  # Saturday 15:00
    sunday = PARIS_HOURS.availability(utc(2026, 12, 6, 11, 0))
    assert sunday.back_at.isoformat() == "2026-12-07T09:00:00+01:00"


def test_public_holidays_are_closed():
    # Christmas Day 2026 is a Friday; Saturday 26th opens at 10:00 (not a holiday in France)
    christmas = PARIS_HOURS.availability(utc(2026, 12, 25, 10, 0))
    assert not christmas.open and christmas.back_at.isoformat() == "2026-12-26T10:00:00+01:00"
    # Friday 1 May 2026 (Labour Day) -> Saturday 2 May 10:00, summer time
    assert PARIS_HOURS.availability(utc(2026, 5, 1, 9, 0)).back_at.isoformat() == "2026-05-02T10:00:00+02:00"


# ---- What the agent reads ---------------------------------------------------------------------

def test_an_anonymous_customers_transcript_hides_order_numbers_and_emails():
    who = customer_of(None, None)
    assert who.status == ANONYMOUS
    assert redacted_line("it's 40512351, mail ana.martin@example.com", who) == "it's [order], mail [email]"


def test_the_verified_order_shows_and_other_numbers_and_emails_do_not():
    who = customer_of(None, "40512351")
    assert who.status == VERIFIED
    line = redacted_line("not 40512999 but 40512351, ana.martin@example.com", who)
    assert line == "not [order] but 40512351, a***@example.com"


def test_a_logged_in_customers_own_orders_show():
    who = customer_of("cus_ana", None)
    assert who.status == LOGGED_IN
    assert redacted_line("my 40512345 and 40512999", who, known_orders=["40512345"]) == "my 40512345 and [order]"


def test_tokens_never_show():
    assert "eyJ" not in redacted_line("token eyJhbGciOi.eyJzdWIiOi.c2lnbmF0dXJl", Who(LOGGED_IN, "cus_ana"))


def test_the_summary_reads_like_a_colleagues_note():
    text = summary(CUSTOMER_ASKED, Who(LOGGED_IN, customer_id="cus_ana", name="Ana Martin"),
                   {"number": "40512348", "item": "MacBook Air 13 (2020)", "situation": "awaiting_shipment"},
                   ["shipping_time", "order_late", "shipping_time"])
    assert text == ("Ana Martin, logged in to their account. The customer asked for a person. "
                    "Order 40512348, MacBook Air 13 (2020): confirmed, waiting to ship. "
                    "Asked about: when it ships, a late order.")


def test_no_code_reaches_the_agent():
    """Customer ids, situations and intent names are the assistant's, not the agent's words."""
    text = summary(LABEL_EXPIRED, Who(LOGGED_IN, customer_id="cus_ana", name="Ana Martin"),
                   {"number": "40512360", "item": "iPhone 12 64GB", "situation": "label_ready",
                    "question": "return_label"},
                   ["return_label", "return_label", "return_checklist", "return_checklist", "return_checklist"])
    facts = details(Who(LOGGED_IN, customer_id="cus_ana", name="Ana Martin"),
                    {"number": "40512360", "item": "iPhone 12 64GB", "situation": "label_ready",
                     "question": "return_label"})
    read = text + " ".join(f"{label}: {value}" for label, value in facts)
    for code in ("cus_ana", "logged_in", "label_ready", "return_label", "return_checklist", "_"):
        assert code not in read
    assert "Asked about: the return label, the return checklist." in text  # each topic once


def test_a_logged_in_customer_without_a_name_on_file_is_still_said_in_words():
    text = summary(CUSTOMER_ASKED, Who(LOGGED_IN, customer_id="cus_ana"), None, [])
    assert text.startswith("A logged-in customer") and "cus_ana" not in text


def test_an_anonymous_summary_says_what_is_hidden_and_leaves_unknown_parts_out():
    text = summary(MISUNDERSTOOD, Who(ANONYMOUS), None, [])
    assert text.startswith("A guest who proved nothing")
    assert "misunderstood the customer twice" in text and "Order" not in text


@pytest.mark.parametrize("who, customer, proved", [
    (Who(LOGGED_IN, customer_id="cus_ana", name="Ana Martin"), "Ana Martin", "logged in to their account"),
    (Who(VERIFIED, verified_order="40512351"), "Guest",
     "order 40512351 is theirs (its e-mail address or delivery postcode)"),
    (Who(ANONYMOUS), "Guest", "nothing: order numbers and e-mail addresses in the transcript are hidden"),
])
def test_the_agent_reads_who_the_customer_is_and_what_they_proved(who, customer, proved):
    assert details(who, None)[:2] == [("Customer", customer), ("Proved", proved)]


def test_the_order_facts_read_as_a_note_without_saying_anything_twice():
    words = DateWording(utc(2026, 12, 1, 9, 0), "Europe/Paris", "en_GB")
    order = {"number": "40512360", "item": "iPhone 12 64GB", "situation": "label_ready", "question": "return_label",
             "placed": words.when(utc(2026, 11, 20, 9, 0)),
             "ships": words.by(Deadline(utc(2026, 11, 21, 23, 0), end_of_day=True, zone=PARIS)),
             "label_valid": words.until(Deadline(utc(2026, 12, 8, 23, 0), end_of_day=True, zone=PARIS)),
             "refund": "€349.00"}
    facts = details(Who(LOGGED_IN, customer_id="cus_ana", name="Ana Martin"), order)
    assert facts[2:] == [
        ("Order", "40512360, iPhone 12 64GB"),
        ("State", "return label ready, not used yet"),
        ("Placed", "Friday, 20 November at 10:00"),
        ("Seller ships it", "by the end of Saturday, 21 November"),
        ("Return label valid", "until the end of Tuesday, 8 December, 7 days from now"),
        ("Refund", "€349.00"),
    ]
    for label, value in facts:  # "label valid until: until ..." said "until" twice
        assert label.split()[-1].lower() != value.split()[0].lower(), (label, value)


def test_every_topic_and_order_state_has_words_support_staff_can_edit():
    words = handoff_config()
    assert set(CONTRACT_TOPICS) <= set(words["topics"])
    states = {value for module in (order_answers, return_answers) for name, value in vars(module).items()
              if name.isupper() and isinstance(value, str)}
    assert states <= set(words["order_states"]), states - set(words["order_states"])
    shown_elsewhere = {"item", "situation", "question"}  # with the order, as its state, as a topic
    assert set(ORDER_FACTS) - shown_elsewhere <= set(words["order_facts"])


# ---- A button the customer tapped, as the agent reads it -----------------------------------------

def bot(text, buttons=(), custom=False):
    data = {"custom": {"text": text, "buttons": list(buttons)}} if custom else {"buttons": list(buttons)}
    return {"event": "bot", "text": None if custom else text, "data": data, "timestamp": 1_764_580_000}


def tapped(payload, intent):
    return {"event": "user", "text": payload, "timestamp": 1_764_580_001,
            "parse_data": {"text": payload, "intent": {"name": intent}, "entities": []}}


def said(*events):
    conversation = Tracker("someone", {}, {}, list(events), False, None, {}, "action_listen")
    return [line["text"] for line in transcript(conversation, Who(ANONYMOUS), [], DOMAIN)]


def test_a_tapped_button_reads_as_its_title_not_its_intent():
    assert said(bot("Was your problem solved?", [{"title": "Yes, solved", "payload": "/affirm"},
                                                 {"title": "No", "payload": "/deny"}]),
                tapped("/affirm", "affirm"))[-1] == "Yes, solved"


def test_a_card_buttons_title_and_an_order_choice_read_as_shown():
    assert said(bot("Delivered.", [{"title": "I didn't receive it", "payload": "/missing_package"}], custom=True),
                tapped("/missing_package", "missing_package"))[-1] == "I didn't receive it"
    choice = '/inform{"order_id": "40512348"}'
    assert said(bot("Which order?", [{"title": "MacBook Air 13 (2020)", "payload": choice}]),
                tapped(choice, "inform"))[-1] == "MacBook Air 13 (2020)"


def test_a_button_from_outside_the_transcript_reads_as_the_assistants_title_for_it():
    # The widget's own "Talk to a person" and its welcome menu are not bot messages.
    assert said(tapped("/human_handoff", "human_handoff")) == ["Talk to a person"]


def test_an_intent_no_button_offers_reads_as_words():
    assert said(tapped("/bot_challenge", "bot_challenge")) == ["bot challenge"]


# ---- What the customer is told, at fixed clocks, in domain.yml's words ---------------------------

def told(now, waiting_ahead=0):
    """utter_handoff as the customer reads it at `now`."""
    wait = wait_for(now, PARIS_HOURS, waiting_ahead)
    slots = {"handoff_state": wait.state, "handoff_wait": str(wait.minutes), "handoff_back_when": wait.back_when}
    for variation in RESPONSES["utter_handoff"]:
        if all(slots.get(c["name"]) == c["value"] for c in variation.get("condition", [])):
            return variation["text"].format(**slots)
    raise AssertionError(f"no wording for {slots}")


def test_a_widget_customer_is_told_when_on_their_own_clock_as_their_time_if_it_differs():
    night = utc(2026, 12, 1, 21, 0)  # Tuesday 22:00 in Paris, 16:00 in New York
    in_new_york = wait_for(night, PARIS_HOURS, 0, Reader("America/New_York", "en_US", own_clock=True))
    assert in_new_york.back_when == f"tomorrow at 3:00{NNBSP}AM your time"
    in_paris = wait_for(night, PARIS_HOURS, 0, Reader("Europe/Paris", "en_GB", own_clock=True))
    assert in_paris.back_when == "tomorrow at 09:00"  # the same clock as support's: no zone to name


def test_inside_hours_the_customer_is_told_the_expected_wait():
    assert "Someone will answer you here in about 5 minutes" in told(utc(2026, 12, 1, 9, 30))
    assert "in about 15 minutes" in told(utc(2026, 12, 1, 9, 30), waiting_ahead=2)


def test_at_night_the_customer_is_told_when_the_team_is_back_and_where_the_answer_arrives():
    text = told(utc(2026, 12, 1, 21, 0))  # Tuesday 22:00 in Paris
    assert "They're back tomorrow at 09:00 Paris time" in text
    assert "answer you here in this chat" in text


def test_on_a_holiday_the_team_is_back_on_the_next_open_day():
    # Christmas Day (Friday) -> Saturday 26 December, Saturday hours
    assert "They're back tomorrow at 10:00 Paris time" in told(utc(2026, 12, 25, 11, 0))
    # New Year's Day 2027 is a Friday: back Saturday 2 January at 10:00
    assert "They're back tomorrow at 10:00" in told(utc(2027, 1, 1, 8, 0))
    # Sunday 3 January: back Monday at 09:00
    assert "They're back tomorrow at 09:00" in told(utc(2027, 1, 3, 12, 0))


def test_over_a_long_weekend_the_day_is_named():
    # Saturday 23 May 2026 after closing; Sunday, then Whit Monday (25 May) closed -> Tuesday 26 May
    assert "They're back Tuesday, 26 May at 09:00 Paris time" in told(utc(2026, 5, 23, 15, 0))
