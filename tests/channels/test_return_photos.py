"""Return photos sent on Telegram, WhatsApp (Twilio) and Messenger fill the return's photo slots
(channels/photo_relay.py). While the checklist asks for photos, each photo goes to the first slot
still empty, checked and kept by the real order backend, and the conversation is told as if the
customer had typed /photo_received{"photo_slot": ..., "photo_check": ...}. A bad photo, a link
past its time, a file too large or a photo nobody asked for is said so, and nothing is kept."""
import concurrent.futures
import random
import time
import uuid

import yaml

from channel_env import SETTINGS, new_id
from fake_providers import basic_authorization
from return_photos import (PDF, blurred, expired_an_hour_ago, kept, photo, photo_received, photos_asked, said,
                           user_messages)
from test_facebook import PAGE_ID, a_customer, delivery
from test_facebook import post as post_to_facebook
from test_telegram import TOKEN, a_chat, api, update
from test_telegram import post as post_to_telegram
from test_twilio import WHATSAPP, customer, inbound
from test_twilio import post as post_to_twilio
from tools.services import ROOT

MAX_BYTES = yaml.safe_load((ROOT / "channels" / "limits.yml").read_text())["photo_max_bytes"]  # 15 MB


# ---- Telegram ---------------------------------------------------------------------------------
def photo_sizes(recorder, data: bytes) -> list:
    """A photo as a Telegram update lists it: smaller copies first (which the fake Bot API
    doesn't hold: asking for one fails), the photo as sent last."""
    thumbnails = [{"file_id": f"AgACthumb{new_id()}", "file_unique_id": new_id(), "file_size": size * size // 8,
                   "width": size, "height": size} for size in (90, 320)]
    return thumbnails + [{**recorder.telegram_file(TOKEN, data), "width": 512, "height": 512}]


def files_asked_for(recorder, sizes: list) -> list:
    ids = {size["file_id"] for size in sizes}
    return [call.fields["file_id"] for call in recorder.matching(
        lambda call: api("getFile")(call) and call.fields.get("file_id") in ids)]


def test_a_telegram_photo_fills_the_first_empty_slot_and_the_conversation_is_told(messaging, recorder):
    chat = a_chat()
    photos_asked(messaging, str(chat["id"]), "40512360")
    sizes = photo_sizes(recorder, photo("astronaut"))
    assert post_to_telegram(messaging, update(chat, photo=sizes)).status_code == 200
    assert kept(messaging, "40512360") == ["front"]
    assert said(messaging, str(chat["id"]))[-1] == photo_received("accepted", "front")
    assert files_asked_for(recorder, sizes) == [sizes[-1]["file_id"]]  # the photo as sent, not a thumbnail


def test_a_caption_follows_its_photo_as_a_message_of_its_own_in_the_customers_language(messaging, recorder):
    chat = a_chat()
    photos_asked(messaging, str(chat["id"]), "40512352", taken=["front"])
    sent = update(chat, "fr", photo=photo_sizes(recorder, photo("grass")), caption="voici le dos du téléphone")
    assert post_to_telegram(messaging, sent).status_code == 200
    assert kept(messaging, "40512352") == ["back"]
    relayed, caption = user_messages(messaging, str(chat["id"]))[-2:]
    assert (relayed["text"], caption["text"]) == (photo_received("accepted", "back"), "voici le dos du téléphone")
    for message in (relayed, caption):  # as a typed message: same channel, same app language
        assert message["input_channel"] == "telegram" and message["metadata"]["language"] == "fr"


def test_two_telegram_photos_sent_together_fill_front_then_back(messaging, recorder):
    chat = a_chat()
    photos_asked(messaging, str(chat["id"]), "40512361")
    album = [update(chat, photo=photo_sizes(recorder, photo(name)), media_group_id="13" + new_id())
             for name in ("astronaut", "camera")]
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        replies = list(pool.map(lambda sent: post_to_telegram(messaging, sent), album))
    assert [reply.status_code for reply in replies] == [200, 200]
    assert kept(messaging, "40512361") == ["front", "back"]
    assert sorted(said(messaging, str(chat["id"]))[-2:]) == sorted(
        [photo_received("accepted", "front"), photo_received("accepted", "back")])


def test_a_blurred_photo_is_said_to_be_blurry_and_nothing_is_kept(messaging, recorder):
    chat = a_chat()
    photos_asked(messaging, str(chat["id"]), "40512362")
    sizes = photo_sizes(recorder, blurred("astronaut"))
    assert post_to_telegram(messaging, update(chat, photo=sizes)).status_code == 200
    assert said(messaging, str(chat["id"]))[-1] == photo_received("blurry", "front")
    assert kept(messaging, "40512362") == []


def test_a_document_that_is_not_an_image_is_judged_by_its_content(messaging, recorder):
    chat = a_chat()
    photos_asked(messaging, str(chat["id"]), "40512363")
    document = {**recorder.telegram_file(TOKEN, PDF, "pdf"), "file_name": "front.jpg.pdf",
                "mime_type": "application/pdf"}
    assert post_to_telegram(messaging, update(chat, document=document)).status_code == 200
    assert said(messaging, str(chat["id"]))[-1] == photo_received("not_an_image", "front")
    assert kept(messaging, "40512363") == []


def test_a_photo_sent_after_the_links_expired_is_not_even_downloaded(messaging, recorder):
    chat = a_chat()
    photos_asked(messaging, str(chat["id"]), "40512364", minted=expired_an_hour_ago())
    sizes = photo_sizes(recorder, photo("gravel"))
    assert post_to_telegram(messaging, update(chat, photo=sizes)).status_code == 200
    assert said(messaging, str(chat["id"]))[-1] == photo_received("link_expired", "front")
    assert files_asked_for(recorder, sizes) == [] and kept(messaging, "40512364") == []


def test_a_photo_over_15_mb_is_too_large_and_not_downloaded(messaging, recorder):
    chat = a_chat()
    photos_asked(messaging, str(chat["id"]), "40512350")
    huge = {"file_id": f"AgAChuge{new_id()}", "file_unique_id": new_id(), "file_size": MAX_BYTES + 1,
            "width": 8000, "height": 6000}
    assert post_to_telegram(messaging, update(chat, photo=[huge])).status_code == 200
    assert said(messaging, str(chat["id"]))[-1] == photo_received("too_large", "front")
    assert files_asked_for(recorder, [huge]) == [] and kept(messaging, "40512350") == []


def test_a_photo_when_none_is_asked_for_is_not_asked_and_not_downloaded(messaging, recorder):
    chat = a_chat()
    sizes = photo_sizes(recorder, photo("astronaut"))
    assert post_to_telegram(messaging, update(chat, photo=sizes)).status_code == 200
    assert said(messaging, str(chat["id"])) == [photo_received("not_asked")]
    assert files_asked_for(recorder, sizes) == []


# ---- WhatsApp, through Twilio -----------------------------------------------------------------
def test_a_whatsapp_photo_fetched_with_the_accounts_credentials_fills_the_first_empty_slot(messaging, recorder):
    sender = customer(WHATSAPP)
    photos_asked(messaging, sender, "40512365")
    account, auth_token = SETTINGS["TWILIO_ACCOUNT_SID"], SETTINGS["TWILIO_AUTH_TOKEN"]
    message_sid = "MM" + uuid.uuid4().hex
    media = f"/2010-04-01/Accounts/{account}/Messages/{message_sid}/Media/ME{uuid.uuid4().hex}"
    # Twilio's media URL is on its API, which serves it to the account only.
    recorder.serve("/twilio" + media, photo("camera"), basic_auth=(account, auth_token))
    params = {**inbound(WHATSAPP, sender, "the front"), "MessageSid": message_sid, "NumMedia": "1",
              "MediaContentType0": "image/jpeg", "MediaUrl0": "https://api.twilio.com" + media}
    assert post_to_twilio(messaging, WHATSAPP, params).status_code == 204
    assert kept(messaging, "40512365") == ["front"]
    assert said(messaging, sender)[-2:] == [photo_received("accepted", "front"), "the front"]
    [download] = recorder.matching(lambda call: call.path == "/twilio" + media)
    assert download.headers["authorization"] == basic_authorization(account, auth_token)


# ---- Messenger --------------------------------------------------------------------------------
def attachment_event(recorder, sender: str, kind: str, data: bytes) -> dict:
    """A message with one attachment, at a URL of Messenger's CDN (signed in its query)."""
    url = recorder.serve(f"/fbcdn/v/t1.15752-9/{random.randint(10**8, 10**9)}_n.jpg", data)
    return {"sender": {"id": sender}, "recipient": {"id": PAGE_ID}, "timestamp": int(time.time() * 1000),
            "message": {"mid": "m_" + new_id(), "attachments": [
                {"type": kind, "payload": {"url": f"{url}?_nc_cat=101&oh=00_{new_id()}&oe=6601A2B3"}}]}}


def test_a_messenger_photo_fills_the_first_empty_slot(messaging, recorder):
    sender = a_customer()
    photos_asked(messaging, sender, "40512353")
    event = attachment_event(recorder, sender, "image", photo("gravel"))
    assert post_to_facebook(messaging, delivery(event)).status_code == 200
    assert kept(messaging, "40512353") == ["front"]
    assert said(messaging, sender)[-1] == photo_received("accepted", "front")


def test_a_messenger_file_over_15_mb_is_too_large(messaging, recorder):
    sender = a_customer()
    photos_asked(messaging, sender, "40512349")
    huge = photo("gravel") + bytes(MAX_BYTES)  # Messenger declares no size: the download stops at 15 MB
    event = attachment_event(recorder, sender, "file", huge)
    assert post_to_facebook(messaging, delivery(event)).status_code == 200
    assert said(messaging, sender)[-1] == photo_received("too_large", "front")
    assert kept(messaging, "40512349") == []
