"""Conversations over the REST channel with the real Rasa server and action server."""
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.e2e
DOMAIN = yaml.safe_load((Path(__file__).parent.parent / "domain.yml").read_text())

# What NLU says when it is unsure (FallbackClassifier); whether a given message is unclear
# depends on the model, which `make eval` measures. The suggestions' ranking is tested in
# test_actions.py.
UNCLEAR = "/nlu_fallback"


def buttons(replies):
    return [(b["title"], b["payload"]) for r in replies for b in r.get("buttons", [])]


def test_greeting_offers_the_main_topics(chat):
    replies = chat.say("hello")
    assert "Back Market assistant" in replies[0]["text"]
    assert ("Where's my order?", "/track_order") in buttons(replies)


def test_unclear_message_gets_two_suggestions_and_something_else(chat):
    replies = chat.say(UNCLEAR)
    assert "Did you mean" in replies[0]["text"]
    offered = buttons(replies)
    assert len(offered) == 3
    menu = {b["payload"]: b["title"] for page in DOMAIN["responses"]["utter_topics"] for b in page["buttons"]}
    assert all(menu[payload] == title for title, payload in offered[:2])
    assert offered[-1] == ("Something else", "/deny")


def test_a_suggestion_leads_to_its_answer(chat):
    chat.say(UNCLEAR)
    assert "\"Contact my seller\"" in chat.text("/contact_seller")


def test_something_else_asks_to_rephrase_and_shows_the_menu(chat):
    chat.say(UNCLEAR)
    replies = chat.say("/deny")
    assert "other words" in replies[0]["text"]
    assert len(buttons(replies)) == 5  # the menu's first page: four topics and "More topics"


def test_second_misunderstanding_in_a_row_offers_a_person(chat):
    chat.say(UNCLEAR)
    chat.say("/deny")
    replies = chat.say(UNCLEAR)
    assert "talk to a person" in replies[0]["text"]
    assert ("Talk to a person", "/human_handoff") in buttons(replies)
    assert "support team" in chat.text("/human_handoff")  # and a person takes over


def test_out_of_scope_is_declined_politely_with_what_the_assistant_can_do(chat):
    replies = chat.say("what's the weather like in Paris tomorrow?")
    assert "can't help with that" in replies[0]["text"]
    assert [title for title, _ in buttons(replies)][-1] == "More topics"


def test_more_topics_shows_the_menus_next_page_tapped_or_typed_and_comes_back_round(chat):
    chat.say("what's the weather like in Paris tomorrow?")
    page_2 = chat.say("/more_topics")
    assert "My package is missing" in [title for title, _ in buttons(page_2)]
    page_3 = chat.say("show me more topics")
    assert "Which carrier, drop-off or pickup" in [title for title, _ in buttons(page_3)]
    back = chat.say("Back to the first topics")  # a button's title, typed
    assert "Where's my order?" in [title for title, _ in buttons(back)]
    # Every topic is on one of the pages, once.
    offered = [payload for replies in (back, page_2, page_3) for _, payload in buttons(replies)]
    menu = {b["payload"] for page in DOMAIN["responses"]["utter_topics"] for b in page["buttons"]}
    assert len(offered) == len(set(offered)) + 2 and set(offered) == menu  # "More topics" on each page


def test_checklist_goes_back_and_resumes_where_the_customer_left(chat):
    chat.say("what do I need to do before sending my iPhone 12 back?")
    chat.text("next")
    step3 = chat.text("ok")
    assert "Step 3 of 6" in step3 and "Apple ID" in step3 and "iPhone 12" in step3
    assert "Step 2 of 6" in chat.text("/previous_step")
    assert "pick up from this step" in chat.text("/deny")
    resumed = chat.text("/return_checklist")
    assert "where you left off" in resumed and "Step 2 of 6" in resumed


def test_checklist_finishes(chat):
    chat.say("/return_checklist")
    for _ in range(5):
        chat.say("/affirm")
    assert "That's everything" in chat.text("/affirm")


@pytest.mark.parametrize("question, answer", [
    ("can UPS pick up my return at home?", "UPS drop-off location"),
    ("can fedex collect the parcel from my house for the return?", "schedule an at-home pickup on the FedEx website"),
])
def test_carrier_question_answered_for_that_carrier(chat, question, answer):
    assert answer in chat.text(question)


@pytest.mark.parametrize("question", ["what can you help me with?", "what can you do", "how can you help?"])
def test_what_the_assistant_can_help_with_is_answered_not_declined(chat, question):
    replies = chat.say(question)
    said = " ".join(r.get("text", "") for r in replies)
    assert "can't help" not in said and "Here's what I can help with" in said
    assert ("Where's my order?", "/track_order") in buttons(replies)
