"""A team lead on the desk's insights and review queue, in the browser: the handoff service
alone, its insights database's feed seeded with a week of conversations (insights/tests/
seeded_week.py) that the service's own reader turns into records. The lead picks the week's
days, and every headline and every chart's numbers equal a SQL count on the same database;
the page breaks no rule of its Content-Security-Policy and has no serious accessibility
problem (axe-core); the CSV downloads. Then the lead labels the review queue by keyboard only,
and the database has the labels, by her login. An agent who isn't a lead gets words, not the
insights. The README's screenshots come from here."""
import csv
import io
import json
import sqlite3
import statistics
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from playwright.sync_api import expect

from insights.tests.seeded_week import week, write_feed
from tests.browser.conftest import DESKTOP, SCREENSHOTS, opened, screenshot
from tests.browser.test_widget_as_a_product import serious_accessibility_problems
from tools.services import free_port, handoff_service, new_secret

pytestmark = pytest.mark.e2e

# A week that ended three days ago: every conversation of it is over (none still going on).
END = datetime.now(timezone.utc).date() - timedelta(days=3)
START = END - timedelta(days=6)
CSV_COLUMNS = ["conversation", "record", "started_at", "ended_at", "channel", "language", "topics", "identity",
               "order_lookups", "outcome", "handoff_reason", "csat", "misunderstandings", "corrections",
               "first_answer_ms", "customer_messages"]  # insights/figures.py's CSV_COLUMNS


class Desk:
    def __init__(self, url: str, folder: Path):
        self.url, self.folder = url, folder
        self.insights_db = folder / "insights.db"
        agents_file = folder / "desk-agents.yml"
        # The service's first start made them (handoff/__main__.py, demo_accounts).
        self.passwords = {"maria": agents_file.with_suffix(".demo-password").read_text().strip(),
                          "lena": agents_file.with_suffix(".demo-lead-password").read_text().strip()}

    def sql(self, query: str, *values):
        with sqlite3.connect(self.insights_db) as connection:
            return connection.execute(query, values).fetchall()

    def log_in(self, page, login: str):
        page.goto(f"{self.url}/desk/login")
        page.get_by_label("Login").fill(login)
        page.get_by_label("Password").fill(self.passwords[login])
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("heading", name="Queue")).to_be_visible()


@pytest.fixture(scope="module")
def desk():
    """The handoff service on its own databases, with the seeded feed read into records."""
    with tempfile.TemporaryDirectory(prefix="insights-desk-") as folder:
        folder = Path(folder)
        with sqlite3.connect(folder / "insights.db") as connection:
            write_feed(connection, week(END))
        port = free_port()
        service = handoff_service(
            port, "127.0.0.1", folder / "handoff.db", folder / "log", rasa_url="http://127.0.0.1:9",
            rasa_token=new_secret(), api_token=new_secret(), tracker_db=folder / "rasa.db",
            agents_file=folder / "desk-agents.yml", orders_api_url="http://127.0.0.1:9", orders_api_token=new_secret(),
            insights_db=folder / "insights.db")
        service.env.update({"HANDOFF_TOOL": "desk", "INSIGHTS_POLL_S": "0.2"})
        service.start()
        try:
            service.wait_ready(60)
            running = Desk(f"http://127.0.0.1:{port}", folder)
            read_up(running, service)
            yield running
        finally:
            service.stop()


def read_up(desk: Desk, service, timeout_s: float = 60):
    """Until the service's reader has read the whole feed into records."""
    deadline = time.monotonic() + timeout_s
    last_event = desk.sql("SELECT max(id) FROM events")[0][0]
    while time.monotonic() < deadline:
        try:
            read = desk.sql("SELECT position FROM insights_cursors WHERE name = 'feed'")
            if read and read[0][0] >= last_event and desk.sql("SELECT count(*) FROM conversation_records")[0][0]:
                return
        except sqlite3.OperationalError:  # its tables not made yet
            pass
        time.sleep(0.2)
    raise AssertionError(f"the feed was not read within {timeout_s} s:\n{service.log_tail()}")


def watched(page) -> list:
    """What the page's Content-Security-Policy refused, and the console's errors (but the icon
    the browser asks for by itself: the desk has none)."""
    problems = []
    page.add_init_script("document.addEventListener('securitypolicyviolation', e => "
                         "console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI))")

    def seen(message):
        where = message.location.get("url") or ""
        if message.type == "error" and not where.endswith("/favicon.ico"):
            problems.append(f"{message.text} ({where})")
    page.on("console", seen)
    return problems


@pytest.fixture
def lead_page(chromium):
    yield from opened(chromium, DESKTOP, accept_downloads=True)


@pytest.fixture
def page_for_axe(chromium):
    yield from opened(chromium, DESKTOP, bypass_csp=True)  # axe-core is injected as a script


def table(page, name: str) -> dict:
    """A chart's numbers as its table shows them: {code: [cells after the first]}."""
    found = {}
    for row in page.locator(f"#{name}-table tbody tr[data-key]").all():
        found[row.get_attribute("data-key")] = [cell.inner_text() for cell in row.locator("td").all()]
    return found


def counts_in(page, name: str) -> dict:
    return {key: int(cells[0]) for key, cells in table(page, name).items()}


def grouped(desk: Desk, column: str, where: str = "") -> dict:
    return {(value if value is not None else "unknown"): n for value, n in desk.sql(
        f"SELECT {column}, count(*) FROM conversation_records WHERE day BETWEEN ? AND ? {where} GROUP BY {column}",
        START.isoformat(), END.isoformat())}


def tile(page, name: str):
    return page.locator(f"#tile-{name}")


def test_a_lead_reads_the_weeks_figures_as_sql_counts_them(desk, lead_page):
    page = lead_page
    problems = watched(page)
    desk.log_in(page, "lena")
    page.get_by_role("navigation", name="Desk pages").get_by_role("link", name="Insights").click()
    expect(page.get_by_role("heading", name="Insights")).to_be_visible()
    status = page.get_by_role("status")

    # A preset: the last 30 days, today the last, hold the whole seeded week.
    page.get_by_role("button", name="Last 30 days").click()
    today = datetime.now(timezone.utc).date()
    expect(page.get_by_label("From", exact=True)).to_have_value((today - timedelta(days=29)).isoformat())
    expect(status).to_have_text(f"Figures from {(today - timedelta(days=29)).isoformat()} to {today.isoformat()}.")
    expect(tile(page, "conversations").locator(".value")).to_have_text(
        str(desk.sql("SELECT count(*) FROM conversation_records")[0][0]))

    # The seeded week, picked in the form.
    page.get_by_label("From", exact=True).fill(START.isoformat())
    page.get_by_label("To", exact=True).fill(END.isoformat())
    page.get_by_role("button", name="Show", exact=True).click()
    expect(status).to_have_text(f"Figures from {START.isoformat()} to {END.isoformat()}.")
    assert f"from={START.isoformat()}" in page.url

    between = (START.isoformat(), END.isoformat())
    in_range = "FROM conversation_records WHERE day BETWEEN ? AND ?"
    conversations = desk.sql(f"SELECT count(*) {in_range}", *between)[0][0]
    resolved, ended, handed_over = desk.sql(
        f"SELECT sum(outcome = 'resolved'), sum(outcome != 'ongoing'), sum(outcome = 'handed_over') {in_range}",
        *between)[0]
    rated, solved = desk.sql(f"SELECT count(csat), sum(csat) {in_range} AND csat IS NOT NULL", *between)[0]
    waits = [w for (w,) in desk.sql(f"SELECT first_answer_ms {in_range} AND first_answer_ms IS NOT NULL "
                                    "ORDER BY first_answer_ms", *between)]
    assert conversations and resolved and handed_over and rated and waits  # the seeded week has each
    expect(tile(page, "conversations").locator(".value")).to_have_text(str(conversations))
    expect(tile(page, "conversations")).to_have_attribute("data-value", str(conversations))
    assert float(tile(page, "resolution-rate").get_attribute("data-value")) == round(resolved / ended, 4)
    expect(tile(page, "resolution-rate")).to_contain_text(f"{resolved} of {ended} ended conversations resolved")
    assert float(tile(page, "csat").get_attribute("data-value")) == round(solved / rated, 4)
    expect(tile(page, "csat")).to_contain_text(f"{solved} of {rated} ratings said solved")
    assert int(tile(page, "first-answer-median").get_attribute("data-value")) == round(statistics.median(waits))
    assert int(tile(page, "first-answer-p90").get_attribute("data-value")) == waits[min(len(waits) - 1,
                                                                                          int(0.9 * len(waits)))]
    expect(tile(page, "handed-over").locator(".value")).to_have_text(str(handed_over))

    # Each chart's numbers, in the table beside it.
    days = grouped(desk, "day")
    assert counts_in(page, "by-day") == {(START + timedelta(days=n)).isoformat(): days.get(
        (START + timedelta(days=n)).isoformat(), 0) for n in range(7)}
    assert counts_in(page, "outcomes") == grouped(desk, "outcome")
    assert counts_in(page, "reasons") == grouped(desk, "handoff_reason", "AND outcome = 'handed_over'")
    assert counts_in(page, "by-channel") == grouped(desk, "channel")
    assert counts_in(page, "by-language") == grouped(desk, "language")
    assert counts_in(page, "by-topic") == dict(desk.sql(
        "SELECT topic, count(*) FROM conversation_topics JOIN conversation_records ON id = record_id "
        "WHERE day BETWEEN ? AND ? GROUP BY topic", *between))
    for name, column in (("csat-language", "language"), ("csat-channel", "channel")):
        shown = {key: (int(cells[0]), int(cells[1])) for key, cells in table(page, name).items()}
        assert shown == {value: (n, int(yes)) for value, n, yes in desk.sql(
            f"SELECT {column}, count(csat), sum(csat) {in_range} AND csat IS NOT NULL GROUP BY {column}", *between)}
    # In words, not codes.
    expect(page.locator("#reasons-table")).to_contain_text("The customer asked for a person")
    expect(page.locator("#outcomes-table")).to_contain_text("Resolved by the assistant")
    expect(page.locator("#by-channel-table")).to_contain_text("website chat")
    expect(page.locator("#by-language-table")).to_contain_text("French")

    # The most misunderstood messages: each as often as SQL finds its words in the week.
    misunderstood = table(page, "misunderstood")
    assert misunderstood
    for text, cells in misunderstood.items():
        assert int(cells[0]) == desk.sql(
            "SELECT count(*) FROM review_items WHERE lower(text) = lower(?) AND at >= ? AND at < ? "
            "AND guesses NOT LIKE '[[\"out_of_scope\"%'", text, START.isoformat(),
            (END + timedelta(days=1)).isoformat())[0][0], text
    expect(page.get_by_role("link", name="Label them in the review queue")).to_have_attribute("href", "/desk/review")

    # The charts are drawn: each canvas has pixels.
    for name in ("by-day", "outcomes", "reasons", "by-topic", "by-channel", "by-language"):
        assert page.evaluate(f"document.getElementById('{name}-chart').width") > 0, name

    # The range as a spreadsheet: a row per conversation.
    with page.expect_download() as downloading:
        page.get_by_role("link", name="Download as CSV").click()
    download = downloading.value
    assert download.suggested_filename == f"insights-{START.isoformat()}-{END.isoformat()}.csv"
    rows = list(csv.reader(io.StringIO(Path(download.path()).read_text())))
    assert rows[0] == CSV_COLUMNS and len(rows) - 1 == conversations

    screenshot(page, "insights-desktop")  # the README's picture (docs/images/), once looked at
    page.screenshot(path=str(SCREENSHOTS / "insights-desktop-whole.png"), full_page=True)
    assert problems == [], problems


def review_groups(page):
    return page.locator("#groups > li[data-index]")


def labels_of(desk: Desk, ids) -> dict:
    marks = ",".join("?" * len(ids))
    return {item: (label, by) for item, label, by in desk.sql(
        f"SELECT id, label, labelled_by FROM review_items WHERE id IN ({marks})", *ids)}


def test_a_lead_labels_the_review_queue_by_keyboard_only(desk, lead_page):
    page = lead_page
    problems = watched(page)
    desk.log_in(page, "lena")
    page.get_by_role("navigation", name="Desk pages").get_by_role("link", name="Review queue").click()
    expect(page.get_by_role("heading", name="Review queue", level=2)).to_be_visible()
    unlabelled = desk.sql("SELECT count(*) FROM review_items WHERE label IS NULL")[0][0]
    expect(page.locator("#counts")).to_have_text(f"To review: {unlabelled}. Labelled: 0.")
    expect(review_groups(page).first).to_have_class("current")

    # 1. A group the assistant guessed an intent for (not out of scope), reached with j and k;
    #    one message left out with its box (Tab to it, Space), the rest labelled as the first guess (1).
    def first_guess(group):
        return group.locator(".guesses button").first.get_attribute("data-label")
    index, first = next((n, g) for n, g in enumerate(review_groups(page).all())
                        if first_guess(g) != "out_of_scope" and g.locator(".messages input").count() >= 2)
    ids = [int(box.get_attribute("value")) for box in first.locator(".messages input").all()]
    guess = first_guess(first)
    for key in ["j"] * (index + 1) + ["k"]:
        page.keyboard.press(key)
    expect(first).to_be_focused()
    page.keyboard.press("Tab")
    expect(first.locator(".messages input").first).to_be_focused()
    page.keyboard.press("Space")
    expect(first.locator(".messages input").first).not_to_be_checked()
    page.keyboard.press("1")
    expect(page.get_by_role("status")).to_have_text(f"Labelled as {guess}: {len(ids) - 1}.")
    assert labels_of(desk, ids) == {ids[0]: (None, None), **{i: (guess, "lena") for i in ids[1:]}}
    expect(page.locator("#counts")).to_have_text(f"To review: {unlabelled - len(ids) + 1}. Labelled: {len(ids) - 1}.")
    current = page.locator("#groups > li.current")
    expect(current).to_be_focused()  # the next group took its place
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "insights-review-queue")  # the README's picture (docs/images/), once looked at

    # 2. The group after it (j) as out of scope (o).
    page.keyboard.press("j")
    expect(current).to_have_attribute("data-index", str(index + 1))
    expect(current).to_be_focused()
    second_ids = [int(box.get_attribute("value")) for box in current.locator(".messages input").all()]
    page.keyboard.press("o")
    expect(page.get_by_role("status")).to_have_text(f"Labelled as Out of scope: {len(second_ids)}.")
    assert labels_of(desk, second_ids) == {i: ("out_of_scope", "lena") for i in second_ids}
    expect(page.locator("#counts")).to_have_text(
        f"To review: {unlabelled - len(ids) + 1 - len(second_ids)}. Labelled: {len(ids) - 1 + len(second_ids)}.")

    # 3. The one now in its place with an intent of the picker (/, type its name, Enter).
    expect(current).to_be_focused()
    third_ids = [int(box.get_attribute("value")) for box in current.locator(".messages input").all()]
    assert not set(third_ids) & set(second_ids)
    page.keyboard.press("/")
    expect(current.get_by_label("Another intent")).to_be_focused()
    page.keyboard.type("return_status")
    expect(current.get_by_label("Another intent")).to_have_value("return_status")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text(f"Labelled as return_status: {len(third_ids)}.")
    assert labels_of(desk, third_ids) == {i: ("return_status", "lena") for i in third_ids}

    labelled = len(ids) - 1 + len(second_ids) + len(third_ids)
    expect(page.locator("#counts")).to_have_text(f"To review: {unlabelled - labelled}. Labelled: {labelled}.")
    assert problems == [], problems


def test_the_pages_have_no_serious_accessibility_problem(desk, page_for_axe):
    page = page_for_axe
    desk.log_in(page, "lena")
    page.goto(f"{desk.url}/desk/insights?from={START.isoformat()}&to={END.isoformat()}")
    expect(page.get_by_role("status")).to_have_text(f"Figures from {START.isoformat()} to {END.isoformat()}.")
    assert serious_accessibility_problems(page) == []
    page.goto(f"{desk.url}/desk/review")
    expect(review_groups(page).first).to_be_visible()
    assert serious_accessibility_problems(page) == []


def test_an_agent_who_isnt_a_lead_is_told_the_insights_are_for_leads(desk, page):
    desk.log_in(page, "maria")
    pages = page.get_by_role("navigation", name="Desk pages")
    expect(pages.get_by_role("link")).to_have_text(["Conversations", "Review queue"])
    answer = page.goto(f"{desk.url}/desk/insights")
    assert answer.status == 403
    expect(page.get_by_role("heading", name="For team leads")).to_be_visible()
    expect(page.get_by_text("The insights are for team leads.")).to_be_visible()
    assert page.request.get(f"{desk.url}/desk/api/insights").status == 403
    assert json.loads(page.request.get(f"{desk.url}/desk/api/me").text())["role"] == "agent"
