"""The widget as the demo shop's customers meet it, with the shop's own brand (brands/reboxed.yml):
the welcome, order and label cards, the topic menu's pages, the phone layout, the brand
switch, and axe-core's accessibility check. The screenshots in the README come from here."""
import json
import re

import pytest
import yaml
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE, opened, screenshot
from tests.browser.test_widget import Widget, log_in
from tools.services import ROOT, scratch_assistant

pytestmark = pytest.mark.e2e

REBOXED = yaml.safe_load((ROOT / "brands" / "reboxed.yml").read_text())
EXAMPLE = yaml.safe_load((ROOT / "brand.yml").read_text())
AXE = ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="module")
def reboxed():
    """The whole assistant again, run with the demo shop's brand profile, as `make run` does."""
    with scratch_assistant({"BRAND_PROFILE": str(ROOT / "brands" / "reboxed.yml")}) as running:
        yield running.shop_url


# A customer in London with a British browser (the demo shop's). axe-core is injected as a
# script: the shop's strict Content-Security-Policy would block it.
AS_A_LONDON_CUSTOMER = {"bypass_csp": True, "locale": "en-GB", "timezone_id": "Europe/London"}


@pytest.fixture
def desktop(chromium):
    yield from opened(chromium, DESKTOP, **AS_A_LONDON_CUSTOMER)


@pytest.fixture
def phone(chromium):
    yield from opened(chromium, PHONE, **AS_A_LONDON_CUSTOMER)


def serious_accessibility_problems(page) -> list:
    """axe-core's serious and critical violations on the page (the widget's open shadow root
    included), as "rule: what, where" lines."""
    if not page.evaluate("() => Boolean(window.axe)"):
        page.add_script_tag(path=str(AXE))
    results = page.evaluate("""async () => {
        const found = await axe.run(document, {resultTypes: ['violations']});
        return found.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => v.id + ': ' + v.help + ' at ' + v.nodes.map(n => JSON.stringify(n.target)).join(', '));
    }""")
    return results


def asked_by_ana(page, shop: str, question: str) -> Widget:
    """Ana, logged in, opens the widget and asks."""
    log_in(page, shop)
    widget = Widget(page)
    widget.open()
    widget.say(question)
    return widget


def test_the_welcome_names_the_assistant_greets_and_suggests_the_brands_topics(desktop, phone, reboxed):
    for page, size in ((desktop, "desktop"), (phone, "phone")):
        page.goto(f"{reboxed}/")
        widget = Widget(page)
        widget.open()
        welcome = page.locator("#support-chat .welcome-block")
        expect(welcome.locator(".welcome-name")).to_have_text(REBOXED["assistant"]["name"])
        expect(welcome.locator(".welcome-greeting")).to_have_text(
            REBOXED["widget"]["greeting"].format(assistant=REBOXED["assistant"]["name"], name=REBOXED["name"]))
        expect(page.get_by_role("dialog", name="ReBoxed help")).to_be_visible()
        topics = [topic["title"] for topic in REBOXED["widget"]["suggested_topics"]]
        expect(welcome.locator(".choice")).to_have_text(topics)
        expect(welcome.get_by_role("link", name="Browse the help centre")).to_have_attribute(
            "href", REBOXED["help_centre"]["home"])
        screenshot(page, f"welcome-{size}")
        assert serious_accessibility_problems(page) == []

    # A suggested topic is a question asked: answered, and the suggestions go.
    widget = Widget(desktop)
    before = widget.bot.count()
    desktop.locator("#support-chat .welcome-block .choice", has_text="When will it ship?").click()
    widget.wait_for_answer(before)
    expect(widget.user.last).to_have_text("When will it ship?")
    expect(widget.bot.last).to_contain_text("1 business day")
    expect(desktop.locator("#support-chat .welcome-block .choice")).to_have_count(0)


def test_an_order_answer_is_a_card_with_its_steps_dates_and_a_track_button(desktop, phone, reboxed):
    for page, size in ((desktop, "desktop"), (phone, "phone")):
        asked_by_ana(page, reboxed, "where is my pixel 7?")
        card = page.locator("#support-chat .card.order").last
        expect(card.locator(".card-title")).to_have_text("Pixel 7 128GB")
        expect(card.locator(".card-subtitle")).to_have_text("Order 40512351")
        expect(card.locator(".step .step-name")).to_have_text(["Ordered", "Confirmed", "Shipped", "Delivered"])
        expect(card.locator(".step.done")).to_have_count(3)
        expect(card.locator("[aria-current=step]")).to_contain_text("Shipped")
        expect(card.locator(".step").last).to_contain_text(re.compile(r"expected \d{1,2}\s\w{3}"))
        track = card.get_by_role("link", name=re.compile("Track parcel"))
        expect(track).to_have_attribute("href", "https://www.ups.com/track?tracknum=1Z999AA10123456784")
        expect(track).to_have_attribute("target", "_blank")
        # The sentence says the rest, and no raw link is printed.
        bubble = page.locator("#support-chat .message.bot .bubble").last
        expect(bubble).to_contain_text("shipped")
        expect(bubble).not_to_contain_text("https://")
        box, viewport = card.bounding_box(), page.viewport_size
        assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]
        screenshot(page, f"order-card-{size}")
        assert serious_accessibility_problems(page) == []

    # Keyboard only: Tab reaches the card's button from the message log.
    desktop.locator("#support-chat [role=log]").focus()
    for _ in range(10):
        desktop.keyboard.press("Tab")
        if desktop.evaluate("() => document.querySelector('#support-chat').shadowRoot.activeElement?.className") == "card-link":
            break
    assert desktop.evaluate(
        "() => document.querySelector('#support-chat').shadowRoot.activeElement?.textContent").startswith("Track parcel")


def test_a_return_label_answer_is_a_card_with_a_download_button_and_the_next_step(desktop, phone, reboxed):
    for page, size in ((desktop, "desktop"), (phone, "phone")):
        asked_by_ana(page, reboxed, "where's my return label for the iphone 12?")
        card = page.locator("#support-chat .card.label").last
        expect(card.locator(".card-title")).to_have_text("Return label")
        expect(card.locator(".card-subtitle")).to_have_text("iPhone 12 64GB · order 40512360")
        expect(card.locator(".card-detail")).to_contain_text("DHL · valid until")
        expect(card.get_by_role("link", name=re.compile("Download label"))).to_have_attribute(
            "href", "https://labels.example.com/r/40512360.pdf")
        screenshot(page, f"label-card-{size}")
        assert serious_accessibility_problems(page) == []

    # Its quick reply works from the keyboard: focus it, press Enter.
    widget = Widget(desktop)
    next_step = desktop.locator("#support-chat .choice", has_text="What to do before sending")
    next_step.focus()
    before = widget.bot.count()
    desktop.keyboard.press("Enter")
    widget.wait_for_answer(before)
    expect(widget.bot.last).to_contain_text("Step 1 of 6")


def test_the_topic_menu_shows_a_few_topics_and_more_topics_turns_its_page(desktop, phone, reboxed):
    for page, size in ((desktop, "desktop"), (phone, "phone")):
        page.goto(f"{reboxed}/")
        widget = Widget(page)
        widget.open()
        widget.say("what's the weather like in Lisbon?")
        menu = page.locator("#support-chat .choices:not(.answered)").last
        expect(menu.locator(".choice")).to_have_count(5)
        expect(menu.locator(".choice").last).to_have_text("More topics")
        before = widget.bot.count()
        menu.locator(".choice", has_text="More topics").click()
        widget.wait_for_answer(before)
        page_2 = page.locator("#support-chat .choices:not(.answered)").last
        expect(page_2.locator(".choice")).to_have_text(
            ["My order is late", "My order isn't confirmed", "My package is missing", "My refund", "More topics"])
        # The first page stays, greyed, with what was chosen marked: its line still reads right.
        answered = page.locator("#support-chat .choices.answered").last
        expect(answered.locator(".choice.chosen")).to_have_text("More topics")
        expect(answered.locator(".choice").first).to_be_disabled()
        screenshot(page, f"more-topics-{size}")
        assert serious_accessibility_problems(page) == []

    Widget(phone).say("more topics")  # typed, not tapped
    expect(phone.locator("#support-chat .choices:not(.answered)").last.locator(".choice").first).to_have_text(
        "How long do I have to send it back?")


def test_switching_the_brand_profile_switches_every_word(desktop, reboxed, assistant):
    # The session's assistant runs with the example profile (brand.yml), this module's with the
    # demo shop's: the same widget, the same questions, each in its own brand.
    for shop, brand, other in ((assistant.shop_url, EXAMPLE, REBOXED), (reboxed, REBOXED, EXAMPLE)):
        desktop.goto(f"{shop}/")
        desktop.evaluate("() => localStorage.clear()")
        desktop.reload()
        widget = Widget(desktop)
        widget.open()
        expect(desktop.locator("#support-chat .welcome-name")).to_have_text(brand["assistant"]["name"])
        widget.say("how do I send my laptop back?")
        widget.say("hi")
        said = " ".join(widget.texts())
        assert f'"{brand["menus"]["orders"]}" > "{brand["menus"]["get_help"]}"' in said
        assert brand["name"] in said and other["name"] not in said, json.dumps(said)
        assert f'"{other["menus"]["get_help"]}"' not in said
        if brand is EXAMPLE:
            screenshot(desktop, "brand-switch-desktop")  # the README's: the other brand, same widget


@pytest.fixture(params=["the demo shop's profile", "the example profile"])
def shop_and_brand(request):
    """The demo shop as run with a brand profile: its pages name what that profile names."""
    if request.param == "the demo shop's profile":
        return request.getfixturevalue("reboxed"), REBOXED
    return request.getfixturevalue("assistant").shop_url, EXAMPLE


def test_every_menu_and_button_the_answers_name_is_on_the_shops_pages_where_they_say(desktop, shop_and_brand):
    # Answers send customers to the website's menus and buttons by the profile's names
    # (domain.yml: {brand_menu_...}, {brand_button_...}); a customer follows each of them here.
    shop, brand = shop_and_brand
    menus, buttons = brand["menus"], brand["buttons"]
    page, found = desktop, set()

    def control(name, within=None):
        within = within or page.locator("body")
        found.add(name)
        return within.get_by_role("link", name=name, exact=True).or_(within.get_by_role("button", name=name, exact=True))

    def order(number):
        return page.get_by_role("listitem").filter(has_text=f"Order #{number}")

    log_in(page, shop)
    # "log in, go to "My orders", scroll down to the order and click "Show more details"": its tracking.
    control(menus["my_orders"]).click()
    control(menus["order_details"], order("40512351")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Order #40512351")
    expect(page.get_by_role("link", name=re.compile("Track parcel"))).to_have_attribute(
        "href", "https://www.ups.com/track?tracknum=1Z999AA10123456784")

    # "click "Ask for help" (or "Contact my seller") next to the order number": a message to the
    # seller, which the demo says it does not send.
    for button in (buttons["ask_for_help"], buttons["contact_seller"]):
        control(menus["my_orders"]).click()
        control(button, order("40512348")).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(f"{button}: order #40512348")
        page.get_by_label("Your message to the seller").fill("It hasn't shipped yet.")
        page.get_by_role("button", name="Send").click()
        expect(page.locator("main")).to_contain_text("not sent")

    # "go to "Orders" > "Get help" and follow all the steps until the confirmation page that says
    # "All set for your return". Select "Print return label"".
    control(menus["orders"]).click()
    control(menus["get_help"]).click()
    page.get_by_label("iPhone 12 64GB (order #40512360)").check()
    page.get_by_label("Return for repair").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("All set for your return")
    expect(control(buttons["print_label"])).to_have_attribute("href", "https://labels.example.com/r/40512360.pdf")

    # "your tracking link ... "Orders" > "Show more details"": a return's.
    control(menus["orders"]).click()
    control(menus["order_details"], order("40512364")).click()
    expect(page.get_by_role("link", name=re.compile("Track return"))).to_have_attribute(
        "href", "https://www.dhl.com/track?tracking-id=JD014600006281111111")

    assert found == set(menus.values()) | set(buttons.values())  # every name the profile has
