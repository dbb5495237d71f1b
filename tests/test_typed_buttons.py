"""Every button the assistant offers can be typed instead of clicked: its title, its number,
or an ordinal, leads to the same answer as the click (REST, with the real servers)."""
import pytest

from customer_chat import Chat

pytestmark = pytest.mark.e2e

ORDINALS = {1: "the first one", 2: "the second one", 3: "the third one"}

# A conversation that ends with buttons, and who is talking (None: not logged in).
OFFERS = {
    "greeting": (None, ["hello"]),
    "topic menu": (None, ["what's the weather like in Paris tomorrow?"]),
    "did you mean": (None, ["/nlu_fallback"]),
    "order number": (None, ["where is my order?"]),
    "e-mail or postcode": (None, ["where is order 40512351"]),
    "which order": ("cus_ben", ["where is my order?"]),
    "which iPhone": ("cus_ana", ["where is my iphone?"]),
    # an unknown order: the backend stops a conversation's checks of a number after 5 failures
    "verification locked": (None, ["where is order 99999998"] + [f"guess{n}@example.com" for n in range(5)]),
    "delivery overdue": ("cus_cleo", ["where is order 40512353"]),
    "delivered": ("cus_ben", ["track order 40512352"]),
    "label ready": ("cus_ana", ["where is my return label for order 40512360"]),
    "label expired": ("cus_cleo", ["is my return label still valid? order 40512362"]),
    "return an item": (None, ["I want to return my laptop"]),
    "refund": (None, ["when do I get my refund?"]),
    "late": (None, ["my order still hasn't shipped and it's been days"]),
    "missing package": (None, ["/missing_package"]),
    "checklist, first step": (None, ["/return_checklist"]),
    "checklist, middle step": (None, ["/return_checklist", "/affirm"]),
    "checklist, last step": (None, ["/return_checklist"] + ["/affirm"] * 5),
    "upset": (None, ["where is my order?", "no!! this is ridiculous"]),
}


def conversation(assistant, who, messages):
    chat = Chat(assistant.rest_webhook, assistant.secrets.customer_token_secret)
    if who:
        chat.log_in_as(who)
    replies = []
    for message in messages:
        replies = chat.say(message)
    return chat, [r for r in replies if r.get("buttons")][-1]["buttons"]


def answer(chat, message):
    return [(r.get("text"), [b["title"] for b in r.get("buttons", [])]) for r in chat.say(message)]


@pytest.mark.parametrize("offer", OFFERS, ids=list(OFFERS))
def test_each_button_typed_gets_the_clicked_answer(assistant, offer):
    who, messages = OFFERS[offer]
    _, buttons = conversation(assistant, who, messages)
    for position, button in enumerate(buttons, 1):
        clicked_chat, _ = conversation(assistant, who, messages)
        clicked = answer(clicked_chat, button["payload"])
        for typed in (button["title"], str(position), ORDINALS.get(position), button["title"].lower()):
            if typed is None:
                continue
            typed_chat, _ = conversation(assistant, who, messages)
            assert answer(typed_chat, typed) == clicked, f"{offer}: typed {typed!r} for {button['title']!r}"
