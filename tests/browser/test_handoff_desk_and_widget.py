"""Handing over to a person, in two browsers: the customer's widget on the shop, and the agent
desk. The whole story reaches the agent; replies go both ways live; a Rasa restart loses
nothing; resolving gives the conversation back to the assistant, which asks for a rating. And
while a person has the conversation the widget says so, shows no typing indicator and no second
way to ask for a person."""
import time

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, screenshot
from tests.browser.test_widget import Widget, log_in

pytestmark = pytest.mark.e2e


class Desk:
    """The reference agent desk, as an agent uses it."""

    def __init__(self, page, url: str):
        self.page, self.url = page, url
        self.queue = page.locator("#queue a")
        self.summary = page.locator("#summary")
        self.context = page.locator("#context")
        self.transcript = page.locator("#transcript li")

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
    expect(desk.summary).to_contain_text("Logged-in customer")
    expect(desk.summary).to_contain_text("Order 40512348: MacBook Air 13 (2020)")
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
    agent_page.evaluate("window.scrollTo(0, 0)")
    screenshot(agent_page, "handoff-desk")
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
