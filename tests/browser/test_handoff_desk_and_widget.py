"""Handing over to a person, in two browsers: the customer's widget on the shop, and the agent
desk. The whole story reaches the agent, in words; replies go both ways live; a Rasa restart
loses nothing; resolving gives the conversation back to the assistant, which asks for a rating.
On a long conversation the desk keeps the queue, the summary and the reply box in view. The
agent sees the return photos of the order the conversation is about, and opens them full size.
And while a person has the conversation the widget says so, shows no typing indicator and no
second way to ask for a person."""
import re
import time
import uuid
from datetime import datetime, timedelta, timezone

import pytest
import requests
from playwright.sync_api import expect

from common.photo_links import link_query
from tests.browser.conftest import DESKTOP, screenshot
from tests.browser.test_widget import Widget, log_in
from tools.services import ROOT

pytestmark = pytest.mark.e2e


class Desk:
    """The reference agent desk, as an agent uses it."""

    def __init__(self, page, url: str):
        self.page, self.url = page, url
        self.queue = page.locator("#queue a")
        self.summary = page.locator("#summary")
        self.context = page.locator("#context")
        self.transcript = page.locator("#transcript li")
        self.last_message = page.locator("#last-message")

    def log_in(self, login: str, password: str):
        self.page.goto(self.url)
        self.page.get_by_label("Login").fill(login)
        self.page.get_by_label("Password").fill(password)
        self.page.get_by_role("button", name="Log in").click()
        expect(self.page.get_by_role("heading", name="Queue")).to_be_visible()

    def open_conversation_where(self, said: str, timeout_s: float = 30):
        """The queue's conversation in which the customer said `said`: the handoff reaches the
        queue, and what the customer writes its transcript, within seconds."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            for item in reversed(self.queue.all()):  # newest first
                item.click()
                try:
                    expect(self.transcript.filter(has_text=said)).to_have_count(1, timeout=3_000)
                    return
                except AssertionError:
                    continue
            self.page.wait_for_timeout(1_000)
        raise AssertionError(f"no conversation in the queue where the customer said {said!r}")

    def reply(self, text: str):
        self.page.get_by_label("Reply to the customer").fill(text)
        self.page.get_by_role("button", name="Send").click()
        expect(self.transcript.filter(has_text=text)).to_have_count(1)


@pytest.fixture
def agent_page(chromium):
    context = chromium.new_context(**DESKTOP)
    context.set_default_timeout(20_000)
    yield context.new_page()
    context.close()


def demo_password(assistant) -> str:
    return assistant.agents_file.with_suffix(".demo-password").read_text().strip()


def test_a_person_takes_over_with_the_whole_story_and_gives_the_conversation_back(page, agent_page, assistant):
    # 1. The customer, logged in, asks about an order, then for a person.
    log_in(page, assistant.shop_url)
    widget = Widget(page)
    widget.open()
    widget.say("when will my macbook ship?")
    expect(widget.bot.last).to_contain_text("MacBook Air 13 (2020)")
    widget.say("this is taking forever, i want to talk to a real person")
    expect(widget.bot.last).to_contain_text("support team")

    # 2. The agent sees the conversation: summary, order context, transcript.
    desk = Desk(agent_page, assistant.desk_url)
    desk.log_in("maria", demo_password(assistant))
    # The queue is oldest first; other tests' customers may be waiting too: ours came last.
    desk.queue.filter(has_text="asked for a person").last.click()
    expect(desk.summary).to_contain_text("Ana Martin, logged in to their account")
    expect(desk.summary).to_contain_text("Order 40512348, MacBook Air 13 (2020)")
    expect(desk.context).to_contain_text("40512348")
    expect(desk.transcript.filter(has_text="when will my macbook ship?")).to_have_count(1)
    expect(desk.transcript.filter(has_text="MacBook Air 13 (2020)").first).to_be_visible()

    # 3. The agent replies; the customer sees it live, with the agent's name, and answers.
    desk.reply("Hi Ana, Maria here. Let me check with the seller.")
    expect(widget.bot.last).to_have_text("Hi Ana, Maria here. Let me check with the seller.")
    expect(page.locator("#support-chat .message.agent .author").last).to_contain_text("Maria")
    expect(page.locator("#support-chat .row.agent .agent-face").last).to_have_text("M")  # her initial, not the assistant's
    expect(page.locator("#support-chat .person")).to_have_text("Maria from our support team is answering you.")
    expect(page.locator("#support-chat .human")).to_be_hidden()
    screenshot(page, "handoff-widget")
    bot_messages = widget.bot.count()
    widget.input.fill("thanks, it was supposed to ship yesterday")
    widget.input.press("Enter")

    # 4. The agent sees the answer; the assistant says nothing meanwhile.
    expect(desk.transcript.filter(has_text="it was supposed to ship yesterday")).to_have_count(1)
    assert widget.bot.count() == bot_messages

    # 5. The Rasa server restarts; the conversation goes on, both ways.
    assistant.restart("Rasa server")
    expect(page.locator("#support-chat .root")).to_have_attribute("data-connection", "online", timeout=60_000)
    widget.input.fill("are you still there?")
    widget.input.press("Enter")
    expect(desk.transcript.filter(has_text="are you still there?")).to_have_count(1)
    desk.reply("Yes! The seller ships it today; you'll get the tracking link by e-mail.")
    expect(widget.bot.last).to_have_text("Yes! The seller ships it today; you'll get the tracking link by e-mail.")

    # 6. The agent resolves: the assistant is back, asks for a rating, and answers again.
    agent_page.get_by_role("button", name="Resolve").click()
    expect(widget.bot.last).to_contain_text("Maria has marked your request as solved")
    expect(widget.choices.filter(has_text="Yes, solved")).to_be_visible()
    expect(page.locator("#support-chat .person")).to_be_hidden()
    widget.choices.filter(has_text="Yes, solved").click()
    expect(widget.bot.last).to_contain_text("Glad to hear it")
    widget.say("when will my macbook ship?")
    expect(widget.bot.last).to_contain_text("MacBook Air 13 (2020)")
    expect(desk.context).to_contain_text("solved")


# A logged-in customer's real questions, some taps, a few messages off the happy path, then a
# person: the conversation an agent most needs to read quickly.
LONG_CONVERSATION = [
    "hi",
    "where is my order?",
    ("tap", "MacBook Air 13 (2020)"),
    "when will it ship?",
    "and my pixel?",
    "where is my return label for order 40512360",
    "how long is the label valid?",
    "what do I need to do before I send my iPhone back?",
    ("tap", "Next step"),
    ("tap", "Next step"),
    "stop",
    "the thing with the stuff",
    "nope, that's wrong",
    "and my watch?",
    "is my refund on its way?",
    "asdf qwerty",
    "has the seller received my watch?",
    "can i still return the iphone 12?",
    "this is useless!!",
    "where is my return label for order 40512360",
    "i want to talk to a real person",
]
CODE = re.compile(r"\b[a-z]+_[a-z_]+\b")  # logged_in, cus_ana, label_ready, return_label ...


def in_view(page, locator) -> bool:
    box = locator.bounding_box()
    size = page.viewport_size
    return box is not None and box["y"] >= 0 and box["x"] >= 0 and \
        box["y"] + box["height"] <= size["height"] and box["x"] + box["width"] <= size["width"]


def assert_the_desk_holds_still(page):
    """Only the transcript scrolls: the queue, the summary and the reply box stay in view."""
    assert page.evaluate("document.scrollingElement.scrollHeight <= window.innerHeight + 1"), "the page scrolls"
    assert page.evaluate("(t => t.scrollHeight > t.clientHeight)(document.getElementById('transcript'))")
    for name in ("Send", "Resolve", "Give back to the assistant"):
        assert in_view(page, page.get_by_role("button", name=name)), f"{name} is out of view"
    assert in_view(page, page.get_by_label("Reply to the customer"))
    assert in_view(page, page.get_by_role("heading", name="Queue"))
    assert in_view(page, page.locator("#queue a[aria-current=true]"))
    assert in_view(page, page.locator("#reason")) and in_view(page, page.locator(".summary .last"))


def test_on_a_long_conversation_the_desk_reads_like_a_colleagues_note_and_holds_still(page, agent_page, assistant):
    log_in(page, assistant.shop_url)
    widget = Widget(page)
    widget.open()
    for step in LONG_CONVERSATION:
        started, before = time.monotonic(), widget.bot.count()
        if isinstance(step, tuple):
            widget.choices.filter(has_text=step[1]).last.click()
            widget.wait_for_answer(before)
        else:
            widget.say(step)
        # At most 20 messages a minute from one sender (channels/limits.yml), as a person types.
        page.wait_for_timeout(max(0, 3.2 - (time.monotonic() - started)) * 1000)
    expect(widget.bot.last).to_contain_text("support team")

    desk = Desk(agent_page, assistant.desk_url)
    desk.log_in("maria", demo_password(assistant))
    # The queue tells conversations apart: name, order or item, the reason, how long.
    ours = desk.queue.filter(has_text="Ana Martin").filter(has=agent_page.locator(".badge.waiting")).last
    expect(ours).to_contain_text("The customer asked for a person")
    expect(ours).to_contain_text(re.compile(r"waiting (under a minute|\d+ min)"))
    expect(ours).to_contain_text(re.compile(r"4051236\d, iPhone 12 64GB"))
    ours.click()

    # Words, not codes; the customer's name; each topic once; what they proved.
    expect(desk.summary).to_contain_text("Ana Martin, logged in to their account.")
    expect(desk.context).to_contain_text("Proved")
    note = desk.summary.inner_text() + " " + desk.context.inner_text()
    assert not CODE.search(note), CODE.search(note)
    asked = re.search(r"Asked about: (.*?)\.", desk.summary.inner_text()).group(1).split(", ")
    assert len(asked) == len(set(asked)) >= 3, asked
    # A tapped button reads as its title; what the assistant promised is there after the handoff.
    expect(desk.transcript.filter(has_text="Next step")).not_to_have_count(0)
    expect(desk.transcript.filter(has_text="tapped")).to_have_count(0)
    expect(desk.transcript.filter(has_text="Handed over to a person")).to_have_count(1)
    expect(agent_page.locator("#transcript li.event ~ li.assistant").filter(has_text="answer you here")
           ).to_have_count(1)
    assert desk.transcript.count() >= 40
    expect(desk.last_message).to_have_text("i want to talk to a real person")

    # Asked again while waiting: acknowledged, and the agent reads it as the latest message.
    widget.say("hello?? can I talk to someone")
    expect(widget.bot.last).to_contain_text("You're in the queue")
    expect(desk.last_message).to_have_text("hello?? can I talk to someone")

    assert_the_desk_holds_still(agent_page)
    screenshot(agent_page, "handoff-desk")  # the README's picture (docs/images/), once looked at
    agent_page.set_viewport_size({"width": 1024, "height": 700})  # a small laptop
    assert_the_desk_holds_still(agent_page)
    screenshot(agent_page, "handoff-desk-small")

    agent_page.get_by_role("button", name="Resolve").click()
    expect(widget.bot.last).to_contain_text("Was your problem solved?")


def long_ticket(lines: int) -> dict:
    """A handoff as the action server opens it, with a long transcript."""
    start = datetime.now(timezone.utc) - timedelta(minutes=lines)
    return {
        "conversation_id": f"layout-{uuid.uuid4().hex}", "channel": "rest", "reason": "missing_package",
        "reason_text": "Missing, stolen or wrongly delivered package",
        "summary": "A guest who proved order 40512351 is theirs. Missing, stolen or wrongly delivered package.",
        "customer": {"status": "verified", "id": None, "verified_order": "40512351", "name": None},
        "details": [{"label": "Customer", "text": "Guest"}, {"label": "Proved", "text": "order 40512351 is theirs"},
                    {"label": "Order", "text": "40512351, Pixel 7 128GB"}, {"label": "State", "text": "on its way"}],
        "order": {"number": "40512351", "item": "Pixel 7 128GB"}, "topics": ["track_order", "missing_package"],
        "transcript": [{"author": "customer" if n % 2 else "assistant", "text": f"Message {n} about the parcel",
                        "at": (start + timedelta(minutes=n)).isoformat()} for n in range(lines)],
    }


# Real photos (tests/fixtures/photos/LICENCES.md) for five of a return's slots.
RETURN_PHOTOS = {"front": "astronaut", "back": "camera", "left": "brick", "right": "grass", "top": "gravel"}


def send_return_photos(assistant, order: str, conversation: str) -> None:
    """The customer's photos, each through the order's signed upload link for its slot, as the
    widget will send them (the action server mints the links: common/photo_links.py)."""
    backend = f"http://{assistant.host}:{assistant.backend_port}"
    for slot, photo in RETURN_PHOTOS.items():
        query = link_query(assistant.secrets.orders_api_token, order, slot, conversation)
        sent = requests.put(f"{backend}/orders/{order}/photos/{slot}", params=query, timeout=30,
                            data=(ROOT / "tests" / "fixtures" / "photos" / f"{photo}.jpg").read_bytes())
        assert sent.status_code == 201, sent.text


def test_the_agent_sees_the_return_photos_of_the_order_and_opens_one_full_size(page, agent_page, assistant):
    # 1. Ana asks about her iPhone's return, sends its photos, then asks for a person.
    log_in(page, assistant.shop_url)
    widget = Widget(page)
    widget.open()
    widget.say("where is my return label for order 40512360")
    expect(widget.bot.last).to_contain_text("iPhone 12 64GB")
    send_return_photos(assistant, "40512360", f"browser-{uuid.uuid4().hex}")
    widget.say("i want to talk to a real person")
    expect(widget.bot.last).to_contain_text("support team")

    # 2. The desk shows them in the checklist's order, under their slots' names, as thumbnails.
    desk = Desk(agent_page, assistant.desk_url)
    desk.log_in("maria", demo_password(assistant))
    desk.queue.filter(has_text="40512360, iPhone 12 64GB").filter(has=agent_page.locator(".badge.waiting")).last.click()
    expect(desk.summary).to_contain_text("Order 40512360, iPhone 12 64GB")
    photos = agent_page.get_by_role("region", name="Return photos")
    expect(photos.get_by_role("listitem")).to_have_text(["Front", "Back", "Left side", "Right side", "Top"])
    # Thumbnails, not the full-size photos (a function: the desk's policy allows no eval of a string).
    agent_page.wait_for_function("() => [...document.querySelectorAll('#photo-list img')]"
                                 ".every(img => img.complete && img.naturalWidth === 320)")
    # Whole, with their names, in the summary as it opens (it scrolls on smaller screens).
    assert agent_page.evaluate("(s => s.scrollHeight <= s.clientHeight)(document.querySelector('.summary'))")
    screenshot(agent_page, "handoff-desk-photos")  # the README's picture (docs/images/), once looked at

    # 3. One opens full size in a new tab: the photo as the backend keeps it.
    with agent_page.context.expect_page() as opened:
        photos.get_by_role("link", name="Back photo, full size, in a new tab").click()
    full_size = opened.value
    full_size.wait_for_load_state()
    assert full_size.url.startswith(f"{assistant.desk_url}/photos/")
    assert full_size.evaluate("document.images[0].naturalWidth") == 512
    full_size.close()

    agent_page.get_by_role("button", name="Resolve").click()
    expect(widget.bot.last).to_contain_text("Was your problem solved?")


@pytest.mark.parametrize("size", [DESKTOP["viewport"], {"width": 1024, "height": 700}])
def test_on_a_long_conversation_only_the_transcript_scrolls(agent_page, assistant, size):
    opened = requests.post(f"http://{assistant.host}:{assistant.handoff_port}/handoffs", json=long_ticket(60),
                           headers={"Authorization": f"Bearer {assistant.handoff_api_token}"}, timeout=10)
    assert opened.status_code == 201, opened.text
    agent_page.set_viewport_size(size)
    desk = Desk(agent_page, assistant.desk_url)
    desk.log_in("maria", demo_password(assistant))
    agent_page.locator(f"#queue a[data-id='{opened.json()['id']}']").click()
    expect(desk.transcript.filter(has_text="Message 59 about the parcel")).to_be_visible()  # the latest, in view
    assert_the_desk_holds_still(agent_page)
    agent_page.get_by_role("button", name="Give back to the assistant").click()


def test_while_a_person_has_the_conversation_the_widget_says_so_and_offers_one_way_to_ask(page, agent_page, assistant):
    page.goto(f"{assistant.shop_url}/")
    widget = Widget(page)
    widget.open()
    who_answers = page.locator("#support-chat header p")
    talk_to_a_person = page.locator("#support-chat").get_by_role("button", name="Talk to a person")
    handoff_state = page.locator("#support-chat .person")
    expect(who_answers).to_have_text("Max · usually answers at once")

    # 1. Asked: the button gives way to the wait, and the header says a person will answer.
    talk_to_a_person.click()
    widget.wait_for_answer(0)
    expect(widget.bot.last).to_contain_text("support team")
    expect(who_answers).to_have_text("Waiting for a person")
    expect(talk_to_a_person).to_have_count(0)
    expect(handoff_state).to_have_text("A person from our support team will answer you here. "
                                       "Anything you write goes to them.")

    # 2. What the customer writes meanwhile goes to the person: the assistant isn't typing.
    widget.input.fill("it's about my blue headphones, they never came")
    widget.input.press("Enter")
    expect(page.locator("#support-chat .message.user .pending")).to_have_count(0)
    expect(page.locator("#support-chat .typing")).to_be_hidden()

    # 3. The person answers: the header names them.
    desk = Desk(agent_page, assistant.desk_url)
    desk.log_in("maria", demo_password(assistant))
    desk.open_conversation_where("it's about my blue headphones, they never came")
    desk.reply("Hi, Maria here. Which order is it?")
    expect(widget.bot.last).to_have_text("Hi, Maria here. Which order is it?")
    expect(who_answers).to_have_text("Maria from support is answering")
    expect(page.locator("#support-chat header .agent-face")).to_have_text("M")  # her initial, in her colour
    expect(handoff_state).to_have_text("Maria from our support team is answering you.")
    expect(talk_to_a_person).to_have_count(0)

    # 4. Given back: the assistant again, and after "No" one "Talk to a person", the answer's.
    agent_page.get_by_role("button", name="Resolve").click()
    expect(widget.choices.filter(has_text="Yes, solved")).to_be_visible()
    expect(who_answers).to_have_text("Max · usually answers at once")
    expect(page.locator("#support-chat header .agent-face")).to_have_count(0)
    expect(handoff_state).to_be_hidden()
    before = widget.bot.count()
    widget.choices.filter(has_text="No").click()
    widget.wait_for_answer(before)
    expect(talk_to_a_person).to_have_count(1)
    expect(widget.choices.filter(has_text="Talk to a person")).to_be_visible()
    # Answered otherwise, the question's button stays greyed and the widget's own is back.
    widget.say("thanks")
    expect(widget.choices.filter(has_text="Talk to a person")).to_be_disabled()
    expect(page.locator("#support-chat .human")).to_be_visible()
