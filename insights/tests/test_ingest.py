"""The reader builds records from the feed as it grows, and the reconciler fills from the
tracker store what the feed missed (a broker that was down, a Rasa server stopped before it
wrote its queue): no conversation goes unrecorded."""
import json
import sqlite3
from datetime import datetime, timezone

import pytest
import sqlalchemy as sa

from handoff.conversations import Conversations
from insights import store
from insights.feed import minimal
from insights.ingest import GRACE_S, Ingest

NOW = datetime(2026, 12, 6, 12, tzinfo=timezone.utc)
T0 = NOW.timestamp() - 3 * 3600  # three hours ago: the sessions have ended


def rasa_events(sender, start, topic="track_order"):
    """A conversation as Rasa's tracker store holds it: whole events."""
    at = iter(start + n for n in range(100))
    return [
        {"event": "action", "name": "action_session_start", "timestamp": next(at)},
        {"event": "session_started", "timestamp": next(at)},
        {"event": "action", "name": "action_listen", "timestamp": next(at)},
        {"event": "user", "text": f"where is 40512345 ({sender})", "timestamp": next(at), "input_channel": "rest",
         "parse_data": {"intent": {"name": topic, "confidence": 0.9}, "language": {"code": "en"}}},
        {"event": "action", "name": "action_order_status", "timestamp": next(at)},
        {"event": "slot", "name": "order_situation", "value": "in_transit", "timestamp": next(at)},
        {"event": "bot", "text": "It shipped", "metadata": {"utter_action": "utter_order_status"}, "timestamp": next(at)},
        {"event": "action", "name": "action_listen", "timestamp": next(at)},
    ]


class World:
    def __init__(self, tmp_path):
        self.tracker_path = tmp_path / "tracker.db"
        with sqlite3.connect(self.tracker_path) as db:  # rasa.core.tracker_store.SQLTrackerStore.SQLEvent
            db.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255), type_name VARCHAR(255), "
                       "timestamp FLOAT, intent_name VARCHAR(255), action_name VARCHAR(255), data TEXT)")
        self.engine = store.connect(f"sqlite:///{tmp_path / 'insights.db'}")
        self.clock = NOW
        self.insights = Ingest(self.engine, Conversations(f"sqlite:///{self.tracker_path}"), clock=lambda: self.clock)

    def said(self, sender, events, in_feed=True):
        """Rasa stores the events; the broker writes them to the feed, or doesn't."""
        with sqlite3.connect(self.tracker_path) as db:
            db.executemany("INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (?, ?, ?, ?)",
                           [(sender, e["event"], e["timestamp"], json.dumps(e)) for e in events])
        if in_feed:
            with self.engine.begin() as connection:
                connection.execute(store.events.insert(), [{"sender_id": sender, "data": json.dumps(minimal(e))}
                                                           for e in events])

    def count(self, query):
        with self.engine.connect() as connection:
            return connection.execute(sa.text(query)).scalar()


@pytest.fixture
def world(tmp_path):
    return World(tmp_path)


def test_the_feed_becomes_records_as_it_grows(world):
    world.said("conv-a", rasa_events("conv-a", T0))
    assert world.insights.ingest() == 1
    assert world.count("SELECT outcome FROM conversation_records") == "resolved"
    assert world.insights.ingest() == 0  # nothing new: nothing rebuilt
    world.said("conv-b", rasa_events("conv-b", T0 + 60))
    assert world.insights.ingest() == 1
    assert world.count("SELECT count(*) FROM conversation_records") == 2


def test_a_conversation_the_feed_missed_is_filled_from_the_tracker_store(world):
    world.said("conv-a", rasa_events("conv-a", T0))
    world.said("conv-lost", rasa_events("conv-lost", T0 + 60), in_feed=False)  # the broker was down
    half = rasa_events("conv-half", T0 + 120)
    world.said("conv-half", half[:4])
    world.said("conv-half", half[4:], in_feed=False)  # the server stopped with these queued
    world.insights.ingest()
    assert world.count("SELECT count(*) FROM conversation_records") == 2  # conv-a, conv-half (unanswered)

    assert world.insights.reconcile() == 8 + 4
    assert world.count("SELECT count(*) FROM conversation_records") == 3
    assert world.count("SELECT count(*) FROM conversation_records WHERE outcome = 'resolved'") == 3
    assert world.count("SELECT count(*) FROM events") == 3 * 8  # the feed is whole again, once
    assert world.insights.reconcile() == 0
    world.insights.ingest()  # reads what the reconciler added: rebuilt the same
    assert world.count("SELECT count(*) FROM conversation_records WHERE outcome = 'resolved'") == 3


def test_the_reconciler_leaves_the_latest_events_to_the_broker(world):
    world.said("conv-now", rasa_events("conv-now", NOW.timestamp() - GRACE_S / 2), in_feed=False)
    assert world.insights.reconcile() == 0
    world.clock = datetime.fromtimestamp(NOW.timestamp() + GRACE_S, timezone.utc)
    assert world.insights.reconcile() == 8


def test_the_same_event_in_the_feed_twice_counts_once(world):
    events = rasa_events("conv-a", T0)
    world.said("conv-a", events)
    with world.engine.begin() as connection:  # the reconciler and a late broker both wrote it
        connection.execute(store.events.insert(), [{"sender_id": "conv-a", "data": json.dumps(minimal(events[3]))}])
    world.insights.ingest()
    assert world.count("SELECT customer_messages FROM conversation_records") == 1


def test_records_and_review_items_name_a_random_id_not_rasas(world):
    events = rasa_events("whatsapp:+15550001234", T0, topic="nlu_fallback")
    events[6]["metadata"] = {"utter_action": "utter_did_you_mean"}
    world.said("whatsapp:+15550001234", events)
    world.insights.ingest()
    with world.engine.connect() as connection:
        rows = [dict(r._mapping) for table in (store.records, store.review_items)
                for r in connection.execute(sa.select(table))]
    assert len(rows) == 2 and "15550001234" not in json.dumps(rows, default=str)
    assert "[order]" in rows[1]["text"]


def test_a_label_outlives_the_rebuild_of_its_conversation(world):
    events = rasa_events("conv-a", T0, topic="nlu_fallback")
    events[6]["metadata"] = {"utter_action": "utter_did_you_mean"}
    world.said("conv-a", events)
    world.insights.ingest()
    with world.engine.begin() as connection:
        connection.execute(store.review_items.update().values(label="track_order", labelled_by="maria"))
    world.said("conv-a", rasa_events("conv-a", T0 + 600)[3:])  # the customer wrote again
    world.insights.ingest()
    assert world.count("SELECT label FROM review_items") == "track_order"


def test_a_session_ends_an_hour_after_its_last_event_and_gets_its_outcome(world):
    world.clock = datetime.fromtimestamp(T0 + 600, timezone.utc)
    world.said("conv-a", rasa_events("conv-a", T0))
    world.insights.ingest()
    assert world.count("SELECT outcome FROM conversation_records") == "ongoing"
    assert world.insights.settle() == 0  # not idle for an hour yet: nothing to rebuild
    world.clock = datetime.fromtimestamp(T0 + 3700, timezone.utc)
    assert world.insights.settle() == 1
    assert world.count("SELECT outcome FROM conversation_records") == "resolved"
