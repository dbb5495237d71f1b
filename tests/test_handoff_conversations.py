"""Why a conversation goes to a person, as the agent reads it: each trigger with its reason code
(customer's REST conversations against the real services; the agent on the desk's API)."""
import pytest
import requests

from customer_chat import Chat
from desk_agent import DeskAgent

pytestmark = pytest.mark.e2e
PERSON = "/human_handoff"  # the "Talk to a person" button, as offered


def handed_over(chat: Chat, assistant) -> dict:
    answer = chat.text(PERSON)
    assert "support team" in answer, answer
    handoff = DeskAgent(assistant).latest()
    assert handoff["ticket"]["conversation_id"] == chat.sender
    return handoff


def offers_a_person(replies) -> bool:
    return any(b["payload"] == PERSON for r in replies for b in r.get("buttons", []))


def test_a_customer_who_asks_in_their_own_words(chat, assistant):
    chat.say("is there a number to reach an actual person")
    handoff = DeskAgent(assistant).latest()
    assert handoff["ticket"]["reason"] == "customer_asked"
    assert handoff["ticket"]["customer"]["status"] == "anonymous"


def test_the_identity_lockout(chat, assistant):
    chat.say("where is order 40512350")
    for attempt in range(5):
        replies = chat.say(f"guess{attempt}@example.com")
    assert offers_a_person(replies)
    handoff = handed_over(chat, assistant)
    assert handoff["ticket"]["reason"] == "identity_locked"
    # Nothing the customer didn't prove is shown to the agent.
    transcript = " ".join(line["text"] for line in handoff["ticket"]["transcript"])
    assert "40512350" not in transcript and "guess0@example.com" not in transcript
    assert "[order]" in transcript and "[email]" in transcript


UNCLEAR = "/nlu_fallback"  # a message NLU can't place (which ones it can't is the model's: make eval)


def test_two_misunderstandings_in_a_row(chat, assistant):
    chat.say(UNCLEAR)
    chat.say("nope, that's wrong")
    replies = chat.say(UNCLEAR)
    assert offers_a_person(replies)
    assert handed_over(chat, assistant)["ticket"]["reason"] == "misunderstood"


def test_a_stolen_package(chat, assistant):
    chat.say("my package was stolen from my doorstep")
    assert handed_over(chat, assistant)["ticket"]["reason"] == "missing_package"


def test_an_expired_return_label(chat, assistant):
    chat.log_in_as("cus_cleo")
    replies = chat.say("my return label for order 40512362 expired")
    assert "expired" in replies[0]["text"] and offers_a_person(replies)
    handoff = handed_over(chat, assistant)
    assert handoff["ticket"]["reason"] == "label_expired"
    assert handoff["ticket"]["order"]["number"] == "40512362"
    assert handoff["ticket"]["customer"] == {"status": "logged_in", "id": "cus_cleo", "verified_order": None,
                                             "name": "Cleo Evans"}
    assert handoff["summary"].startswith("Cleo Evans, logged in to their account.")


def test_the_order_system_down_when_the_customer_needs_an_answer(chat, assistant):
    chat.log_in_as("cus_ana")
    assistant.backend.stop()
    try:
        replies = chat.say("where is my order?")
        assert offers_a_person(replies)
        assert handed_over(chat, assistant)["ticket"]["reason"] == "backend_down"
    finally:
        assistant.backend.start()
        assistant.backend.wait_ready(60)


def test_rasas_http_api_is_on_for_the_handoff_service_and_closed_without_its_token(assistant):
    tracker = f"{assistant.url}/conversations/someone/tracker"
    assert requests.get(tracker, timeout=10).status_code == 401
    assert requests.get(tracker, params={"token": "guessed"}, timeout=10).status_code == 401
    assert requests.get(tracker, params={"token": assistant.rasa_api_token}, timeout=10).status_code == 200


def test_rasas_http_api_reads_a_conversation_id_in_its_path_as_written(assistant):
    """Why handoff/rasa_api.py sends a WhatsApp sender's id unescaped: Rasa's server doesn't
    decode the path, so "whatsapp%3A%2B15551234567" is a conversation of its own."""
    token = {"token": assistant.rasa_api_token}
    event = [{"event": "slot", "name": "handoff_agent", "value": "Maria"}]
    url = f"{assistant.url}/conversations/whatsapp:+15559876543/tracker"
    assert requests.post(f"{url}/events", params=token, json=event, timeout=10).status_code == 200
    assert requests.get(url, params=token, timeout=10).json()["slots"]["handoff_agent"] == "Maria"
    escaped = f"{assistant.url}/conversations/whatsapp%3A%2B15559876543/tracker"
    assert requests.get(escaped, params=token, timeout=10).json()["slots"]["handoff_agent"] is None


def test_the_handoff_service_refuses_the_action_servers_calls_without_its_token(assistant):
    url = f"http://{assistant.host}:{assistant.handoff_port}/handoffs"
    assert requests.post(url, json={}, timeout=10).status_code == 401
    assert requests.post(url, json={}, headers={"Authorization": "Bearer guessed"}, timeout=10).status_code == 401


def test_two_yeses_that_answer_nothing_offer_a_person(chat, assistant):
    lost = chat.say("yes")
    assert "lost track" in lost[0]["text"] and not offers_a_person(lost)
    again = chat.say("ok")
    assert offers_a_person(again), again
    assert handed_over(chat, assistant)["ticket"]["reason"] == "misunderstood"



@pytest.mark.parametrize("unhappy", [["this is useless"], [UNCLEAR, "no", UNCLEAR]])
def test_a_typed_yes_takes_the_person_offered(chat, assistant, unhappy):
    for message in unhappy:
        replies = chat.say(message)
    assert offers_a_person(replies)
    assert "support team" in chat.text("yes please")
    assert DeskAgent(assistant).latest()["ticket"]["conversation_id"] == chat.sender
