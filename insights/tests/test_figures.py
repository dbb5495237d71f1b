"""The figures a team lead reads equal what a SQL count on the same tables gives, on a seeded
week of conversations that went through the feed and the reader like real ones."""
import statistics
from datetime import date

import pytest
import sqlalchemy as sa

from insights import figures
from insights.tests.seeded_week import read_into_records

END = date(2026, 12, 6)
WEEK = (date(2026, 11, 30), END)


@pytest.fixture
def insights(tmp_path):
    return read_into_records(tmp_path / "insights.db", END)


def sql(engine, query, **values):
    with engine.connect() as connection:
        return connection.execute(sa.text(query), values).all()


def test_every_figure_equals_its_sql_count(insights):
    with insights.connect() as connection:
        shown = figures.summary(connection, *WEEK)
    between = "day BETWEEN '2026-11-30' AND '2026-12-06'"
    assert shown["conversations"] == sql(insights, f"SELECT count(*) FROM conversation_records WHERE {between}")[0][0]
    for outcome, count in sql(insights, f"SELECT outcome, count(*) FROM conversation_records WHERE {between} "
                                       "GROUP BY outcome"):
        assert shown["outcomes"][outcome] == count
    resolved, ended = sql(insights, "SELECT sum(outcome = 'resolved'), sum(outcome != 'ongoing') "
                                    f"FROM conversation_records WHERE {between}")[0]
    assert shown["resolution_rate"] == round(resolved / ended, 4)
    assert shown["handoffs_by_reason"] == dict(sql(
        insights, f"SELECT handoff_reason, count(*) FROM conversation_records WHERE {between} "
                  "AND outcome = 'handed_over' GROUP BY handoff_reason"))
    rated, solved = sql(insights, "SELECT count(csat), sum(csat) FROM conversation_records "
                                  f"WHERE {between} AND csat IS NOT NULL")[0]
    assert (shown["csat"]["rated"], shown["csat"]["solved"]) == (rated, solved)
    for language, rated, solved in sql(insights, "SELECT language, count(csat), sum(csat) FROM conversation_records "
                                                 f"WHERE {between} AND csat IS NOT NULL GROUP BY language"):
        assert (shown["csat"]["by_language"][language]["rated"], shown["csat"]["by_language"][language]["solved"]) \
            == (rated, solved)
    by_day = dict(sql(insights, f"SELECT day, count(*) FROM conversation_records WHERE {between} GROUP BY day"))
    assert {d["day"]: d["count"] for d in shown["volume"]["by_day"]} == by_day and len(by_day) == 7
    for column in ("channel", "language"):
        assert shown["volume"][f"by_{column}"] == dict(sql(
            insights, f"SELECT {column}, count(*) FROM conversation_records WHERE {between} GROUP BY {column}"))
    assert shown["volume"]["by_topic"] == dict(sql(
        insights, "SELECT topic, count(*) FROM conversation_topics JOIN conversation_records "
                  f"ON conversation_records.id = record_id WHERE {between} GROUP BY topic"))
    waits = [w for (w,) in sql(insights, "SELECT first_answer_ms FROM conversation_records "
                                         f"WHERE {between} AND first_answer_ms IS NOT NULL")]
    assert shown["first_answer_ms"]["median"] == round(statistics.median(waits))
    top = shown["misunderstood"][0]
    assert top["count"] == max(count for _, count in sql(
        insights, "SELECT lower(text), count(*) FROM review_items "
                  "WHERE guesses NOT LIKE '[[\"out_of_scope\"%' GROUP BY lower(text)"))


def test_the_seeded_week_has_every_kind_of_conversation(insights):
    """So that the figures above are checked on something: each outcome, reason and rating."""
    with insights.connect() as connection:
        shown = figures.summary(connection, *WEEK)
    assert shown["outcomes"]["resolved"] and shown["outcomes"]["handed_over"] and shown["outcomes"]["abandoned"]
    assert set(shown["handoffs_by_reason"]) == {"misunderstood", "customer_asked"}
    assert 0 < shown["csat"]["solved"] < shown["csat"]["rated"]
    assert set(shown["volume"]["by_language"]) == {"en", "fr", "de", "es", "it"}
    assert shown["misunderstood"][0]["guess"] in ("track_order", "return_label", "return_item")


def test_a_range_counts_only_its_days(insights):
    with insights.connect() as connection:
        one_day = figures.summary(connection, END, END)
    assert one_day["conversations"] == sql(
        insights, "SELECT count(*) FROM conversation_records WHERE day = '2026-12-06'")[0][0]
    assert [d["day"] for d in one_day["volume"]["by_day"]] == ["2026-12-06"]


def test_the_csv_has_a_row_per_conversation_and_no_identifiers(insights):
    with insights.connect() as connection:
        rows = figures.as_csv(connection, *WEEK).strip().splitlines()
    assert rows[0].split(",") == list(figures.CSV_COLUMNS)
    assert len(rows) - 1 == sql(insights, "SELECT count(*) FROM conversation_records")[0][0]
    assert not any("seed-" in row for row in rows)  # Rasa's conversation ids stay in the feed
