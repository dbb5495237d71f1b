"""The return checklist's photos in the conversation, over REST with the real backend: offered at
the photo steps for the customer's own order, each relayed photo answered with its verdict and
the next one to take, the progress kept with the order."""
import json
from pathlib import Path

import pytest
import requests

from customer_chat import Chat
from return_photo_uploads import forget_photos

pytestmark = pytest.mark.e2e

PHOTOS = Path(__file__).parent / "fixtures" / "photos"
ORDER = "40512360"  # cus_ana's iPhone 12, a return for repair


def tracker_slot(assistant, chat, name):
    tracker = requests.get(f"{assistant.url}/conversations/{chat.sender}/tracker",
                           params={"token": assistant.rasa_api_token}, timeout=10).json()
    return tracker["slots"].get(name)


def links(assistant, chat):
    offered = json.loads(tracker_slot(assistant, chat, "photo_links"))
    return {slot["slot"]: slot for slot in offered["slots"]}


def send_photo(assistant, chat, slot, fixture):
    """What the widget or a messaging channel does: the file through the slot's link, then the
    backend's verdict to the assistant."""
    reply = requests.put(links(assistant, chat)[slot]["url"], data=(PHOTOS / fixture).read_bytes(), timeout=30)
    verdict = "accepted" if reply.status_code == 201 else reply.json().get("reason", "unavailable")
    return chat.text("/photo_received" + json.dumps({"photo_slot": slot, "photo_check": verdict}))


@pytest.fixture
def at_the_photos(assistant, chat):
    forget_photos(assistant, ORDER)
    chat.log_in_as_owner_of(ORDER)
    chat.say(f"I want to return order {ORDER}")
    step = chat.text("what do I need to do before sending it back?")
    assert "Step 1 of 6" in step and "send them to me here" in step
    return chat


def test_the_owner_is_offered_a_link_for_each_of_the_seven_photos(assistant, at_the_photos):
    offered = links(assistant, at_the_photos)
    assert list(offered) == ["front", "back", "left", "right", "top", "bottom", "screen_on"]
    assert all(f"/orders/{ORDER}/photos/{slot}?" in link["url"] for slot, link in offered.items())


def test_each_photo_gets_its_verdict_and_the_next_one_to_take(assistant, at_the_photos):
    chat = at_the_photos
    assert send_photo(assistant, chat, "front", "astronaut.jpg") == (
        "Got it, that one's good: 1 of 7 photos. Next, the back of your device.")
    said = send_photo(assistant, chat, "back", "refused/blurred.jpg")
    assert said.startswith("This one is blurry: hold the phone still")
    assert "too dark" in send_photo(assistant, chat, "back", "refused/dark.jpg")
    assert "same picture as one you've already sent" in send_photo(assistant, chat, "back", "astronaut.jpg")
    assert "can't read that file as a photo" in send_photo(assistant, chat, "back", "refused/not-a-photo.jpg")
    assert send_photo(assistant, chat, "back", "camera.jpg").endswith("2 of 7 photos. Next, its left side.")
    assert chat.text("did you get my photos?") == "I have 2 of 7 photos for your return so far. Next, its left side."


def test_asked_before_any_photo_the_assistant_says_where_to_start(at_the_photos):
    assert at_the_photos.text("which photo is still missing?") == (
        "I don't have any of the 7 photos yet. Start with the front of your device: send it here whenever you're ready.")


def test_a_photo_the_backend_did_not_keep_is_never_said_to_be_kept(assistant, at_the_photos):
    said = at_the_photos.text('/photo_received{"photo_slot": "left", "photo_check": "accepted"}')
    assert said == "I couldn't keep that photo just now: please try again in a moment."


def test_the_checklist_goes_on_after_the_photos_and_the_package_photo_is_asked_at_step_5(assistant, at_the_photos):
    chat = at_the_photos
    send_photo(assistant, chat, "front", "brick.jpg")
    assert "Step 2 of 6" in chat.text("next")
    for _ in range(2):
        chat.say("next")
    step5 = chat.text("next")
    assert "Step 5 of 6" in step5 and "send that photo to me here" in step5
    assert list(links(assistant, chat)) == ["package"]
    assert send_photo(assistant, chat, "package", "grass.jpg").startswith("Thank you: the photo of your package is kept")
    assert "Step 6 of 6" in chat.text("next")


def test_the_progress_belongs_to_the_order_and_resumes_in_another_conversation(assistant, at_the_photos):
    send_photo(assistant, at_the_photos, "front", "gravel.jpg")
    later = Chat(assistant.rest_webhook, assistant.secrets.customer_token_secret)
    later.log_in_as_owner_of(ORDER)
    later.say(f"I want to return order {ORDER}")
    later.say("what do I need to do before sending it back?")
    assert links(assistant, later)["front"]["taken"] is True
    assert later.text("which photo is still missing?").startswith("I have 1 of 7 photos")


def test_photos_are_taken_only_for_an_order_the_customer_is_known_to_own(assistant, chat):
    chat.say(f"I want to return order {ORDER}")  # not logged in, not verified
    step = chat.text("what do I need to do before sending it back?")
    assert "Step 1 of 6" in step and "send them to me here" not in step
    assert tracker_slot(assistant, chat, "photo_links") is None
    said = chat.text('/photo_received{"photo_check": "not_asked"}')
    assert said.startswith("Thanks! I can only take return photos during the photo steps of the return checklist")
