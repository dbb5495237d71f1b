"""The desk's insights (/desk/insights, team leads) and review queue (/desk/review, every agent),
through the service's HTTP API as the pages use it: behind the desk's login, the figures equal
SQL counts on a seeded week of conversations (read from the feed by the insights' own reader),
bad ranges are refused in words, the CSV has a row per conversation, and a label given through
the API leaves the queue, by the agent's login. Team leads on another agents' tool log in too."""
import csv
import io
import statistics
from datetime import date, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
import yaml
from fastapi.testclient import TestClient

from handoff import agents
from handoff import app as app_module
from handoff.__main__ import DEMO_LEAD_PASSWORD, DEMO_PASSWORD, demo_accounts
from handoff.app import DESK_POLICY, create_app
from handoff.settings import ROOT, Settings
from handoff.store import connect
from handoff.tools.desk import DeskTool
from handoff.tools.webhook import WebhookTool
from insights import figures
from insights.tests.seeded_week import read_into_records

END = date(2026, 12, 6)
START = END - timedelta(days=6)
WEEK = {"from": START.isoformat(), "to": END.isoformat()}
WORDS = yaml.safe_load((ROOT / "handoff" / "wording.yml").read_text())
INTENTS = [intent if isinstance(intent, str) else next(iter(intent))
           for intent in yaml.safe_load((ROOT / "domain.yml").read_text())["intents"]]


@pytest.fixture(scope="module")
def team(tmp_path_factory):
    """An agents file with an agent and a team lead; their passwords (scrypt is slow: made once)."""
    path = tmp_path_factory.mktemp("agents") / "desk-agents.yml"
    return path, {"maria": agents.add(path, "maria", "Maria"), "lena": agents.add(path, "lena", "Lena", agents.LEAD)}


@pytest.fixture
def insights(tmp_path):
    """The insights database with the seeded week read from its feed, as the service's reader does."""
    return read_into_records(tmp_path / "insights.db", END)


def settings_for(tmp_path, agents_file, tool="desk"):
    return Settings(host="127.0.0.1", port=0, database_url=f"sqlite:///{tmp_path / 'handoff.db'}",
                    api_token="api-token-for-tests", rasa_url="http://127.0.0.1:9", rasa_token="unused",
                    tracker_db_url=f"sqlite:///{tmp_path / 'rasa.db'}", tool=tool, tool_settings={},
                    agents_file=agents_file, poll_s=0.1)


@pytest.fixture
def service(tmp_path, team, insights):
    app = create_app(settings_for(tmp_path, team[0]), connect(f"sqlite:///{tmp_path / 'handoff.db'}"), DeskTool(),
                     insights)
    return app, team[1]


def logged_in(app, login, password):
    client = TestClient(app)
    response = client.post("/desk/login", data={"login": login, "password": password}, follow_redirects=False)
    assert response.status_code == 303, response.text
    return client, response.headers["location"]


@pytest.fixture
def lead(service):
    app, passwords = service
    with logged_in(app, "lena", passwords["lena"])[0] as client:
        yield client


@pytest.fixture
def agent(service):
    app, passwords = service
    with logged_in(app, "maria", passwords["maria"])[0] as client:
        yield client


def sql(engine, query, **values):
    with engine.connect() as connection:
        return connection.execute(sa.text(query), values).all()


# -- Who sees what ----------------------------------------------------------------------------


def test_without_a_login_the_pages_lead_to_it_and_the_api_refuses(service):
    with TestClient(service[0]) as client:
        for page in ("/desk/insights", "/desk/review"):
            response = client.get(page, follow_redirects=False)
            assert response.status_code == 303 and response.headers["location"] == "/desk/login", page
        for path in ("/desk/api/insights", "/desk/api/insights.csv", "/desk/api/review"):
            assert client.get(path).status_code == 401, path
        assert client.post("/desk/api/review/label", json={"items": [1], "label": "track_order"}).status_code == 401


def test_an_agent_reviews_but_is_told_in_words_that_the_insights_are_for_leads(agent, insights):
    assert agent.get("/desk/api/me").json() == {"login": "maria", "name": "Maria", "role": "agent"}
    page = agent.get("/desk/insights")
    assert page.status_code == 403
    assert WORDS["desk_page"]["leads_only"] in page.text and "<html" in page.text
    assert page.headers["content-security-policy"] == DESK_POLICY
    assert agent.get("/desk/api/insights", params=WEEK).status_code == 403
    assert agent.get("/desk/api/insights.csv", params=WEEK).status_code == 403
    review = agent.get("/desk/review")
    assert review.status_code == 200 and review.headers["content-security-policy"] == DESK_POLICY
    # The header links to what she may open: the conversations and the review queue.
    assert 'href="/desk/review" aria-current="page"' in review.text and 'href="/desk"' in review.text
    assert 'href="/desk/insights"' not in review.text
    assert agent.get("/desk/api/review").status_code == 200


def test_a_lead_sees_the_insights_page_its_script_and_the_links(lead):
    assert lead.get("/desk/api/me").json()["role"] == "lead"
    page = lead.get("/desk/insights")
    assert page.status_code == 200 and page.headers["content-security-policy"] == DESK_POLICY
    assert "'unsafe-inline'" not in page.headers["content-security-policy"]
    assert 'href="/desk/insights" aria-current="page"' in page.text and 'href="/desk/review"' in page.text
    assert '<script src="/desk/static/insights.js"></script>' in page.text
    # The page's words for its script: JSON that is never run, and that no text can close.
    assert '<script type="application/json" id="page-data">' in page.text
    assert WORDS["insights_page"]["outcomes"]["resolved"] in page.text
    assert lead.get("/desk/review").status_code == 200


def test_the_charts_script_is_served_from_the_web_build_and_is_a_404_until_built(lead, tmp_path, monkeypatch):
    built = tmp_path / "desk-insights.js"
    built.write_text("/* Chart.js, bundled */")
    monkeypatch.setitem(app_module.STATIC, "insights.js", built)
    script = lead.get("/desk/static/insights.js")
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]
    built.unlink()
    assert lead.get("/desk/static/insights.js").status_code == 404
    assert lead.get("/desk/static/review.js").status_code == 200
    assert lead.get("/desk/static/desk-insights.js").status_code == 404  # only the names listed


# -- The figures --------------------------------------------------------------------------------


def test_the_figures_equal_sql_counts_on_the_seeded_week(lead, insights):
    shown = lead.get("/desk/api/insights", params=WEEK)
    assert shown.status_code == 200
    shown = shown.json()
    between = {"start": START.isoformat(), "end": END.isoformat()}
    in_range = "FROM conversation_records WHERE day BETWEEN :start AND :end"
    assert (shown["from"], shown["to"]) == (START.isoformat(), END.isoformat())
    assert shown["conversations"] == sql(insights, f"SELECT count(*) {in_range}", **between)[0][0] > 0
    assert shown["outcomes"] == {"ongoing": 0, **dict(sql(
        insights, f"SELECT outcome, count(*) {in_range} GROUP BY outcome", **between))}
    resolved, ended = sql(insights, f"SELECT sum(outcome = 'resolved'), sum(outcome != 'ongoing') {in_range}",
                          **between)[0]
    assert shown["resolution_rate"] == round(resolved / ended, 4)
    assert shown["handoffs_by_reason"] == dict(sql(
        insights, f"SELECT handoff_reason, count(*) {in_range} AND outcome = 'handed_over' GROUP BY handoff_reason",
        **between))
    rated, solved = sql(insights, f"SELECT count(csat), sum(csat) {in_range} AND csat IS NOT NULL", **between)[0]
    assert (shown["csat"]["rated"], shown["csat"]["solved"]) == (rated, solved) and 0 < solved < rated
    assert {d["day"]: d["count"] for d in shown["volume"]["by_day"]} == dict(sql(
        insights, f"SELECT day, count(*) {in_range} GROUP BY day", **between))
    for column in ("channel", "language"):
        assert shown["volume"][f"by_{column}"] == dict(sql(
            insights, f"SELECT {column}, count(*) {in_range} GROUP BY {column}", **between))
    assert shown["volume"]["by_topic"] == dict(sql(
        insights, "SELECT topic, count(*) FROM conversation_topics JOIN conversation_records ON id = record_id "
                  "WHERE day BETWEEN :start AND :end GROUP BY topic", **between))
    waits = [w for (w,) in sql(insights, f"SELECT first_answer_ms {in_range} AND first_answer_ms IS NOT NULL",
                               **between)]
    assert shown["first_answer_ms"]["median"] == round(statistics.median(waits))
    with insights.connect() as connection:  # and all of it is what insights/figures.py says
        assert shown == figures.summary(connection, START, END)


def test_one_day_counts_only_that_day(lead, insights):
    shown = lead.get("/desk/api/insights", params={"from": END.isoformat(), "to": END.isoformat()}).json()
    assert shown["conversations"] == sql(
        insights, "SELECT count(*) FROM conversation_records WHERE day = :day", day=END.isoformat())[0][0]


def test_by_default_the_last_seven_days_end_today(lead):
    today = datetime.now(timezone.utc).date()
    shown = lead.get("/desk/api/insights").json()
    assert (shown["from"], shown["to"]) == ((today - timedelta(days=6)).isoformat(), today.isoformat())
    only_to = lead.get("/desk/api/insights", params={"to": END.isoformat()}).json()
    assert (only_to["from"], only_to["to"]) == (START.isoformat(), END.isoformat())


@pytest.mark.parametrize("asked, said", [
    ({"from": "2026-12-07", "to": "2026-12-06"}, WORDS["insights_page"]["from_after_to"]),
    ({"from": "2026-13-01", "to": "2026-12-06"}, WORDS["insights_page"]["bad_date"]),
    ({"from": "yesterday"}, WORDS["insights_page"]["bad_date"]),
    ({"from": "2026-1-5", "to": "2026-12-06"}, WORDS["insights_page"]["bad_date"]),
    ({"from": "2026-11-30T00:00", "to": "2026-12-06"}, WORDS["insights_page"]["bad_date"]),
    ({"from": "2025-12-05", "to": "2026-12-06"}, WORDS["insights_page"]["too_long"].replace("{days}", "366")),
])
def test_a_range_that_cant_be_shown_is_refused_in_words(lead, asked, said):
    for path in ("/desk/api/insights", "/desk/api/insights.csv"):
        response = lead.get(path, params=asked)
        assert response.status_code == 400 and response.json() == {"error": said}, path


def test_a_whole_year_of_366_days_is_shown(lead):
    assert lead.get("/desk/api/insights", params={"from": "2025-12-06", "to": "2026-12-06"}).status_code == 200


def test_the_csv_has_a_row_per_conversation_of_the_range(lead, insights):
    response = lead.get("/desk/api/insights.csv", params=WEEK)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"] == \
        f'attachment; filename="insights-{START.isoformat()}-{END.isoformat()}.csv"'
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == list(figures.CSV_COLUMNS)
    assert len(rows) - 1 == sql(insights, "SELECT count(*) FROM conversation_records WHERE day BETWEEN :start AND :end",
                                start=START.isoformat(), end=END.isoformat())[0][0]


# -- The review queue ------------------------------------------------------------------------------


def queued_ids(queue):
    return {item["id"] for group in queue["groups"] for item in group["items"]}


def test_a_label_given_through_the_api_leaves_the_queue_by_the_agents_login(agent, insights):
    queue = agent.get("/desk/api/review").json()
    assert queue["intents"] == INTENTS and "out_of_scope" in queue["intents"]
    assert queue["open"] == sql(insights, "SELECT count(*) FROM review_items WHERE label IS NULL")[0][0] > 0
    assert queue["labelled"] == 0
    group = next(g for g in queue["groups"] if g["size"] >= 2)
    ids = [item["id"] for item in group["items"]]
    kept, taken = ids[0], ids[1:]  # one message left out of its group's label

    response = agent.post("/desk/api/review/label", json={"items": taken, "label": "track_order"})
    assert response.status_code == 200 and response.json() == {"labelled": len(taken)}
    after = agent.get("/desk/api/review").json()
    assert (after["open"], after["labelled"]) == (queue["open"] - len(taken), len(taken))
    assert kept in queued_ids(after) and not set(taken) & queued_ids(after)
    assert sql(insights, "SELECT DISTINCT label, labelled_by FROM review_items WHERE labelled_at IS NOT NULL") == [
        ("track_order", "maria")]

    assert agent.post("/desk/api/review/label", json={"items": [kept], "label": "out_of_scope"}).status_code == 200
    other = next(iter(queued_ids(agent.get("/desk/api/review").json())))
    assert agent.post("/desk/api/review/label", json={"items": [other], "label": "discarded"}).status_code == 200
    assert dict(sql(insights, "SELECT id, label FROM review_items WHERE id IN (:a, :b)", a=kept, b=other)) == {
        kept: "out_of_scope", other: "discarded"}


@pytest.mark.parametrize("body, said", [
    ({"items": [1], "label": "where_is_my_stuff"}, "unknown intent: where_is_my_stuff"),
    ({"items": [1], "label": "nlu_fallback"}, "unknown intent: nlu_fallback"),
    ({"items": [], "label": "track_order"}, "no messages to label"),
])
def test_a_label_the_queue_cant_take_is_refused_and_changes_nothing(agent, insights, body, said):
    response = agent.post("/desk/api/review/label", json=body)
    assert response.status_code == 400 and response.json() == {"error": said}
    assert sql(insights, "SELECT count(*) FROM review_items WHERE label IS NOT NULL")[0][0] == 0


def test_the_queue_filters_by_language(agent, insights):
    german = agent.get("/desk/api/review", params={"language": "de"}).json()
    assert german["groups"] and {g["language"] for g in german["groups"]} == {"de"}
    assert len(queued_ids(german)) == sql(
        insights, "SELECT count(*) FROM review_items WHERE label IS NULL AND language = 'de'")[0][0]
    assert agent.get("/desk/api/review", params={"language": "x" * 9}).status_code == 422


# -- Another agents' tool ---------------------------------------------------------------------------


def test_on_another_agents_tool_leads_and_agents_log_in_for_insights_and_review_only(tmp_path, team, insights):
    tool = WebhookTool("http://127.0.0.1:9/cases", "webhook-secret-for-tests", timeout_s=2)
    app = create_app(settings_for(tmp_path, team[0], tool="webhook"), connect(f"sqlite:///{tmp_path / 'h.db'}"),
                     tool, insights)
    lead_client, landing = logged_in(app, "lena", team[1]["lena"])
    with lead_client:
        assert landing == "/desk/insights"
        page = lead_client.get("/desk/insights")
        assert page.status_code == 200 and 'href="/desk"' not in page.text  # no conversations here
        assert lead_client.get("/desk/api/insights", params=WEEK).json()["conversations"] > 0
        assert lead_client.get("/desk", follow_redirects=False).status_code == 404
        assert lead_client.get("/desk/api/handoffs").status_code == 404
    agent_client, landing = logged_in(app, "maria", team[1]["maria"])
    with agent_client:
        assert landing == "/desk/review"
        assert agent_client.get("/desk/review").status_code == 200
    # Without the insights there is nothing to log in to on such a tool: no desk at all.
    without = create_app(settings_for(tmp_path, team[0], tool="webhook"), connect(f"sqlite:///{tmp_path / 'h.db'}"),
                         tool)
    with TestClient(without) as client:
        assert client.get("/desk/login").status_code == 404


# -- Agents and roles ---------------------------------------------------------------------------------


def test_the_first_start_makes_a_demo_agent_and_a_demo_lead_with_their_passwords_beside_the_file(tmp_path):
    path = tmp_path / "desk-agents.yml"
    written = demo_accounts(path)
    assert written == [path.with_suffix(DEMO_PASSWORD), path.with_suffix(DEMO_LEAD_PASSWORD)]
    assert agents.authenticate(path, "maria", path.with_suffix(DEMO_PASSWORD).read_text().strip()) == "Maria"
    assert agents.authenticate(path, "lena", path.with_suffix(DEMO_LEAD_PASSWORD).read_text().strip()) == "Lena"
    assert (agents.role(path, "maria"), agents.role(path, "lena")) == (agents.AGENT, agents.LEAD)
    assert oct(path.with_suffix(DEMO_LEAD_PASSWORD).stat().st_mode & 0o777) == "0o600"
    assert demo_accounts(path) == []  # once


def test_a_demo_set_up_before_leads_gets_its_lead_and_a_real_team_gets_nothing(tmp_path):
    demo = tmp_path / "demo" / "desk-agents.yml"
    demo.parent.mkdir()
    agents.add(demo, "maria", "Maria")
    demo.with_suffix(DEMO_PASSWORD).write_text("her password\n")
    assert demo_accounts(demo) == [demo.with_suffix(DEMO_LEAD_PASSWORD)]
    assert set(agents.load(demo)) == {"maria", "lena"}

    real = tmp_path / "real" / "desk-agents.yml"
    real.parent.mkdir()
    agents.add(real, "sam", "Sam")
    assert demo_accounts(real) == [] and set(agents.load(real)) == {"sam"}


def test_adding_a_lead_from_the_command_line(tmp_path, monkeypatch, capsys):
    path = tmp_path / "desk-agents.yml"
    monkeypatch.setenv("HANDOFF_AGENTS_FILE", str(path))
    assert agents.main(["agents", "add", "kim", "Kim Lee", "--role", "lead"]) == 0
    password = capsys.readouterr().out.split(": ")[1].strip()
    assert agents.authenticate(path, "kim", password) == "Kim Lee" and agents.role(path, "kim") == agents.LEAD
    assert agents.main(["agents", "add", "sam", "Sam"]) == 0
    assert agents.role(path, "sam") == agents.AGENT and "role" not in agents.load(path)["sam"]
    with pytest.raises(SystemExit):
        agents.main(["agents", "add", "max", "Max", "--role", "boss"])
    assert "max" not in agents.load(path)
