"""The return checklist's photos in the widget, in a real browser on the demo shop (its strict
Content-Security-Policy on): a customer fills the slots from tests/fixtures/photos/ (good,
blurred, dark, the same photo twice, a huge file, a page that isn't a photo) on a computer
and on a phone, and sees each outcome on the card and in the assistant's words."""
import pytest
from playwright.sync_api import expect

from return_photo_uploads import forget_photos
from tests.browser.conftest import DESKTOP, PHONE, opened, screenshot
from tests.browser.test_widget import Widget, log_in
from tests.browser.test_widget_as_a_product import serious_accessibility_problems
from tools.services import ROOT

pytestmark = pytest.mark.e2e

PHOTOS = ROOT / "tests" / "fixtures" / "photos"
ORDER = "40512360"  # Ana's iPhone 12, a return for repair
SIZES = {"desktop": DESKTOP, "phone": PHONE}


@pytest.fixture(params=list(SIZES))
def browser_page(request, chromium):
    for page in opened(chromium, SIZES[request.param]):
        yield request.param, page


@pytest.fixture
def page_for_axe(chromium):
    yield from opened(chromium, DESKTOP, bypass_csp=True)  # axe-core is injected as a script


def at_the_photo_step(page, shop, assistant) -> Widget:
    forget_photos(assistant, ORDER)
    log_in(page, shop)
    widget = Widget(page)
    widget.open()
    widget.say(f"I want to return order {ORDER}")
    widget.say("what do I need to do before sending it back?")
    return widget


def tile(page, slot):
    return page.locator(f"#support-chat .photos:not(.stale) .photo-slot[data-slot={slot}]")


def live_card(page):
    return page.locator("#support-chat .photos:not(.stale)")


def show_card(page):
    """The card's top at the top of the conversation, for a screenshot."""
    live_card(page).evaluate("""card => {
        const log = card.closest('.log');
        log.scrollTop += card.getBoundingClientRect().top - log.getBoundingClientRect().top - 8;
    }""")


def choose(widget, slot, path, camera=False):
    """The customer picks a file for the slot (or takes one with the camera) and waits for the
    assistant's word on it: on the card, or as a message when it asks something."""
    page = widget.page
    note = live_card(page).locator(".photo-note")
    notes = int(note.get_attribute("data-notes")) if note.count() else 0
    bubbles = widget.bot.count()
    kind = "[capture]" if camera else ":not([capture])"
    tile(page, slot).locator(f"input[type=file]{kind}").set_input_files(str(path))
    for _ in range(150):
        if widget.bot.count() > bubbles:
            widget.wait_for_answer(bubbles)
            return widget.bot.last.inner_text()
        if note.count() and int(note.get_attribute("data-notes") or 0) > notes:
            return note.inner_text()
        page.wait_for_timeout(100)
    raise AssertionError(f"no word from the assistant on the {slot} photo")


def test_each_photo_shows_its_outcome_on_the_card_and_in_the_assistants_words(browser_page, shop, assistant, tmp_path):
    size, page = browser_page
    widget = at_the_photo_step(page, shop, assistant)
    progress = live_card(page).locator(".photos-progress")
    expect(progress).to_have_text("0 of 7 photos")
    expect(page.locator("#support-chat .photos:not(.stale) .photo-slot")).to_have_count(7)

    said = choose(widget, "front", PHOTOS / "astronaut.jpg", camera=size == "phone")
    assert said == "Got it, that one's good: 1 of 7 photos. Next, the back of your device."
    expect(tile(page, "front").locator(".photo-state")).to_have_text("Kept ✓")
    expect(tile(page, "front").locator("img.photo-thumb")).to_be_visible()
    expect(progress).to_have_text("1 of 7 photos")

    refusals = [
        ("refused/blurred.jpg", "Blurry: take it again", "This one is blurry"),
        ("refused/dark.jpg", "Too dark: take it again", "This one is too dark"),
        ("astronaut.jpg", "Same as another photo", "same picture as one you've already sent"),
        ("refused/not-a-photo.jpg", "Not a photo", "I can't read that file as a photo"),
    ]
    for fixture, shown, words in refusals:
        assert words in choose(widget, "back", PHOTOS / fixture)
        expect(tile(page, "back").locator(".photo-state")).to_have_text(shown)
        expect(progress).to_have_text("1 of 7 photos")
    huge = tmp_path / "huge.jpg"  # 16 MB: over the limit, refused before it is sent
    huge.write_bytes(b"\xff\xd8\xff\xe0" + bytes(16 * 1024 * 1024))
    assert "That file is too large" in choose(widget, "back", huge)
    expect(tile(page, "back").locator(".photo-state")).to_have_text("Too large (15 MB max.)")
    if size == "desktop":
        show_card(page)
        screenshot(page, "return-photos-refused-desktop")

    said = choose(widget, "back", PHOTOS / "camera.jpg")
    assert said.endswith("2 of 7 photos. Next, its left side.")
    expect(progress).to_have_text("2 of 7 photos")
    show_card(page)
    screenshot(page, f"return-photos-{size}")

    # A reload keeps the card as the backend has it: the two photos, shown through their links.
    page.reload()
    expect(widget.panel).to_be_visible()  # still open, as it was
    expect(progress).to_have_text("2 of 7 photos")
    expect(tile(page, "back").locator("img.photo-thumb")).to_be_visible()
    # Typing still works beside the card: "I'll do it later" stops the checklist, photos kept.
    widget.say("I'll do it later")
    assert widget.bot.last.inner_text().startswith("No problem: the photos you've sent so far stay with your order.")


def test_a_retake_replaces_the_photo_and_a_refused_retake_keeps_the_earlier_one(page, shop, assistant):
    widget = at_the_photo_step(page, shop, assistant)
    choose(widget, "front", PHOTOS / "brick.jpg")
    assert "This one is blurry" in choose(widget, "front", PHOTOS / "refused" / "blurred.jpg")
    expect(live_card(page).locator(".photos-progress")).to_have_text("1 of 7 photos")
    expect(tile(page, "front").get_by_role("button", name="Retake: Front")).to_be_visible()
    said = choose(widget, "front", PHOTOS / "gravel.jpg")
    assert said == "Got it, that one's good: 1 of 7 photos. Next, the back of your device."


def test_the_photo_card_is_usable_by_keyboard_and_screen_reader(page_for_axe, shop, assistant):
    page = page_for_axe
    at_the_photo_step(page, shop, assistant)
    camera = tile(page, "front").get_by_role("button", name="Take photo: Front")
    camera.focus()
    expect(camera).to_be_focused()
    assert serious_accessibility_problems(page) == []
