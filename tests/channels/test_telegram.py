"""Telegram: the webhook registered with its secret at startup, updates in only with that
secret, Bot API calls out, buttons as an inline keyboard that, once used, gives way to the
answer chosen."""
import itertools
import json
import random
import time

import pytest
import requests

from channel_env import SETTINGS, TELEGRAM_BOT_NAME, new_id, response

TOKEN = SETTINGS["TELEGRAM_ACCESS_TOKEN"]
API = f"/telegram/bot{TOKEN}/"
_update_ids = itertools.count(random.randint(10**8, 9 * 10**8))


def api(method: str):
    return lambda call: call.path == API + method


def a_chat() -> dict:
    return {"id": random.randint(10**8, 10**10), "first_name": "Ada", "type": "private"}


def message_update(chat: dict, text: str, language: str = "en") -> dict:
    """An update as Telegram posts it (language: the customer's app's): https://core.telegram.org/bots/api#update"""
    return update(chat, language, text=text)


def update(chat: dict, language: str = "en", **content) -> dict:
    """An update of a message with `content`: text, or photo or document and maybe a caption
    (https://core.telegram.org/bots/api#message)."""
    return {"update_id": next(_update_ids), "message": {
        "message_id": random.randint(1, 10**6), "date": int(time.time()), "chat": chat,
        "from": {"id": chat["id"], "is_bot": False, "first_name": "Ada", "language_code": language}, **content}}


def button_update(chat: dict, pressed_on: dict, data: str) -> dict:
    """A press on an inline button of the message `pressed_on` (as the Bot API returned it)."""
    return {"update_id": next(_update_ids), "callback_query": {
        "id": str(random.randint(10**15, 10**16)), "chat_instance": new_id(), "data": data,
        "from": {"id": chat["id"], "is_bot": False, "first_name": "Ada"},
        "message": {"message_id": pressed_on["message_id"], "date": int(time.time()), "chat": chat,
                    "text": pressed_on["text"], "reply_markup": pressed_on.get("reply_markup"),
                    "from": {"id": 123456789, "is_bot": True, "first_name": "Support",
                             "username": TELEGRAM_BOT_NAME}}}}


def post(messaging, update: dict, secret=SETTINGS["TELEGRAM_SECRET_TOKEN"]) -> requests.Response:
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret else {}
    return requests.post(f"{messaging.url}/webhooks/telegram/webhook", json=update, headers=headers, timeout=60)


def sent_to(recorder, chat: dict, count: int = 1):
    return recorder.wait_for(lambda c: api("sendMessage")(c) and c.fields.get("chat_id") == str(chat["id"]), count)


def keyboard(call) -> list:
    return json.loads(call.fields["reply_markup"])["inline_keyboard"]


def test_the_webhook_is_registered_at_startup_with_its_secret(messaging, recorder):
    # Once per start (test_handoff_telegram.py restarts the Rasa server).
    for registration in recorder.wait_for(api("setWebhook")):
        assert registration.fields["url"] == SETTINGS["TELEGRAM_WEBHOOK_URL"]
        assert registration.fields["secret_token"] == SETTINGS["TELEGRAM_SECRET_TOKEN"]
        assert json.loads(registration.fields["allowed_updates"]) == ["message", "edited_message", "callback_query"]


def test_a_question_gets_its_answer_with_buttons_one_a_row(messaging, recorder):
    chat = a_chat()
    reply = post(messaging, message_update(chat, "where is my order?"))
    assert reply.status_code == 200, reply.text
    [answer] = sent_to(recorder, chat)
    expected = response("utter_order_status", order_situation="ask_order_id")
    assert answer.fields["text"] == expected["text"]
    assert keyboard(answer) == [[{"text": b["title"], "callback_data": b["payload"]}] for b in expected["buttons"]]


def test_an_order_card_reaches_telegram_as_its_text_with_the_tracking_link(messaging, recorder):
    # The website widget shows this answer as a card (domain.yml, channel socketio); a
    # messaging channel gets the sentence with the link, and nothing of the card's payload.
    chat = a_chat()
    post(messaging, message_update(chat, "where is my order 40512351"))
    sent_to(recorder, chat)
    post(messaging, message_update(chat, "it's ana.martin@example.com"))
    _, answer = sent_to(recorder, chat, 2)
    assert answer.fields["text"].startswith("Your ")
    assert "Track it here: https://www.ups.com/track?tracknum=1Z999AA10123456784" in answer.fields["text"]
    assert "card" not in answer.fields["text"] and "{" not in answer.fields["text"]


def test_pressing_a_button_answers_it_and_retires_the_keyboard(messaging, recorder):
    chat = a_chat()
    post(messaging, message_update(chat, "what do I need to do before sending my phone back?"))
    intro, step_1 = sent_to(recorder, chat, 2)
    assert intro.fields["text"] == response("utter_checklist_intro")["text"]
    [[next_step], *_] = keyboard(step_1)
    assert next_step["text"] == "Next step"

    sent = {"message_id": 4242, "text": step_1.fields["text"], "reply_markup": {"inline_keyboard": keyboard(step_1)}}
    press = button_update(chat, sent, next_step["callback_data"])
    assert post(messaging, press).status_code == 200

    *_, step_2 = sent_to(recorder, chat, 3)
    assert step_2.fields["text"] == response("utter_checklist_step", checklist_step="2")["text"]
    [answered] = recorder.wait_for(lambda c: api("answerCallbackQuery")(c)
                                   and c.fields.get("callback_query_id") == press["callback_query"]["id"])
    [retired] = recorder.wait_for(lambda c: api("editMessageText")(c)
                                  and c.fields.get("chat_id") == str(chat["id"]))
    assert retired.fields["message_id"] == "4242"
    # The buttons are gone, and the question keeps the answer chosen in their place.
    assert "reply_markup" not in retired.fields
    assert retired.fields["text"] == step_1.fields["text"] + "\n\n✓ Next step"


def test_a_typed_number_picks_that_button(messaging, recorder):
    chat = a_chat()
    post(messaging, message_update(chat, "what do I need to do before sending my phone back?"))
    sent_to(recorder, chat, 2)
    post(messaging, message_update(chat, "1"))
    *_, step_2 = sent_to(recorder, chat, 3)
    assert step_2.fields["text"] == response("utter_checklist_step", checklist_step="2")["text"]


@pytest.mark.parametrize("secret", ["", "telegram-secret_guessed"], ids=["missing", "wrong"])
def test_updates_without_the_secret_are_rejected_and_nothing_is_sent(messaging, recorder, secret):
    chat = a_chat()
    reply = post(messaging, message_update(chat, "where is my order?"), secret=secret)
    assert reply.status_code == 403
    assert reply.json() == {"error": "bad_signature", "channel": "Telegram"}
    time.sleep(1)
    assert recorder.matching(lambda c: c.fields.get("chat_id") == str(chat["id"])) == []
