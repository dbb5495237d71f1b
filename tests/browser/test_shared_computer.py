"""A shared computer: after a customer logs out, the browser's Back button gives the next person
nothing of theirs. Two rules (README, "The website chat widget"): a page that carries a
customer token is never stored by the browser (`Cache-Control: no-store`), and the widget does
not act on a token from a page restored from the back-forward cache."""
import re

import pytest
import yaml
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, opened
from tests.browser.test_widget import Widget, log_in
from tools.services import ROOT

pytestmark = pytest.mark.e2e

ANAS_ORDERS = [order["number"] for order in yaml.safe_load((ROOT / "backend" / "seed.yml").read_text())["orders"]
               if order["customer"] == "cus_ana"]
# Which way Back brought the page: "back_forward" is a history navigation (from the HTTP cache
# when the page may be stored), a restore from the back-forward cache sets `persisted`.
HOW_THE_PAGE_CAME = "performance.getEntriesByType('navigation')[0].type"
RECORD_RESTORES = """window.addEventListener('pageshow', (event) => {
    if (event.persisted) sessionStorage.setItem('restored', location.pathname);
});"""


@pytest.fixture
def page_with_back_forward_cache(chromium_with_back_forward_cache):
    # A page served through page.route counts as a public site's, whose connections to this
    # machine's servers (the assistant's) Chromium refuses unless allowed.
    yield from opened(chromium_with_back_forward_cache, DESKTOP, permissions=["local-network-access"])


def log_out(page, shop: str):
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(f"{shop}/")


def ask_where_my_order_is(page) -> Widget:
    widget = Widget(page)
    # A restored page's socket reconnects after a back-off of up to 5 s.
    expect(page.locator("#support-chat .root")).to_have_attribute("data-connection", "online", timeout=15_000)
    if not widget.panel.is_visible():
        widget.open()
    widget.say("where is my order?")
    return widget


def assert_answered_as_to_nobody_in_particular(widget: Widget):
    said = " ".join(widget.texts() + widget.choices.all_inner_texts())
    assert not [number for number in ANAS_ORDERS if number in said], said
    expect(widget.bot.last).to_contain_text("What's your order number?")


def test_back_after_logging_out_does_not_bring_back_the_customers_page(page, shop):
    log_in(page, shop)
    page.get_by_role("link", name="My orders").click()
    log_out(page, shop)

    page.go_back()
    assert page.evaluate(HOW_THE_PAGE_CAME) == "back_forward"  # Back, not a fresh visit
    expect(page.get_by_role("heading", name="My orders")).to_have_count(0)
    assert_answered_as_to_nobody_in_particular(ask_where_my_order_is(page))


def served_without_cache_control(route):
    response = route.fetch(max_redirects=0)
    headers = {name: value for name, value in response.headers.items() if name.lower() != "cache-control"}
    route.fulfill(response=response, headers=headers)


def test_the_widget_does_not_act_on_a_token_from_a_page_restored_from_the_back_forward_cache(
        page_with_back_forward_cache, shop):
    page = page_with_back_forward_cache
    # A website that forgot the first rule: its logged-in page may be kept, token included.
    page.route(re.compile(r".*/orders$"), served_without_cache_control)
    page.add_init_script(RECORD_RESTORES)
    log_in(page, shop)
    page.get_by_role("link", name="My orders").click()
    log_out(page, shop)

    page.go_back(wait_until="commit")  # a restored page fires no "load"
    widget = ask_where_my_order_is(page)
    assert page.evaluate("sessionStorage.getItem('restored')") == "/orders"  # the page came back as it was
    assert_answered_as_to_nobody_in_particular(widget)


def test_every_page_that_carries_a_customer_token_is_never_stored(page, shop):
    log_in(page, shop)
    for path in ("/", "/login", "/orders", "/account", "/orders/40512360", "/returns",
                 "/returns/confirmation?order=40512360&reason=repair", "/orders/40512348/seller"):
        response = page.goto(f"{shop}{path}")
        assert "customerToken" in response.text(), path  # the page names Ana to the widget
        assert response.headers.get("cache-control") == "no-store", path
    with page.expect_response(f"{shop}/logout") as logging_out:
        page.get_by_role("button", name="Log out").click()
    assert logging_out.value.status == 303 and logging_out.value.headers.get("cache-control") == "no-store"
