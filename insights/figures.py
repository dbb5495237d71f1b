"""The support team's figures over a range of days (UTC, both ends included), from the records
(insights/record.py defines each one; README, "Insights"):

    summary(connection, date(2026, 11, 30), date(2026, 12, 6))  -> a dict, as /desk/api/insights
    as_csv(connection, start, end)                              -> every record of the range, CSV

Each figure is a SQL count or the values SQL selects, so that a count on the same tables gives
the same numbers (insights/tests/test_figures.py checks it on a seeded week).
"""
import csv
import io
import json
import statistics
from collections import Counter
from datetime import date, datetime, timedelta, timezone
from typing import Any, Dict, List, Optional

import sqlalchemy as sa

from insights.record import ABANDONED, HANDED_OVER, ONGOING, OUT_OF_SCOPE, RESOLVED
from insights.store import records, review_items, topics

OUTCOMES = (RESOLVED, HANDED_OVER, ABANDONED, ONGOING)
UNKNOWN = "unknown"  # a record without a channel, language or handoff reason
TOP_MISUNDERSTOOD = 10
CSV_COLUMNS = ("conversation", "record", "started_at", "ended_at", "channel", "language", "topics", "identity",
               "order_lookups", "outcome", "handoff_reason", "csat", "misunderstandings", "corrections",
               "first_answer_ms", "customer_messages")


def _in_range(start: date, end: date):
    return records.c.day.between(start.isoformat(), end.isoformat())


def _counts(connection: sa.engine.Connection, column, *where) -> Dict[str, int]:
    query = sa.select(column, sa.func.count()).select_from(records.join(topics, topics.c.record_id == records.c.id)
                                                          if column is topics.c.topic else records)
    rows = connection.execute(query.where(*where).group_by(column)).all()
    return {(value if value is not None else UNKNOWN): count for value, count in sorted(rows, key=lambda r: -r[1])}


def _rate(part: int, whole: int) -> Optional[float]:
    return round(part / whole, 4) if whole else None


def _csat(connection: sa.engine.Connection, where, by=None) -> Any:
    if by is None:
        rated, solved = connection.execute(
            sa.select(sa.func.count(records.c.csat), sa.func.count(records.c.csat).filter(records.c.csat.is_(True)))
            .where(where, records.c.csat.is_not(None))).one()
        return {"rated": rated, "solved": solved, "rate": _rate(solved, rated)}
    rows = connection.execute(
        sa.select(by, sa.func.count(records.c.csat), sa.func.count(records.c.csat).filter(records.c.csat.is_(True)))
        .where(where, records.c.csat.is_not(None)).group_by(by)).all()
    return {(value or UNKNOWN): {"rated": rated, "solved": solved, "rate": _rate(solved, rated)}
            for value, rated, solved in rows}


def _percentile(values: List[int], share: float) -> Optional[int]:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _misunderstood(connection: sa.engine.Connection, start: date, end: date) -> List[Dict[str, Any]]:
    """The messages misunderstood most often in the range (the same words, case aside), with
    what NLU guessed; not those it rightly read as out of scope (the review queue has them too,
    in case it was wrong)."""
    rows = connection.execute(sa.select(review_items.c.text, review_items.c.guesses, review_items.c.language).where(
        review_items.c.at >= _start_of(start), review_items.c.at < _start_of(end + timedelta(days=1)))).all()
    grouped: Dict[str, List] = {}
    for text, guesses, language in rows:
        if (json.loads(guesses) or [[None]])[0][0] == OUT_OF_SCOPE:
            continue
        grouped.setdefault(" ".join(text.lower().split()), []).append((text, json.loads(guesses), language))
    top = sorted(grouped.values(), key=lambda found: (-len(found), found[0][0]))[:TOP_MISUNDERSTOOD]
    return [{"text": found[0][0], "count": len(found), "language": found[0][2],
             "guess": Counter(g[0][0] for _, g, _ in found if g).most_common(1)[0][0] if any(g for _, g, _ in found)
             else None} for found in top]


def _start_of(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=timezone.utc)


def summary(connection: sa.engine.Connection, start: date, end: date) -> Dict[str, Any]:
    where = _in_range(start, end)
    outcomes = {outcome: 0 for outcome in OUTCOMES}
    outcomes.update(_counts(connection, records.c.outcome, where))
    conversations = sum(outcomes.values())
    ended = conversations - outcomes[ONGOING]
    by_day = _counts(connection, records.c.day, where)
    days = [(start + timedelta(days=n)).isoformat() for n in range((end - start).days + 1)]
    waits = [value for (value,) in connection.execute(
        sa.select(records.c.first_answer_ms).where(where, records.c.first_answer_ms.is_not(None)))]
    return {
        "from": start.isoformat(), "to": end.isoformat(),
        "conversations": conversations, "ended": ended, "outcomes": outcomes,
        "resolution_rate": _rate(outcomes[RESOLVED], ended),
        "handoffs_by_reason": _counts(connection, records.c.handoff_reason, where, records.c.outcome == HANDED_OVER),
        "csat": {**_csat(connection, where), "by_language": _csat(connection, where, records.c.language),
                 "by_channel": _csat(connection, where, records.c.channel)},
        "volume": {
            "by_day": [{"day": day, "count": by_day.get(day, 0)} for day in days],
            "by_channel": _counts(connection, records.c.channel, where),
            "by_language": _counts(connection, records.c.language, where),
            "by_topic": _counts(connection, topics.c.topic, where),
        },
        "first_answer_ms": {"count": len(waits), "median": round(statistics.median(waits)) if waits else None,
                            "p90": _percentile(waits, 0.9)},
        "misunderstood": _misunderstood(connection, start, end),
    }


def as_csv(connection: sa.engine.Connection, start: date, end: date) -> str:
    """Every record of the range, oldest first, a row each (topics space-separated)."""
    topics_of: Dict[str, List[str]] = {}
    for record_id, topic in connection.execute(
            sa.select(topics.c.record_id, topics.c.topic).select_from(
                topics.join(records, topics.c.record_id == records.c.id)).where(_in_range(start, end))
            .order_by(topics.c.record_id, topics.c.topic)):
        topics_of.setdefault(record_id, []).append(topic)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for row in connection.execute(sa.select(records).where(_in_range(start, end)).order_by(records.c.started_at)):
        values = row._mapping
        writer.writerow([
            values["conversation"], values["id"], values["started_at"].isoformat(), values["ended_at"].isoformat(),
            values["channel"] or "", values["language"] or "", " ".join(topics_of.get(values["id"], [])),
            values["identity"], values["order_lookups"], values["outcome"], values["handoff_reason"] or "",
            "" if values["csat"] is None else ("yes" if values["csat"] else "no"), values["misunderstandings"],
            values["corrections"], "" if values["first_answer_ms"] is None else values["first_answer_ms"],
            values["customer_messages"]])
    return out.getvalue()
