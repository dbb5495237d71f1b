"""The widget in French and German browsers (fr-FR in Paris, de-DE in Berlin) on the demo shop,
with the shop's brand profile and its words in those languages (brands/reboxed.<code>.yml): the
widget's own words, the welcome, a logged-in customer's order and label cards, the checklist
walked with typed replies, axe-core at desktop and phone size, and the screenshots
(results/screenshots/lang-<code>-<what>-<size>.png, copied to docs/images/ for the README).

Which language the widget speaks: its `language` setting, else the page's <html lang>, else the
browser's (web/src/widget.js). The demo shop serves its pages in the language the browser asks
for (Accept-Language, shop/app.py), so on the shop as served a French or German browser gets a
French or German widget and welcome (brands/reboxed.fr.yml, .de.yml). The tests at the end run
the shop as served: with a French or German browser (what such a customer should get), and with
an English one whose customer writes French or German (the answer's language differs from the
widget's). The others run the shop's pages with the one setting that a site following its
customers' browsers writes, `language: navigator.language` (FOLLOWS_THE_BROWSER), and nothing
else changed.

The expected words are the project's own: the widget's (web/src/strings/<code>.js, read with
Node), the brand profile's (brand/profile.py), the answers' catalogs (translations/catalogs.py)
and Babel's month and day names, so that a translator's edit doesn't break a test.
"""
import json
import re
import subprocess
from datetime import date
from functools import lru_cache

import pytest
import yaml
from babel import Locale
from babel.dates import format_skeleton, get_day_names, get_month_names
from playwright.sync_api import expect

from brand.profile import read as read_profile
from tests.browser.conftest import DESKTOP, PHONE, opened, screenshot
from tests.browser.test_widget import Widget, log_in
from tests.browser.test_widget_as_a_product import serious_accessibility_problems
from tools.services import ROOT, scratch_assistant
from translations.catalogs import translate

pytestmark = pytest.mark.e2e

REBOXED = ROOT / "brands" / "reboxed.yml"
RESPONSES = yaml.safe_load((ROOT / "domain.yml").read_text())["responses"]
# A customer in Paris with a French browser, one in Berlin with a German one. bypass_csp: axe-core
# is injected as a script, which the shop's Content-Security-Policy would block.
BROWSERS = {"fr": {"locale": "fr-FR", "timezone_id": "Europe/Paris", "bypass_csp": True},
            "de": {"locale": "de-DE", "timezone_id": "Europe/Berlin", "bypass_csp": True}}
BABEL_LOCALE = {"fr": "fr_FR", "de": "de_DE"}
# What Ana writes, in her own words in each language.
ANA = {
    "fr": {"where": "où est mon colis ?", "pixel": "où est mon pixel 7 ?",
           "label": "où je trouve l'étiquette de retour pour mon iphone 12 ?",
           "checklist": "qu'est-ce que je dois faire avant de l'envoyer ?", "next": "suivant",
           "back": "étape précédente", "order": "où est mon colis 40512351 ?"},
    "de": {"where": "wo ist mein Paket?", "pixel": "wo ist mein Pixel 7?",
           "label": "wo finde ich das Rücksendeetikett für mein iPhone 12?",
           "checklist": "was muss ich machen, bevor ich es zurückschicke?", "next": "weiter", "back": "zurück",
           "order": "wo ist mein Paket 40512351?"},
}
PIXEL = {"item": "Pixel 7 128GB", "number": "40512351"}

# The shop's widget settings as a site that follows its customers' browsers writes them:
# `language: navigator.language` in place of the shop's "en". Run before the page's own scripts,
# it catches the settings object as the page sets it; everything else is as the shop serves it.
FOLLOWS_THE_BROWSER = """
Object.defineProperty(window, "supportChat", {
  configurable: true,
  get() { return undefined; },
  set(settings) {
    if (settings && typeof settings === "object") settings.language = navigator.language;
    Object.defineProperty(window, "supportChat", { value: settings, writable: true, configurable: true });
  },
});
"""

# The widget's words: each function called with "{0}", "{1}" ... for its arguments.
WIDGET_WORDS = """
const words = (await import(process.argv[1])).default;
const filled = (value) => typeof value === "function"
  ? value(...Array.from({ length: value.length }, (_, i) => `{${i}}`))
  : value && typeof value === "object"
    ? Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, filled(inner)]))
    : value;
console.log(JSON.stringify(filled(words)));
"""


@lru_cache(maxsize=None)
def widget_words(code: str) -> dict:
    """web/src/strings/<code>.js, as the widget has it."""
    found = subprocess.run(["node", "--no-warnings", "--input-type=module", "-e", WIDGET_WORDS,
                            str(ROOT / "web" / "src" / "strings" / f"{code}.js")],
                           capture_output=True, text=True, check=True)
    return json.loads(found.stdout)


def welcome_of(code: str) -> dict:
    """The demo shop's welcome in that language, as the server sends it (channels/website.py)."""
    return read_profile(REBOXED, code).welcome


def said_in(code: str, english: str) -> str:
    """The longest stretch of the sentence's translation without a {placeholder}: what the
    customer reads of it whatever the slots."""
    parts = re.split(r"\{[a-z_0-9]+\}", translate(english, code))
    return max((part.strip(" \u00a0\u202f.,:;!?\"«»„“") for part in parts), key=len)


def socketio_text(response: str, situation: str) -> str:
    """The English sentence of a response's website variation for an order situation."""
    [variation] = [v for v in RESPONSES[response] if v.get("channel") == "socketio"
                   and {"type": "slot", "name": "order_situation", "value": situation} in v.get("condition", [])]
    return variation["custom"]["text"]


def checklist_step(number: str) -> str:
    # No photos taken here: no order the customer is known to own.
    [variation] = [v for v in RESPONSES["utter_checklist_step"]
                   if {"name": "checklist_step", "value": number, "type": "slot"} in (v.get("condition") or [])
                   and {"name": "photos_offered", "value": True, "type": "slot"} not in v["condition"]]
    return variation["text"]


def card_day(code: str) -> re.Pattern:
    """A card's day as the locale writes a day and its abbreviated month (CLDR's "MMMd"): "3 déc.",
    "3. Dez."."""
    locale = BABEL_LOCALE[code]
    names = get_month_names("abbreviated", context="format", locale=locale).values()
    months = "|".join(re.escape(name) for name in names)
    pattern = Locale.parse(locale).datetime_skeletons["MMMd"].pattern  # "d MMM", "d. MMM"
    parts = {"MMM": f"(?:{months})", "d": r"\d{1,2}"}
    return re.compile("".join(parts.get(token, re.escape(token)) for token in re.findall(r"MMM|d|[^Md]+", pattern)))


def a_weekday(code: str) -> re.Pattern:
    days = "|".join(get_day_names("wide", locale=BABEL_LOCALE[code]).values())
    return re.compile(rf"\b(?:{days})\b", re.IGNORECASE)


@pytest.fixture(scope="module")
def reboxed():
    """The whole assistant, run with the demo shop's brand profile, as `make run` does."""
    with scratch_assistant({"BRAND_PROFILE": str(REBOXED)}) as running:
        yield running.shop_url


@pytest.fixture(params=list(BROWSERS))
def code(request) -> str:
    return request.param


def following_the_browser(chromium, size, code):
    for page in opened(chromium, size, **BROWSERS[code]):
        page.add_init_script(FOLLOWS_THE_BROWSER)
        yield page


@pytest.fixture
def desktop(chromium, code):
    yield from following_the_browser(chromium, DESKTOP, code)


@pytest.fixture
def phone(chromium, code):
    yield from following_the_browser(chromium, PHONE, code)


@pytest.fixture
def desktop_as_served(chromium, code):
    """The same browser on the shop's pages exactly as the shop serves them."""
    yield from opened(chromium, DESKTOP, **BROWSERS[code])


@pytest.fixture
def english_browser(chromium):
    """A customer in London with a British browser: the widget is English on the shop, whether it
    follows the page or the browser."""
    yield from opened(chromium, DESKTOP, locale="en-GB", timezone_id="Europe/London")


def choose(page, widget: Widget, title: str):
    """Clicks the open question's quick reply with this title and waits for the answer."""
    before = widget.bot.count()
    page.locator("#support-chat .choices:not(.answered) .choice", has_text=title).click()
    widget.wait_for_answer(before)


HEADER_AND_BUTTONS = ".heading h2, .heading p, .human span, .choice"


def cut_words(page, where: str = HEADER_AND_BUTTONS) -> list:
    """The widget's words there that don't fit and end in "…" (the header's, the buttons')."""
    return page.evaluate("""where => [...document.querySelector('#support-chat').shadowRoot.querySelectorAll(where)]
        .filter(node => node.offsetParent !== null && node.scrollWidth > node.clientWidth + 1)
        .map(node => node.textContent)""", where)


def steps_out_of_place(card) -> list:
    """A card's step names or days that run into the next step's, or out of the steps' row."""
    return card.evaluate("""card => {
        const row = card.querySelector('.steps').getBoundingClientRect();
        const problems = [];
        for (const part of ['.step-name', '.step-day']) {
            const nodes = [...card.querySelectorAll('.step')].map(step => step.querySelector(part)).filter(Boolean);
            nodes.forEach((node, i) => {
                const box = node.getBoundingClientRect();
                const out = Math.max(row.left - box.left, box.right - row.right);
                if (out > 1) problems.push(`"${node.textContent}" goes ${Math.round(out)} px out of the steps' row`);
                const next = nodes[i + 1] && nodes[i + 1].getBoundingClientRect();
                if (next && box.right > next.left + 0.5) {
                    problems.push(`"${node.textContent}" runs into "${nodes[i + 1].textContent}"`);
                }
            });
        }
        return problems;
    }""")


def order_card_problems(code: str, page, widget: Widget) -> list:
    """What of the Pixel 7's answer (its sentence and its card) is not in the customer's language,
    as "what: found (expected)" lines."""
    words = widget_words(code)
    steps = words["steps"]
    card = page.locator("#support-chat .card.order").last
    expect(card).to_be_visible()
    problems = []

    def check(what, found, expected):
        if found != expected:
            problems.append(f"{what}: {found!r} (expected {expected!r})")

    sentence = said_in(code, socketio_text("utter_order_status", "in_transit"))
    said = widget.bot.last.locator("p").first.inner_text()
    if sentence not in said:
        problems.append(f"sentence: {said!r} (expected to contain {sentence!r})")
    check("title", card.locator(".card-title").inner_text(), PIXEL["item"])
    check("subtitle", card.locator(".card-subtitle").inner_text(),
          translate("Order {order_id}", code).format(order_id=PIXEL["number"]))
    check("steps", card.locator(".step .step-name").all_inner_texts(),
          [steps["ordered"], steps["confirmed"], steps["shipped"], steps["delivered"]])
    check("steps done", card.locator(".step.done").count(), 3)
    check("current step", card.locator("[aria-current=step] .step-name").all_inner_texts(), [steps["shipped"]])
    days = [" ".join(day.split()) for day in card.locator(".step-day").all_inner_texts()]
    day = card_day(code)
    example = format_skeleton("MMMd", date(2026, 12, 3), locale=BABEL_LOCALE[code])  # "3 déc.", "3. Dez."
    for past in days[:3]:
        if not day.fullmatch(past):
            problems.append(f"day: {past!r} (expected as {BROWSERS[code]['locale']} writes it, like {example!r})")
    expected = words["expected"].split("{0}")[0]  # "prévue le ", "voraussichtlich "
    if len(days) != 4 or not (days[3].startswith(expected) and day.fullmatch(days[3][len(expected):])):
        problems.append(f"expected delivery: {days[3:]!r} (expected like {words['expected'].format(example)!r})")
    link = card.locator(".card-link")
    check("link", link.locator("span").first.inner_text(), translate("Track parcel", code))
    check("link's note", link.locator(".visually-hidden").inner_text().strip(), f"({words['newTab']})")
    check("link's address", link.get_attribute("href"), "https://www.ups.com/track?tracknum=1Z999AA10123456784")
    return problems


def logged_in_chat(page, reboxed) -> Widget:
    """Ana logged in on the demo shop, the chat open."""
    log_in(page, reboxed)
    widget = Widget(page)
    widget.open()
    return widget


# ---- the widget following the browser --------------------------------------------------

def test_the_widgets_own_words_its_welcome_and_topics_are_in_the_browsers_language(desktop, phone, reboxed, code):
    words, welcome = widget_words(code), welcome_of(code)
    problems = []
    for page, size in ((desktop, "desktop"), (phone, "phone")):
        page.goto(f"{reboxed}/")
        widget = Widget(page)
        expect(widget.launcher).to_have_attribute("aria-label", words["open"])
        widget.open()
        host = page.locator("#support-chat")
        expect(host).to_have_attribute("lang", code)  # screen readers read it in its language
        expect(widget.input).to_have_attribute("placeholder", words["placeholder"])
        expect(widget.input).to_have_attribute("aria-label", words["inputLabel"])
        expect(host.get_by_role("button", name=words["humanButton"])).to_be_visible()
        expect(host.get_by_role("button", name=words["send"])).to_be_visible()
        expect(host.locator(".close")).to_have_attribute("aria-label", words["close"])
        expect(page.get_by_role("dialog", name=welcome["title"])).to_be_visible()
        expect(host.locator(".heading p")).to_have_text(words["assistantSubtitle"].format(welcome["assistant"]["name"]))
        block = host.locator(".welcome-block")
        expect(block.locator(".welcome-name")).to_have_text(welcome["assistant"]["name"])
        expect(block.locator(".welcome-greeting")).to_have_text(welcome["greeting"])
        expect(block.locator(".choices")).to_have_attribute("aria-label", words["suggestedTopics"])
        expect(block.locator(".choice")).to_have_text([topic["title"] for topic in welcome["topics"]])
        expect(block.get_by_role("link", name=words["helpCentre"])).to_have_attribute("href", welcome["help_centre"])
        screenshot(page, f"lang-{code}-welcome-{size}")
        problems += [f"{size}, axe-core: {problem}" for problem in serious_accessibility_problems(page)]
        problems += [f"{size}, cut short: {cut!r}" for cut in cut_words(page)]

    # Its connection states too: offline, then back.
    desktop.context.set_offline(True)
    expect(Widget(desktop).status).to_have_text(words["offline"])
    desktop.context.set_offline(False)
    expect(desktop.locator("#support-chat .root")).to_have_attribute("data-connection", "online")
    # No serious accessibility problem, and nothing of its words cut short ("répond généralement
    # tout de s…"), at either size.
    assert not problems, "\n".join(problems)


def test_a_customer_asks_in_their_language_picks_an_order_by_its_quick_reply_and_gets_its_card_in_it(
        desktop, reboxed, code):
    page = desktop
    widget = logged_in_chat(page, reboxed)
    widget.say(ANA[code]["where"])
    # Ana has three recent orders: the question and its quick replies are in her language.
    expect(widget.bot.last).to_have_text(
        translate("Which order is it about? For one that isn't here, type its order number.", code))
    titles = [translate(f"{{choice_{i}_item}} (order {{choice_{i}}})", code) for i in (1, 2, 3)]
    pixel = titles[2].format(choice_3_item=PIXEL["item"], choice_3=PIXEL["number"])
    expect(page.locator("#support-chat .choices:not(.answered) .choice", has_text=PIXEL["number"])).to_have_text(pixel)

    choose(page, widget, pixel)
    expect(widget.user.last).to_have_text(pixel)
    problems = order_card_problems(code, page, widget)
    assert not problems, "\n".join(problems)
    # Timestamps are the browser's short time: 24-hour in both.
    times = page.locator("#support-chat .message time").all_inner_texts()
    assert times and all(re.fullmatch(r"\d\d:\d\d", time) for time in times), times


def test_a_suggested_topic_is_answered_in_the_customers_language(desktop, reboxed, code):
    page = desktop
    widget = logged_in_chat(page, reboxed)
    topic = welcome_of(code)["topics"][0]  # "Suivre ma commande", "Bestellung verfolgen"
    assert topic["payload"] == "/track_order"
    before = widget.bot.count()
    page.locator("#support-chat .welcome-block .choice", has_text=topic["title"]).click()
    widget.wait_for_answer(before)
    expect(widget.user.last).to_have_text(topic["title"])
    expect(widget.bot.last).to_have_text(
        translate("Which order is it about? For one that isn't here, type its order number.", code))
    expect(page.locator("#support-chat .choices:not(.answered) .choice", has_text=PIXEL["number"])).to_have_text(
        translate("{choice_3_item} (order {choice_3})", code).format(choice_3_item=PIXEL["item"],
                                                                    choice_3=PIXEL["number"]))


def test_the_label_card_says_its_days_in_the_customers_words_and_typed_replies_walk_the_checklist(
        desktop, reboxed, code):
    page = desktop
    widget = logged_in_chat(page, reboxed)
    widget.say(ANA[code]["label"])
    expect(widget.bot.last).to_contain_text(said_in(code, socketio_text("utter_order_status", "label_ready")))
    card = page.locator("#support-chat .card.label").last
    expect(card.locator(".card-title")).to_have_text(translate("Return label", code))
    expect(card.locator(".card-subtitle")).to_have_text(
        translate("{order_item} · order {order_id}", code).format(order_item="iPhone 12 64GB", order_id="40512360"))
    detail = card.locator(".card-detail").inner_text()
    valid = translate("{return_carrier} · valid {return_label_valid_until}", code)
    assert detail.startswith(valid.split("{return_label_valid_until}")[0].format(return_carrier="DHL")), detail
    assert a_weekday(code).search(detail), f"no {BROWSERS[code]['locale']} weekday in {detail!r}"
    expect(card.get_by_role("link", name=re.compile(re.escape(translate("Download label", code))))).to_have_attribute(
        "href", "https://labels.example.com/r/40512360.pdf")
    expect(page.locator("#support-chat .choices:not(.answered) .choice")).to_have_text(
        [translate("What to do before sending", code)])

    # The checklist, walked by typing: "suivant", "weiter" mark the button they mean.
    widget.say(ANA[code]["checklist"])
    expect(widget.bot.last).to_contain_text(said_in(code, checklist_step("1")))
    answered = page.locator("#support-chat .choices.answered")
    widget.say(ANA[code]["next"])
    expect(widget.bot.last).to_contain_text(said_in(code, checklist_step("2")))
    expect(answered.last.locator(".choice.chosen")).to_have_text(translate("Next step", code))
    widget.say(ANA[code]["back"])
    expect(widget.bot.last).to_contain_text(said_in(code, checklist_step("1")))
    expect(answered.last.locator(".choice.chosen")).to_have_text(translate("Back", code))


def test_an_order_card_in_the_customers_language_at_desktop_and_phone_size(desktop, phone, reboxed, code):
    problems = []
    for page, size in ((desktop, "desktop"), (phone, "phone")):
        widget = logged_in_chat(page, reboxed)
        widget.say(ANA[code]["pixel"])  # a product named: the card straight away
        card = page.locator("#support-chat .card.order").last
        expect(card).to_be_visible()
        screenshot(page, f"lang-{code}-order-card-{size}")
        box, viewport = card.bounding_box(), page.viewport_size
        inside = box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]
        problems += [f"{size}, axe-core: {problem}" for problem in serious_accessibility_problems(page)]
        problems += [f"{size}, {problem}" for problem in order_card_problems(code, page, widget)]
        # The longer words of French and German fit: no step runs into the next or out of its row,
        # the button's words are whole.
        problems += [f"{size}, layout: {problem}" for problem in steps_out_of_place(card)]
        problems += [f"{size}, cut short: {cut!r}" for cut in cut_words(page, ".card .card-link > span:first-child")]
        if not inside:
            problems.append(f"{size}, layout: the card goes off the screen")
    assert not problems, "\n".join(problems)


# ---- the shop as served ----------------------------------------------------------------


def test_on_the_shop_as_served_the_widget_speaks_the_browsers_language(desktop_as_served, reboxed, code):
    page = desktop_as_served
    page.goto(f"{reboxed}/")
    widget = Widget(page)
    widget.open()
    expect(page.locator("#support-chat")).to_have_attribute("lang", code, timeout=2_000)
    expect(widget.input).to_have_attribute("placeholder", widget_words(code)["placeholder"], timeout=2_000)
    expect(page.locator("#support-chat .welcome-greeting")).to_have_text(welcome_of(code)["greeting"], timeout=2_000)


def test_on_the_english_shop_a_customer_who_writes_their_language_gets_a_card_all_in_it(
        english_browser, reboxed, code):
    # The widget is English (the page's and the browser's language), the conversation French or
    # German (the customer's words): the answer's card must not mix the two ("Ordered ... expected
    # 7 déc.").
    page = english_browser
    widget = logged_in_chat(page, reboxed)
    expect(page.locator("#support-chat")).to_have_attribute("lang", "en")
    widget.say(ANA[code]["order"])
    problems = order_card_problems(code, page, widget)
    assert not problems, "\n".join(problems)


def test_on_the_english_shop_a_first_question_in_the_customers_language_is_answered_in_it(
        english_browser, reboxed, code):
    # The page says English; the customer's first words clearly say otherwise ("où est mon pixel 7 ?":
    # French 0.67, English 0.02 by the language identifier), and they decide (issue 20).
    page = english_browser
    widget = logged_in_chat(page, reboxed)
    widget.say(ANA[code]["pixel"])
    expect(widget.bot.last.locator("p").first).to_contain_text(
        said_in(code, socketio_text("utter_order_status", "in_transit")))
