"""Slack: signed Events API and Interactivity requests in, chat.postMessage out, every
button shown (Rasa's connector drops them all past five)."""
import json
import random
import time
from urllib.parse import urlencode

import pytest
import requests

from channel_env import SETTINGS, new_id, response
from fake_providers import slack_headers

SECRET = SETTINGS["SLACK_SIGNING_SECRET"]
TEAM, APP, BOT_USER = "T0SUPPORT1", "A0SUPPORT1", "U0SUPPORTBOT"


def a_customer() -> tuple:
    """A Slack user and their direct-message channel with the app."""
    return f"U{random.randint(10**9, 10**10)}", f"D{random.randint(10**9, 10**10)}"


def message_event(user: str, channel: str, text: str) -> dict:
    """https://api.slack.com/events/message.im, wrapped as the Events API posts it."""
    ts = f"{time.time():.6f}"
    return {"token": new_id(), "team_id": TEAM, "api_app_id": APP, "type": "event_callback",
            "event_id": "Ev" + new_id().upper(), "event_time": int(time.time()),
            "authorizations": [{"team_id": TEAM, "user_id": BOT_USER, "is_bot": True}],
            "event": {"type": "message", "channel": channel, "user": user, "text": text, "ts": ts,
                      "event_ts": ts, "channel_type": "im", "team": TEAM}}


def post_json(messaging, body: dict, secret=SECRET, timestamp=None) -> requests.Response:
    data = json.dumps(body).encode()
    return requests.post(f"{messaging.url}/webhooks/slack/webhook", data=data, timeout=60,
                         headers={"Content-Type": "application/json", **slack_headers(secret, data, timestamp)})


def click(messaging, user: str, channel: str, payload: str) -> requests.Response:
    """A button click, as Interactivity posts it: a form field "payload" holding JSON."""
    action = {"type": "button", "action_id": new_id(), "block_id": new_id(), "value": payload,
              "text": {"type": "plain_text", "text": "..."}, "action_ts": f"{time.time():.6f}"}
    body = {"type": "block_actions", "team": {"id": TEAM}, "user": {"id": user}, "api_app_id": APP,
            "channel": {"id": channel}, "message": {"ts": f"{time.time():.6f}", "type": "message"},
            "actions": [action], "trigger_id": new_id()}
    data = urlencode({"payload": json.dumps(body)}).encode()
    return requests.post(f"{messaging.url}/webhooks/slack/webhook", data=data, timeout=60,
                         headers={"Content-Type": "application/x-www-form-urlencoded",
                                  **slack_headers(SECRET, data)})


def posted_to(recorder, channel: str, count: int = 1):
    return recorder.wait_for(lambda c: c.path == "/slack/api/chat.postMessage"
                             and c.fields.get("channel") == channel, count)


def buttons(call) -> list:
    [actions] = [block for block in call.fields["blocks"] if block["type"] == "actions"]
    return [(element["text"]["text"], element["value"]) for element in actions["elements"]]


def test_slack_gets_its_url_verification_challenge_back(messaging):
    challenge = new_id() + new_id()
    reply = post_json(messaging, {"token": new_id(), "challenge": challenge, "type": "url_verification"})
    assert reply.status_code == 200
    assert reply.json() == {"challenge": challenge}


def test_a_direct_message_gets_its_answer_with_buttons_posted_as_the_app(messaging, recorder):
    user, channel = a_customer()
    assert post_json(messaging, message_event(user, channel, "where is my order?")).status_code == 200
    [answer] = posted_to(recorder, channel)
    expected = response("utter_order_status", order_situation="ask_order_id")
    assert answer.fields["text"] == expected["text"].replace("&", "&amp;")
    assert buttons(answer) == [(b["title"], b["payload"]) for b in expected["buttons"]]
    assert answer.headers["authorization"] == f"Bearer {SETTINGS['SLACK_BOT_TOKEN']}"
    assert "as_user" not in answer.fields  # refused by Slack apps made since 2020


def test_the_topic_menu_is_offered_as_buttons(messaging, recorder):
    user, channel = a_customer()
    post_json(messaging, message_event(user, channel, "what's the weather like in Lisbon tomorrow?"))
    *_, menu = posted_to(recorder, channel, 2)
    topics = response("utter_topics")["buttons"]
    assert len(topics) == 5  # four topics and "More topics"
    assert buttons(menu) == [(b["title"], b["payload"]) for b in topics]


def test_clicking_a_button_continues_the_conversation(messaging, recorder):
    user, channel = a_customer()
    post_json(messaging, message_event(user, channel, "what do I need to do before sending my phone back?"))
    intro, step_1 = posted_to(recorder, channel, 2)
    [(title, payload)] = [b for b in buttons(step_1) if b[0] == "Next step"]
    assert click(messaging, user, channel, payload).status_code == 200
    *_, step_2 = posted_to(recorder, channel, 3)
    assert step_2.fields["text"] == response("utter_checklist_step", checklist_step="2")["text"].replace("&", "&amp;")


@pytest.mark.parametrize("forgery", ["wrong secret", "replayed after 6 minutes"])
def test_unsigned_forged_or_replayed_events_are_rejected_and_nothing_is_sent(messaging, recorder, forgery):
    user, channel = a_customer()
    body = message_event(user, channel, "where is my order?")
    if forgery == "wrong secret":
        reply = post_json(messaging, body, secret=new_id())
    else:
        reply = post_json(messaging, body, timestamp=int(time.time()) - 6 * 60)
    assert reply.status_code == 403
    assert reply.json() == {"error": "bad_signature", "channel": "Slack"}
    time.sleep(1)
    assert recorder.matching(lambda c: c.fields.get("channel") == channel) == []
