"""SMS and WhatsApp through Twilio: signed webhooks in, Messages API calls out, buttons as
numbered choices."""
import base64
import time
import uuid

import pytest
import requests

from channel_env import SETTINGS, new_id, numbered, response
from fake_providers import twilio_signature

SID, TOKEN = SETTINGS["TWILIO_ACCOUNT_SID"], SETTINGS["TWILIO_AUTH_TOKEN"]
MESSAGES_API = f"/twilio/2010-04-01/Accounts/{SID}/Messages.json"
SMS = {"webhook": "twilio", "number": SETTINGS["TWILIO_SMS_NUMBER"],
       "url": SETTINGS["TWILIO_SMS_WEBHOOK_URL"], "prefix": ""}
WHATSAPP = {"webhook": "twilio_whatsapp", "number": SETTINGS["TWILIO_WHATSAPP_NUMBER"],
            "url": SETTINGS["TWILIO_WHATSAPP_WEBHOOK_URL"], "prefix": "whatsapp:"}

ASK_ORDER = response("utter_order_status", order_situation="ask_order_id")


def customer(channel) -> str:
    return f"{channel['prefix']}+1555{int(uuid.uuid4().int % 10**7):07d}"


def inbound(channel, sender: str, text: str) -> dict:
    """An incoming message's POST parameters, as Twilio sends them."""
    message_sid = "SM" + uuid.uuid4().hex
    return {"ToCountry": "US", "SmsMessageSid": message_sid, "NumMedia": "0", "SmsSid": message_sid,
            "SmsStatus": "received", "Body": text, "To": f"{channel['prefix']}{channel['number']}",
            "NumSegments": "1", "MessageSid": message_sid, "AccountSid": SID, "From": sender,
            "ApiVersion": "2010-04-01", "FromCountry": "US"}


def post(messaging, channel, params: dict, signature=None) -> requests.Response:
    headers = {}
    signature = twilio_signature(TOKEN, channel["url"], params) if signature is None else signature
    if signature:
        headers["X-Twilio-Signature"] = signature
    return requests.post(f"{messaging.url}/webhooks/{channel['webhook']}/webhook", data=params,
                         headers=headers, timeout=60)


def say(messaging, channel, sender: str, text: str) -> None:
    reply = post(messaging, channel, inbound(channel, sender, text))
    assert reply.status_code == 204, reply.text


def sent_to(recorder, sender: str, count: int = 1):
    return recorder.wait_for(lambda c: c.path == MESSAGES_API and c.fields.get("To") == sender, count)


def test_sms_answer_comes_back_from_our_number_with_buttons_as_numbered_choices(messaging, recorder):
    sender = customer(SMS)
    say(messaging, SMS, sender, "where is my order?")
    [sms] = sent_to(recorder, sender)
    assert sms.method == "POST"
    assert sms.fields["From"] == SMS["number"]
    assert sms.fields["Body"] == numbered(ASK_ORDER["text"], ASK_ORDER["buttons"])
    assert sms.fields["Body"].endswith("\n1. I don't have it")
    assert sms.headers["authorization"] == "Basic " + base64.b64encode(f"{SID}:{TOKEN}".encode()).decode()


def test_sms_reply_with_a_number_picks_that_button(messaging, recorder):
    sender = customer(SMS)
    say(messaging, SMS, sender, "what do I need to do before sending my phone back?")
    intro, step_1 = sent_to(recorder, sender, 2)
    assert intro.fields["Body"] == response("utter_checklist_intro")["text"]
    first = response("utter_checklist_step", checklist_step="1", photos_offered=False)  # no order of theirs
    assert step_1.fields["Body"] == numbered(first["text"], first["buttons"])
    assert first["buttons"][0]["title"] == "Next step"

    say(messaging, SMS, sender, "1")
    *_, step_2 = sent_to(recorder, sender, 3)
    second = response("utter_checklist_step", checklist_step="2")
    assert step_2.fields["Body"] == numbered(second["text"], second["buttons"])
    assert step_2.fields["Body"].startswith("Step 2 of 6")


def test_whatsapp_answer_goes_to_the_whatsapp_address_with_numbered_choices(messaging, recorder):
    sender = customer(WHATSAPP)
    say(messaging, WHATSAPP, sender, "hi")
    [message] = sent_to(recorder, sender)
    assert message.fields["From"] == f"whatsapp:{WHATSAPP['number']}"
    greeting = response("utter_greet")
    assert message.fields["Body"] == numbered(greeting["text"], greeting["buttons"])
    assert message.fields["Body"].splitlines()[1:] == [
        f"{i}. {b['title']}" for i, b in enumerate(greeting["buttons"], 1)]


@pytest.mark.parametrize("channel", [SMS, WHATSAPP], ids=["sms", "whatsapp"])
@pytest.mark.parametrize("forgery", ["missing", "wrong token", "other channel's URL", "body changed"])
def test_unsigned_or_forged_requests_are_rejected_and_nothing_is_sent(messaging, recorder, channel, forgery):
    sender = customer(channel)
    params = inbound(channel, sender, "where is my order?")
    signature = {
        "missing": "",
        "wrong token": twilio_signature(new_id(), channel["url"], params),
        "other channel's URL": twilio_signature(TOKEN, (WHATSAPP if channel is SMS else SMS)["url"], params),
        "body changed": twilio_signature(TOKEN, channel["url"], {**params, "Body": "hello"}),
    }[forgery]
    reply = post(messaging, channel, params, signature)
    assert reply.status_code == 403
    assert reply.json()["error"] == "bad_signature"
    time.sleep(1)
    assert recorder.matching(lambda c: c.fields.get("To") == sender) == []
