"""Nobody can lock a customer out of their order (issue 13), over REST with the real Rasa
server, action server and order backend. The backend's limits are its defaults
(backend/settings.py): a conversation gets 5 failed e-mail or postcode checks of an order an
hour; 10 failed checks of an order from all conversations pause its checks for 5 minutes
(shortened here, see `short_pause`). Each test guesses at an order of its own: the backend,
and so its counts, are shared by the whole test session."""
import time

import pytest

from customer_chat import EMAIL, OWNER, Chat

pytestmark = pytest.mark.e2e

PERSON = ("Talk to a person", "/human_handoff")
PAUSE_S = 10


def new_conversation(assistant) -> Chat:
    return Chat(assistant.rest_webhook, assistant.secrets.customer_token_secret)


def right_email(number: str) -> str:
    return EMAIL[OWNER[number]]


def buttons(reply: dict):
    return [(b["title"], b["payload"]) for b in reply.get("buttons", [])]


def guess_five_times(chat: Chat, number: str) -> dict:
    """A stranger's five wrong e-mails for the order; the assistant's last reply."""
    chat.say(f"where is order {number}")
    for attempt in range(4):
        assert f"doesn't match order {number}" in chat.text(f"guess{attempt}@example.com")
    return chat.say("guess4@example.com")[0]


def test_five_wrong_emails_stop_that_conversation_for_that_order_and_guessing_on_stays_stopped(chat):
    stopped = guess_five_times(chat, "40512349")
    assert stopped["text"] == (
        "For your security, I can't check order 40512349 again for an hour, as the details so far didn't match it. "
        "You can also talk to a person now, or see all your orders by logging in to your Back Market account.")
    assert PERSON in buttons(stopped)
    # Guessing on from this conversation gets nothing checked, not even the right e-mail or postcode.
    for guess in ("guess5@example.com", "10001", right_email("40512349")):
        answer = chat.text(guess)
        assert "I can't check order 40512349 again for an hour" in answer and "Apple Watch" not in answer


def test_the_owner_gets_in_at_once_logged_in_or_with_the_right_email_in_a_new_conversation(assistant, chat):
    guess_five_times(chat, "40512352")
    owner = new_conversation(assistant)
    owner.log_in_as_owner_of("40512352")
    assert "AirPods Pro (order 40512352) was delivered" in owner.text("where is order 40512352")
    anonymous_owner = new_conversation(assistant)
    anonymous_owner.say("where is order 40512352")
    assert "AirPods Pro (order 40512352) was delivered" in anonymous_owner.text(right_email("40512352"))
    # Even in the stopped conversation: once logged in, nothing is asked and nothing is stopped.
    chat.log_in_as_owner_of("40512352")
    assert "AirPods Pro (order 40512352) was delivered" in chat.text("where is order 40512352")


def test_an_order_number_typed_where_the_email_was_asked_is_not_an_attempt(chat):
    assert "What's the e-mail address on order 40512361" in chat.text("where is order 40512361")
    # Six times, more than the five attempts a conversation gets: none of them is counted.
    for typed in ("40512361", "4051 2361", "it's 4051236", "40512361", "order 405123611", "#40512361"):
        answer = chat.text(typed)
        assert ("To check that order 40512361 is yours, I need the e-mail address on it or its delivery postcode, "
                "rather than the order number") in answer, typed
    assert "MacBook Pro 14 (2021)" in chat.text(right_email("40512361"))


def test_the_counts_survive_a_backend_restart(assistant, chat):
    assert "I can't check order 40512363 again for an hour" in guess_five_times(chat, "40512363")["text"]
    assistant.restart("order backend", 60)
    assert "I can't check order 40512363 again for an hour" in chat.text(right_email("40512363"))
    owner = new_conversation(assistant)
    owner.say("where is order 40512363")
    assert "Galaxy Tab S8" in owner.text(right_email("40512363"))


@pytest.fixture
def short_pause(assistant):
    """The backend restarted with a pause of PAUSE_S seconds instead of 5 minutes, and
    restarted as it was afterwards."""
    backend = assistant.backend
    backend.env["BACKEND_VERIFICATION_PAUSE_S"] = str(PAUSE_S)
    assistant.restart("order backend", 60)
    try:
        yield
    finally:
        del backend.env["BACKEND_VERIFICATION_PAUSE_S"]
        assistant.restart("order backend", 60)


def test_guessing_from_many_conversations_only_delays_the_owner_by_the_stated_pause(assistant, short_pause):
    for stranger in range(2):  # the order's 10 failures
        guess_five_times(new_conversation(assistant), "40512353")
    paused_at = time.monotonic()
    owner = new_conversation(assistant)
    owner.say("where is order 40512353")
    paused = owner.say(right_email("40512353"))[0]
    assert time.monotonic() - paused_at < PAUSE_S, "too slow to see the pause"
    assert paused["text"] == (
        "For your security, I can't check order 40512353 for a minute, as it has had several unsuccessful checks. "
        "After that, send me the e-mail address on it or its delivery postcode again. You can also talk to a "
        "person now, or see all your orders by logging in to your Back Market account.")
    assert PERSON in buttons(paused)
    # Logged in, the owner never waits.
    logged_in = new_conversation(assistant)
    logged_in.log_in_as_owner_of("40512353")
    assert "Nintendo Switch OLED" in logged_in.text("where is order 40512353")
    # Within the stated delay, the right e-mail gets in.
    time.sleep(max(0.0, PAUSE_S - (time.monotonic() - paused_at)) + 0.5)
    assert "Nintendo Switch OLED" in owner.text(right_email("40512353"))
