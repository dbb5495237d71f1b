"""A sample of the hostile messages of `make fuzz` (tools/hostile.py), in every `make test`."""
import pytest
import requests

from tools.hostile import Sender, conversations, problems
from tools.services import scratch_assistant


@pytest.fixture(scope="module")
def own_assistant():
    """An assistant of its own: the wrong guesses below trip the backend's attempt limits,
    which other tests' conversations must not inherit."""
    with scratch_assistant() as running:
        yield running


@pytest.mark.e2e
def test_hostile_messages_get_ordinary_answers_and_no_one_elses_data(own_assistant):
    assistant = own_assistant
    found = []
    for sender, texts in conversations(400, assistant.secrets.customer_token_secret, seed=11):
        for text in texts:
            body = {"sender": sender.name, "message": text, **({"metadata": sender.metadata} if sender.metadata else {})}
            response = requests.post(assistant.rest_webhook, json=body, timeout=60)
            found += problems(sender, response.status_code, response.json() if response.status_code == 200 else None)
    assert found == []


def test_the_checks_catch_a_leak_and_a_broken_reply():
    anonymous = Sender("a", None)
    assert problems(anonymous, 200, [{"recipient_id": "a", "text": "Your Pixel 7 128GB shipped"}]) == [
        "leaked 'Pixel 7 128GB'"]
    assert problems(anonymous, 500, None) == ["HTTP 500"]
    assert problems(anonymous, 200, [{"recipient_id": "a", "text": "Your {order_item} is late"}])
    owner = Sender("o", "cus_ana")
    assert problems(owner, 200, [{"recipient_id": "o", "text": "Your Pixel 7 128GB shipped"}]) == []
