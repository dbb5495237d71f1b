"""Browser tests of the chat widget: Debian's Chromium, headless, driven by Playwright (no
browser download), on the demo shop's pages served by the session's scratch assistant."""
import shutil
from pathlib import Path

import pytest

from tools.services import ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Without the background-networking flags Chromium tries Google's hosts at every start,
# which a closed network refuses.
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = ROOT / "results" / "screenshots"
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


# Module-wide, not session-wide: Playwright's sync API keeps an event loop running in this
# thread while it is open, and tests elsewhere call asyncio.run.
@pytest.fixture(scope="module")
def playwright():
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: `make test` installs Debian's chromium (tools/install-chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as running:
        yield running


@pytest.fixture(scope="module")
def chromium(playwright):
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture(scope="module")
def chromium_with_back_forward_cache(playwright):
    """Chromium as people use it: Playwright turns the back-forward cache off by default, and
    a page restored from it (Back, Forward) is what a shared computer's next person may meet."""
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                         ignore_default_args=["--disable-back-forward-cache"])
    yield browser
    browser.close()


@pytest.fixture
def shop(assistant) -> str:
    return assistant.shop_url


def _context(chromium, options):
    context = chromium.new_context(**options)
    context.set_default_timeout(15_000)
    return context


def opened(chromium, options, **context_options):
    """A fresh page (empty storage, no cookies) of this size; JavaScript errors on it fail
    the test."""
    context = _context(chromium, {**options, **context_options})
    errors = []
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(error))
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


@pytest.fixture
def page(chromium):
    """A fresh desktop browser."""
    yield from opened(chromium, DESKTOP)


@pytest.fixture
def phone(chromium):
    context = _context(chromium, PHONE)
    yield context.new_page()
    context.close()


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path
