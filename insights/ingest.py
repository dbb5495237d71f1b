"""From the feed to the records: reads what the event broker wrote (the `events` table), and
rebuilds the records and review items of every conversation id that has new events.

    insights = Ingest(engine, Conversations(tracker_db_url))  # handoff/conversations.py
    insights.ingest()        # the feed's new rows (the service: every INSIGHTS_POLL_S, 5 s)
    insights.reconcile()     # fills from the tracker store what the feed missed

Why rebuild a conversation id's records whole, every session of it, rather than add to them:
a record depends on what came after it (the customer came back within 24 hours; a session ended),
and a gap filled late lands in the middle. A conversation's events are few (tens to hundreds), so
one indexed read and a pure function (insights/record.py) cost milliseconds.

Nothing is lost when the feed is: the reconciler compares each recently active conversation's
events in the tracker store with the feed's, adds the missing ones to the feed (as the broker
would have written them, insights/feed.py) and rebuilds. Events younger than GRACE_S are left
to the broker, which writes its queue twice a second.
"""
import json
import logging
import threading
import time
import uuid
from datetime import datetime
from typing import Any, Callable, Collection, Dict, Iterable, List, Optional, Protocol, Set

import sqlalchemy as sa

from insights import store
from insights.feed import key, minimal, parsed
from insights.record import ONGOING, SESSION_IDLE, Record, records_of
from insights.store import conversations, events, records, review_items, topics

logger = logging.getLogger(__name__)

FEED = "feed"  # the cursor: the feed's highest row id read
RECONCILED = "reconciled"  # the cursor: when the tracker store was last compared (epoch seconds)
# Rows re-read below the cursor: with several Rasa servers writing, a lower id can commit after
# a higher one was read. Rows already seen are remembered, so a re-read rebuilds nothing.
RESCAN = 2_000
LIMIT = 5_000  # feed rows a round, the rest next round
GRACE_S = 30.0  # the broker's queue is written within a second; a stalled one is reconciled
OVERLAP_S = 3600.0  # each reconciliation looks this far behind the previous one
CHUNK = 500  # conversations compared a query


class TrackerStore(Protocol):
    """What the reconciler reads of Rasa's tracker store: the handoff service's one reader of
    it, handoff/conversations.Conversations, answers these."""

    def active_since(self, timestamp: float) -> List[str]: ...

    def counts(self, conversation_ids: Collection[str], before: float) -> Dict[str, int]: ...

    def events_of(self, conversation_id: str) -> List[Dict[str, Any]]: ...


class Ingest:
    def __init__(self, engine: sa.engine.Engine, tracker: Optional[TrackerStore] = None,
                 clock: Callable[[], datetime] = store.now, grace_s: float = GRACE_S):
        self._engine = engine
        self._tracker = tracker
        self._clock = clock
        self._grace_s = grace_s
        self._seen: Set[int] = set()

    # ---- The feed ---------------------------------------------------------------------------

    def ingest(self) -> int:
        """Rebuilds the conversations with rows the feed got since the last call; returns how many."""
        with self._engine.connect() as connection:
            after = int(store.position(connection, FEED))
            rows = connection.execute(
                sa.select(events.c.id, events.c.sender_id).where(events.c.id > max(0, after - RESCAN))
                .order_by(events.c.id).limit(LIMIT)).all()
        new = [(row_id, sender) for row_id, sender in rows if row_id not in self._seen]
        if not new:
            return 0
        touched = {sender for _, sender in new if sender}
        self.rebuild(touched)
        with self._engine.begin() as connection:
            store.move(connection, FEED, max(after, max(row_id for row_id, _ in new)))
        top = max(row_id for row_id, _ in rows)
        self._seen = {row_id for row_id in self._seen | {row_id for row_id, _ in new} if row_id > top - RESCAN}
        return len(touched)

    def rebuild(self, senders: Collection[str]) -> None:
        moment = self._clock()
        for sender in sorted(senders):
            with self._engine.begin() as connection:
                found = [parsed(data) for (data,) in connection.execute(
                    sa.select(events.c.data).where(events.c.sender_id == sender).order_by(events.c.id))]
                unique = {key(event): event for event in found if event is not None}
                _write(connection, _conversation_id(connection, sender), records_of(unique.values(), moment))

    def settle(self) -> int:
        """Rebuilds the conversations whose latest session was still going on: once idle, it
        ends, and its outcome is decided."""
        idle_since = self._clock() - SESSION_IDLE
        with self._engine.connect() as connection:
            senders = [row[0] for row in connection.execute(
                sa.select(conversations.c.sender_id).join(records, records.c.conversation == conversations.c.id)
                .where(records.c.outcome == ONGOING, records.c.ended_at < idle_since).distinct())]
        self.rebuild(senders)
        return len(senders)

    # ---- The tracker store --------------------------------------------------------------------

    def reconcile(self) -> int:
        """Adds to the feed the events the tracker store holds and the feed lacks, for the
        conversations active since the last reconciliation (an hour's overlap); rebuilds those.
        Returns how many events were added."""
        if self._tracker is None:
            return 0
        started = self._clock().timestamp()
        with self._engine.connect() as connection:
            since = store.position(connection, RECONCILED) - OVERLAP_S
        added, filled = 0, set()
        active = self._tracker.active_since(since)
        for chunk in (active[n:n + CHUNK] for n in range(0, len(active), CHUNK)):
            # Counts first, one query each side: a conversation whose feed holds as many distinct
            # events as the store (from before the grace period) is whole. Distinct: an event both the
            # reconciler and a broker back from an outage wrote is there twice.
            stored = self._tracker.counts(chunk, started - self._grace_s)
            with self._engine.connect() as connection:
                fed = dict(connection.execute(sa.select(events.c.sender_id, sa.func.count(sa.distinct(events.c.data))).where(
                    events.c.sender_id.in_(chunk)).group_by(events.c.sender_id)).all())
            for sender in (s for s in chunk if fed.get(s, 0) < stored.get(s, 0)):
                missing = self._missing(sender, started - self._grace_s)
                if missing:
                    with self._engine.begin() as connection:
                        connection.execute(events.insert(), [
                            {"sender_id": sender, "data": json.dumps(event)} for event in missing])
                    added += len(missing)
                    filled.add(sender)
        self.rebuild(filled)
        with self._engine.begin() as connection:
            store.move(connection, RECONCILED, started - self._grace_s)
        if added:
            logger.info("insights: %d events the feed missed added from the tracker store (%d conversations)",
                        added, len(filled))
        return added

    def _missing(self, sender: str, before: float) -> List[Dict[str, Any]]:
        with self._engine.connect() as connection:
            have = {key(event) for (data,) in connection.execute(
                sa.select(events.c.data).where(events.c.sender_id == sender)) if (event := parsed(data))}
        kept = (minimal(event) for event in self._tracker.events_of(sender))
        return [event for event in kept if (event.get("timestamp") or 0) < before and key(event) not in have]


def _conversation_id(connection: sa.engine.Connection, sender: str) -> str:
    """The random id that stands for Rasa's conversation id in everything a lead sees."""
    found = connection.execute(sa.select(conversations.c.id).where(conversations.c.sender_id == sender)).scalar()
    if found:
        return found
    new = uuid.uuid4().hex
    connection.execute(conversations.insert().values(id=new, sender_id=sender))
    return new


def _write(connection: sa.engine.Connection, conversation: str, built: Iterable[Record]) -> None:
    """Replaces the conversation's records; review items are added or updated, their labels kept,
    and the unlabelled ones no longer found dropped."""
    old = [row[0] for row in connection.execute(sa.select(records.c.id).where(records.c.conversation == conversation))]
    if old:
        connection.execute(topics.delete().where(topics.c.record_id.in_(old)))
        connection.execute(records.delete().where(records.c.conversation == conversation))
    keys = set()
    for record in built:
        record_id = f"{conversation}-{record.session}"
        connection.execute(records.insert().values(
            id=record_id, conversation=conversation, started_at=record.started_at, ended_at=record.ended_at,
            day=record.started_at.date().isoformat(), channel=record.channel, language=record.language,
            identity=record.identity, order_lookups=record.order_lookups, outcome=record.outcome,
            handoff_reason=record.handoff_reason, csat=record.csat, misunderstandings=record.misunderstandings,
            corrections=record.corrections, first_answer_ms=record.first_answer_ms,
            customer_messages=record.customer_messages))
        if record.topics:
            connection.execute(topics.insert(), [{"record_id": record_id, "topic": t} for t in record.topics])
        for item in record.review:
            item_key = f"{conversation}:{item.at.timestamp():.6f}"
            keys.add(item_key)
            values = {"conversation": conversation, "at": item.at, "text": item.text, "language": item.language,
                      "channel": item.channel, "kind": item.kind, "guesses": json.dumps(item.guesses)}
            if connection.execute(review_items.update().where(review_items.c.key == item_key)
                                  .values(**values)).rowcount == 0:
                connection.execute(review_items.insert().values(key=item_key, **values))
    stale = review_items.delete().where(review_items.c.conversation == conversation, review_items.c.label.is_(None))
    connection.execute(stale.where(review_items.c.key.not_in(keys)) if keys else stale)



def run(insights: Ingest, stop: "threading.Event", poll_s: float, reconcile_s: float) -> None:
    """The insights' loop, in a thread of the handoff service: the feed every `poll_s`; the
    tracker store and the sessions still going on every `reconcile_s` (and at once on start,
    which is what a restart after an outage needs)."""
    last_reconciled = 0.0
    while not stop.is_set():
        due = time.monotonic() - last_reconciled >= reconcile_s
        # Each part on its own: one that fails (a bug, a database lock) must not hold up the others.
        for part in (insights.ingest, *((insights.reconcile, insights.settle) if due else ())):
            try:
                part()
            except Exception:
                logger.exception("insights: %s failed; tried again next round", part.__name__)
        if due:
            last_reconciled = time.monotonic()
        stop.wait(poll_s)


def start(insights: Ingest, poll_s: float, reconcile_s: float) -> "threading.Event":
    stop = threading.Event()
    threading.Thread(target=run, args=(insights, stop, poll_s, reconcile_s), name="insights", daemon=True).start()
    return stop
