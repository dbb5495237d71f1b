"""Facebook Messenger: the verification handshake, events in only with the SHA-256
signature, Send API calls out, buttons as quick replies (numbered when too long)."""
import hashlib
import hmac
import json
import random
import time

import pytest
import requests

from channel_env import SETTINGS, new_id, numbered, response
from fake_providers import facebook_sha1_signature, facebook_signature

SECRET = SETTINGS["FACEBOOK_APP_SECRET"]
PAGE_ID = "104857600000001"
SEND_API = "/facebook/v19.0/me/messages"


def a_customer() -> str:
    return str(random.randint(10**15, 10**16))  # a page-scoped user id


def event(sender: str, text: str = None, quick_reply: str = None) -> dict:
    """One messaging event: https://developers.facebook.com/docs/messenger-platform/reference/webhook-events/messages"""
    message = {"mid": "m_" + new_id(), "text": text}
    if quick_reply:
        message["quick_reply"] = {"payload": quick_reply}
    return {"sender": {"id": sender}, "recipient": {"id": PAGE_ID}, "timestamp": int(time.time() * 1000),
            "message": message}


def delivery(*events: dict) -> dict:
    return {"object": "page", "entry": [{"id": PAGE_ID, "time": int(time.time() * 1000), "messaging": list(events)}]}


def post(messaging, body: dict, sign=True, secret=SECRET) -> requests.Response:
    data = json.dumps(body).encode()
    headers = {"Content-Type": "application/json"}
    if sign:  # Facebook sends both headers
        headers["X-Hub-Signature-256"] = facebook_signature(secret, data)
        headers["X-Hub-Signature"] = facebook_sha1_signature(secret, data)
    return requests.post(f"{messaging.url}/webhooks/facebook/webhook", data=data, headers=headers, timeout=60)


def messages_to(recorder, customer: str, count: int = 1):
    return recorder.wait_for(lambda c: c.path == SEND_API and "message" in c.fields
                             and c.fields["recipient"]["id"] == customer, count)


def quick_replies(call) -> list:
    return [(q["title"], q["payload"]) for q in call.fields["message"]["quick_replies"]]


def test_facebook_verifies_the_webhook_with_our_token(messaging):
    url = f"{messaging.url}/webhooks/facebook/webhook"
    challenge = str(random.randint(10**8, 10**9))
    ok = requests.get(url, params={"hub.mode": "subscribe", "hub.verify_token": SETTINGS["FACEBOOK_VERIFY_TOKEN"],
                                   "hub.challenge": challenge}, timeout=10)
    assert (ok.status_code, ok.text) == (200, challenge)
    wrong = requests.get(url, params={"hub.mode": "subscribe", "hub.verify_token": "guess",
                                      "hub.challenge": challenge}, timeout=10)
    assert wrong.status_code == 403 and challenge not in wrong.text


def test_a_question_gets_its_answer_with_quick_replies_seen_and_typing_around_it(messaging, recorder):
    customer = a_customer()
    assert post(messaging, delivery(event(customer, "where is my order?"))).status_code == 200
    [answer] = messages_to(recorder, customer)
    expected = response("utter_order_status", order_situation="ask_order_id")
    assert answer.fields["message"]["text"] == expected["text"]
    assert quick_replies(answer) == [(b["title"], b["payload"]) for b in expected["buttons"]]
    assert answer.query["access_token"] == SETTINGS["FACEBOOK_PAGE_ACCESS_TOKEN"]
    assert answer.query["appsecret_proof"] == hmac.new(
        SECRET.encode(), SETTINGS["FACEBOOK_PAGE_ACCESS_TOKEN"].encode(), hashlib.sha256).hexdigest()
    actions = [c.fields["sender_action"] for c in recorder.wait_for(
        lambda c: c.path == SEND_API and "sender_action" in c.fields and c.fields["recipient"]["id"] == customer, 3)]
    assert actions == ["mark_seen", "typing_on", "typing_off"]


def test_too_long_buttons_become_numbered_choices_and_a_number_or_a_tap_works(messaging, recorder):
    customer = a_customer()
    post(messaging, delivery(event(customer, "what's the weather like in Lisbon tomorrow?")))
    *_, menu = messages_to(recorder, customer, 2)
    topics = response("utter_topics")  # the menu's first page: four topics and "More topics"
    assert max(len(b["title"]) for b in topics["buttons"]) > 20  # too long for a quick reply's title
    assert menu.fields["message"]["text"] == numbered(topics["text"], topics["buttons"])
    assert quick_replies(menu) == [(str(n), b["payload"]) for n, b in enumerate(topics["buttons"], 1)]

    post(messaging, delivery(event(customer, str(len(topics["buttons"])))))  # typed: "5", More topics
    *_, more = messages_to(recorder, customer, 3)
    page_2 = response("utter_topics", topics_page="2")
    assert more.fields["message"]["text"] == numbered(page_2["text"], page_2["buttons"])

    number = 1 + [b["payload"] for b in page_2["buttons"]].index("/missing_package")
    post(messaging, delivery(event(customer, str(number))))
    *_, question = messages_to(recorder, customer, 4)
    asked = response("utter_missing_package")
    assert max(len(b["title"]) for b in asked["buttons"]) > 20
    assert question.fields["message"]["text"] == numbered(asked["text"], asked["buttons"])
    assert quick_replies(question) == [(str(n), b["payload"]) for n, b in enumerate(asked["buttons"], 1)]

    post(messaging, delivery(event(customer, "2", quick_reply=asked["buttons"][1]["payload"])))
    *_, answer = messages_to(recorder, customer, 5)
    assert answer.fields["message"]["text"] == response("utter_missing_package", missing_what="stolen")["text"]


def test_every_message_of_a_batched_delivery_is_answered(messaging, recorder):
    first, second = a_customer(), a_customer()
    post(messaging, delivery(event(first, "hi"), event(second, "hello")))
    for customer in (first, second):
        [greeting] = messages_to(recorder, customer)
        assert greeting.fields["message"]["text"] == response("utter_greet")["text"]


@pytest.mark.parametrize("forgery", ["unsigned", "wrong secret", "SHA-1 only"])
def test_unsigned_or_forged_events_are_rejected_and_nothing_is_sent(messaging, recorder, forgery):
    customer = a_customer()
    body = delivery(event(customer, "where is my order?"))
    if forgery == "SHA-1 only":
        data = json.dumps(body).encode()
        reply = requests.post(f"{messaging.url}/webhooks/facebook/webhook", data=data, timeout=30, headers={
            "Content-Type": "application/json", "X-Hub-Signature": facebook_sha1_signature(SECRET, data)})
    else:
        reply = post(messaging, body, sign=forgery != "unsigned", secret=new_id())
    assert reply.status_code == 403
    assert reply.json()["error"] == "bad_signature"
    time.sleep(1)
    assert recorder.matching(lambda c: c.path == SEND_API and c.fields["recipient"]["id"] == customer) == []
