"""After the assistant asks something, a typed reply is read as the answer to that question
(over REST, with the real servers), whatever NLU makes of it."""
import pytest

from customer_chat import EMAIL, OWNER

pytestmark = pytest.mark.e2e

TRACKING_RULE = "you'll get an email with a link to track your package"


@pytest.mark.parametrize("reply", [
    "I don't know it", "i don't know my order number", "can't find it", "I lost the email",
    "no idea, just tell me generally", "dunno", "nope", "I don't have it", "1",
])
def test_not_having_the_order_number_gets_the_general_answer(chat, reply):
    chat.say("where is my order?")
    answer = chat.text(reply)
    assert TRACKING_RULE in answer
    assert "What's your order number?" not in answer and "can't help with that" not in answer
    assert "What happened?" not in answer  # not the missing-package answer


@pytest.mark.parametrize("reply", ["I lost the email", "I don't have them", "no idea", "1"])
def test_not_having_the_email_or_postcode_gets_the_general_answer(chat, reply):
    chat.say("when will order 40512348 ship?")
    answer = chat.text(reply)
    assert "ships within 1 business day" in answer and "MacBook" not in answer
    # the number they gave is kept, never asked for again
    assert "order 40512348" in answer and "order number" not in answer


@pytest.mark.parametrize("reply", ["it's 40512351 I think", "#40512351", "order number 40512351 thanks"])
def test_a_number_inside_a_sentence(chat, reply):
    chat.say("where is my order?")
    assert "What's the e-mail address on order 40512351" in chat.text(reply)


@pytest.mark.parametrize("reply", [f"my email is {EMAIL[OWNER['40512351']]} ok", "my postcode is 75011",
                                   "it's 75011"])
def test_an_email_or_postcode_inside_a_sentence(chat, reply):
    chat.say("where is order 40512351")
    assert "with UPS" in chat.text(reply)


def test_a_number_of_the_wrong_length_is_asked_again(chat):
    chat.say("where is my order?")
    assert "An order number has 8 digits" in chat.text("it's 4051235")


def test_something_else_instead_of_the_number_is_answered_as_itself(chat):
    chat.say("where is my order?")
    assert "sorry your package was stolen" in chat.text("someone stole it from my doorstep")
    chat.say("where is my order?")
    assert "14 days starting from when you asked for help" in chat.text("how long is my return label valid?")


def offered_a_person(replies) -> bool:
    """A "Talk to a person" button, or handed over to one straight away (utter_handoff)."""
    offered = [b["payload"] for r in replies for b in r.get("buttons", [])]
    return "/human_handoff" in offered or any("support team" in r.get("text", "") for r in replies)


@pytest.mark.parametrize("message", [
    "this is ridiculous, i want a real person NOW", "this is useless!!", "you're useless", "this is a joke",
    "can I talk to a human please", "get me a real person",
])
def test_someone_upset_or_asking_for_a_person_is_offered_one(chat, message):
    assert offered_a_person(chat.say(message))


@pytest.mark.parametrize("message", ["this is ridiculous, i want a real person NOW", "no!! this is useless"])
def test_upset_instead_of_the_number_is_offered_a_person_too(chat, message):
    chat.say("where is my order?")
    assert offered_a_person(chat.say(message))


@pytest.mark.parametrize("reply, says", [
    ("yep", "Step 2 of 6"), ("carry on", "Step 2 of 6"), ("next one", "Step 2 of 6"), ("ok got it", "Step 2 of 6"),
    ("stop", "pick up from this step"), ("not now", "pick up from this step"),
])
def test_the_checklist_understands_yes_and_no_in_common_wordings(chat, reply, says):
    chat.say("what do I need to do before sending my phone back?")
    assert says in chat.text(reply)
