"""The chat widget in a real browser, on the demo shop: what a customer sees and does."""
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import yaml
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, opened, screenshot
from tools.services import ROOT

pytestmark = pytest.mark.e2e

RESPONSES = yaml.safe_load((ROOT / "domain.yml").read_text())["responses"]
LIMITS = yaml.safe_load((ROOT / "channels" / "limits.yml").read_text())
BRAND = yaml.safe_load((ROOT / "brand.yml").read_text())  # the tests' assistant runs with the example


class Widget:
    """The widget on a page, as a customer uses it (Playwright's CSS reaches into its open
    shadow root)."""

    def __init__(self, page):
        self.page = page
        self.launcher = page.locator("#support-chat .launcher")
        self.panel = page.locator("#support-chat .panel")
        self.input = page.locator("#support-chat textarea")
        self.bot = page.locator("#support-chat .message.bot .bubble")
        self.user = page.locator("#support-chat .message.user .bubble")
        self.choices = page.locator("#support-chat .choice")
        self.status = page.locator("#support-chat .status")
        self.badge = page.locator("#support-chat .badge")

    def open(self):
        self.launcher.click()
        expect(self.panel).to_be_visible()
        expect(self.page.locator("#support-chat .root")).to_have_attribute("data-connection", "online")

    def say(self, text: str):
        """Sends `text` and waits for the whole answer (one or more messages)."""
        before = self.bot.count()
        self.input.fill(text)
        self.input.press("Enter")
        self.wait_for_answer(before)

    def wait_for_answer(self, before: int):
        expect(self.bot.nth(before)).to_be_visible()
        # An answer can be several messages in a row: wait until no more arrive.
        count = -1
        while count != self.bot.count():
            count = self.bot.count()
            self.page.wait_for_timeout(300)

    def texts(self):
        return self.page.locator("#support-chat .message .bubble").all_inner_texts()


def log_in(page, shop: str, name: str = "Ana Martin"):
    page.goto(f"{shop}/login")
    page.get_by_role("button", name=f"Log in as {name}").click()
    page.wait_for_url("**/orders")


def test_a_logged_in_customer_asks_where_their_order_is_and_gets_its_answer(page, shop):
    log_in(page, shop)
    widget = Widget(page)
    widget.open()
    widget.say("where is my order?")
    # Ana has several orders: the assistant offers hers (and nobody else's) as quick replies.
    expect(widget.choices.filter(has_text="40512345")).to_have_count(1)
    expect(widget.choices.filter(has_text="40512346")).to_have_count(0)
    screenshot(page, "widget-desktop")

    widget.choices.filter(has_text="40512345").click()
    expect(widget.user.last).to_have_text(re.compile(r"iPhone 13 128GB \(order 40512345\)"))
    expect(widget.bot.last).to_contain_text("40512345")
    expect(widget.bot.last).to_contain_text("iPhone 13 128GB")
    # Used quick replies stay, greyed and disabled, with the one chosen marked.
    expect(page.locator("#support-chat .choices.answered .choice.chosen")).to_have_text(
        re.compile(r"iPhone 13 128GB \(order 40512345\)"))
    expect(page.locator("#support-chat .choices:not(.answered) .choice")).to_have_count(0)
    # Every message carries its time.
    times = page.locator("#support-chat .message time")
    expect(times).to_have_count(page.locator("#support-chat .message").count())
    assert re.match(r"\d{4}-\d\d-\d\dT", times.first.get_attribute("datetime"))


def test_the_conversation_survives_a_reload_and_another_page_and_goes_on(page, shop):
    log_in(page, shop)
    widget = Widget(page)
    widget.open()
    widget.say("when will my iPhone 13 128GB ship?")
    before = widget.texts()

    page.reload()
    expect(widget.panel).to_be_visible()  # still open, as it was
    expect(page.locator("#support-chat .message .bubble")).to_have_count(len(before))
    assert widget.texts() == before

    page.goto(f"{shop}/")  # another page of the same site
    expect(page.locator("#support-chat .message .bubble")).to_have_count(len(before))
    assert widget.texts() == before
    # The server kept the session too: the assistant answers in the same conversation.
    expect(page.locator("#support-chat .root")).to_have_attribute("data-connection", "online")
    widget.say("thanks")
    expect(widget.bot.last).not_to_be_empty()


def test_markup_typed_by_the_customer_is_shown_as_text(page, shop):
    page.goto(f"{shop}/")
    widget = Widget(page)
    widget.open()
    attack = '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2"><b>bold</b>'
    widget.say(attack)
    expect(widget.user.last).to_have_text(attack)
    assert page.locator("#support-chat .message script, #support-chat .message img, "
                        "#support-chat .message b").count() == 0
    assert page.evaluate("window.pwned") is None


def test_answers_render_simple_markdown_and_never_html(page):
    # The widget's markdown renderer (web/src/markdown.js), on its own in the browser.
    source = (ROOT / "web" / "src" / "markdown.js").read_text()
    page.set_content("<div id='out'></div>")
    page.add_script_tag(content=source.replace("export function renderMarkdown", "window.renderMarkdown = function"))
    page.evaluate("""text => document.getElementById('out').append(window.renderMarkdown(document, text))""",
                  "Your **label** is ready:\n- print it\n- tape it\n"
                  "See [tracking](https://tools.usps.com/go) or [this](javascript:alert(1)).\n"
                  "Label: https://www.labels.example.com/r/40512360/a-very-long-label-name.pdf\n"
                  "<img src=x onerror=alert(1)> <script>alert(2)</script>")
    out = page.locator("#out")
    expect(out.locator("strong")).to_have_text("label")
    expect(out.locator("li")).to_have_text(["print it", "tape it"])
    link = out.locator("a")
    expect(link).to_have_count(2)  # the javascript: one stays text
    expect(link.first).to_have_attribute("href", "https://tools.usps.com/go")
    expect(link.first).to_have_attribute("rel", "noopener noreferrer nofollow")
    # A bare address is shown short, by its site, and links to the whole of it.
    expect(link.last).to_have_text("labels.example.com/…")
    expect(link.last).to_have_attribute("href", "https://www.labels.example.com/r/40512360/a-very-long-label-name.pdf")
    assert out.locator("img, script").count() == 0
    expect(out).to_contain_text("<img src=x onerror=alert(1)>")


def test_on_a_phone_the_open_widget_fills_the_screen(phone, shop):
    log_in(phone, shop)
    widget = Widget(phone)
    widget.open()
    box = widget.panel.bounding_box()
    assert (box["x"], box["y"], box["width"], box["height"]) == (0, 0, 390, 844)
    expect(widget.launcher).to_be_hidden()  # the close button in the header takes over
    widget.say("what do I need to do before sending my phone back?")
    expect(widget.choices.first).to_be_visible()
    screenshot(phone, "widget-phone")
    phone.locator("#support-chat .close").click()
    expect(widget.panel).to_be_hidden()
    expect(widget.launcher).to_be_visible()


def test_keyboard_and_screen_reader_access(page, shop):
    page.goto(f"{shop}/")
    widget = Widget(page)
    expect(widget.launcher).to_have_attribute("aria-expanded", "false")
    widget.launcher.focus()
    page.keyboard.press("Enter")
    expect(widget.panel).to_be_visible()
    expect(widget.launcher).to_have_attribute("aria-expanded", "true")
    expect(widget.input).to_be_focused()  # typing can start at once
    expect(page.get_by_role("dialog", name=BRAND["widget"]["title"].format(name=BRAND["name"]))).to_be_visible()
    expect(page.locator("#support-chat [role=log]")).to_have_attribute("aria-live", "polite")
    page.keyboard.type("hello")
    page.keyboard.press("Enter")
    widget.wait_for_answer(0)
    page.keyboard.press("Escape")
    expect(widget.panel).to_be_hidden()
    expect(widget.launcher).to_be_focused()  # focus goes back where it came from


def test_talk_to_a_person_is_one_click_away(page, shop):
    page.goto(f"{shop}/")
    widget = Widget(page)
    widget.open()
    page.locator("#support-chat").get_by_role("button", name="Talk to a person").click()
    expect(widget.user.last).to_have_text("I'd like to talk to a person")
    expect(widget.bot.last).to_contain_text("support team")  # a person takes over (test_handoff_desk_and_widget.py)


def test_a_lost_connection_is_shown_and_nothing_typed_is_lost(page, shop):
    page.goto(f"{shop}/")
    widget = Widget(page)
    widget.open()
    page.context.set_offline(True)
    expect(widget.status).to_be_visible()
    expect(widget.status).to_contain_text("offline")
    widget.input.fill("where is my return label?")
    widget.input.press("Enter")
    expect(page.locator("#support-chat .message.user .pending")).to_have_count(1)
    page.keyboard.press("Escape")  # the customer closes the chat and waits

    page.context.set_offline(False)
    expect(widget.badge).to_have_text("1")  # the answer arrived while the chat was closed
    expect(widget.launcher).to_have_attribute("aria-label", re.compile("1 unread message"))
    widget.open()
    expect(widget.badge).to_be_hidden()
    expect(page.locator("#support-chat .message.user .pending")).to_have_count(0)
    expect(widget.bot.last).not_to_be_empty()


def test_logging_out_leaves_no_conversation_behind(page, shop):
    log_in(page, shop)
    widget = Widget(page)
    widget.open()
    widget.say("where is my order?")
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(f"{shop}/")
    widget.open()
    expect(widget.bot).to_have_count(0)
    # Now anonymous: the assistant asks which order instead of listing Ana's.
    widget.say("where is my order?")
    expect(widget.choices.filter(has_text="40512345")).to_have_count(0)


@pytest.fixture
def page_in(chromium, request):
    """A browser in the locale given, in Paris, its clock at 00:27 local time."""
    for page in opened(chromium, DESKTOP, locale=request.param, timezone_id="Europe/Paris"):
        page.clock.set_fixed_time(datetime(2026, 3, 2, 0, 27, tzinfo=ZoneInfo("Europe/Paris")))
        yield page


@pytest.mark.parametrize("page_in, shown", [("fr-FR", "00:27"), ("en-GB", "00:27"), ("en-US", "12:27 AM")],
                         indirect=["page_in"])
def test_timestamps_are_the_browsers_short_time(page_in, shop, shown):
    page_in.goto(f"{shop}/")
    widget = Widget(page_in)
    widget.open()
    widget.say("hello")
    expect(page_in.locator("#support-chat .message time").first).to_have_text(shown)


def test_a_long_message_is_never_cut_a_counter_shows_its_length_and_send_waits_until_it_is_shortened(page, shop):
    page.goto(f"{shop}/")
    widget = Widget(page)
    widget.open()
    limit = LIMITS["max_message_characters"]
    complaint = ("My phone arrived with a cracked screen and the seller has not answered my messages. " * 40)
    pasted = complaint[:limit + 50].rstrip() + "x"
    counter, note = page.locator("#support-chat .counter"), page.locator("#support-chat .too-long")

    widget.input.fill(pasted)
    expect(widget.input).to_have_value(pasted)  # all of it, nothing cut
    expect(counter).to_have_text(f"{len(pasted):,} / {limit:,}")
    widget.input.press("Enter")
    expect(note).to_have_text(f"Too long to send: please shorten your message to {limit:,} characters.")
    expect(widget.input).to_have_value(pasted)  # kept, to be shortened
    assert page.locator("#support-chat .message.user").count() == 0  # nothing sent

    shortened = complaint[:limit - 50].rstrip() + "."
    widget.input.fill(shortened)
    expect(counter).to_have_text(f"{len(shortened):,} / {limit:,}")  # near the limit: still counted
    expect(note).to_be_empty()
    widget.input.press("Enter")
    widget.wait_for_answer(0)
    expect(widget.user.last).to_have_text(shortened)  # whole
    expect(widget.bot.last).not_to_have_text(LIMITS["too_long"].format(**LIMITS))  # read, not refused

    widget.input.fill("where is my order?")
    expect(counter).to_be_hidden()  # far from the limit, no counter


def test_a_typed_choice_is_marked_like_a_clicked_one(page, shop):
    page.goto(f"{shop}/")
    widget = Widget(page)
    widget.open()
    widget.say("what do I need to do before sending my phone back?")
    expect(widget.bot.last).to_contain_text("Step 1 of 6")
    answered = page.locator("#support-chat .choices.answered")

    widget.say("next")  # not the button's title: the server understood it as "Next step"
    expect(widget.bot.last).to_contain_text("Step 2 of 6")
    expect(answered.last.locator(".choice.chosen")).to_have_text("Next step")

    widget.say("go back")
    expect(widget.bot.last).to_contain_text("Step 1 of 6")
    expect(answered.last.locator(".choice.chosen")).to_have_text("Back")

    widget.say("what's the weather in Lisbon?")  # no button's meaning: none is marked
    expect(answered.last.locator(".choice.chosen")).to_have_count(0)
