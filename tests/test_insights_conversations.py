"""Real conversations, through the real Rasa server, its event broker and the handoff service's
reader, become the insights' records; a feed whose database is down and a Rasa server killed
with events still queued lose none of them."""
import os
import signal
import sqlite3
import time
from contextlib import contextmanager

import pytest

from customer_chat import Chat

# The session's assistant (conftest.py), whose insights' reader is quick (FAST_INSIGHTS).
pytestmark = pytest.mark.e2e


def recorded(assistant, chat, timeout=30.0):
    """The records of a conversation, once the reader has them (each a dict)."""
    deadline = time.monotonic() + timeout
    while True:
        with sqlite3.connect(assistant.insights_db, timeout=30) as db:
            db.row_factory = sqlite3.Row
            rows = [dict(row) for row in db.execute(
                "SELECT r.* FROM conversation_records r JOIN insights_conversations c ON r.conversation = c.id "
                "WHERE c.sender_id = ? ORDER BY r.started_at", (chat.sender,))] \
                if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'conversation_records'").fetchone() else []
            for row in rows:
                row["topics"] = [t for (t,) in db.execute("SELECT topic FROM conversation_topics WHERE record_id = ?",
                                                          (row["id"],))]
        if rows or time.monotonic() > deadline:
            return rows
        time.sleep(0.2)


@contextmanager
def feed_down(assistant):
    """Another writer holds the feed's SQLite file locked: the broker can't write."""
    lock = sqlite3.connect(assistant.insights_db, timeout=30, isolation_level=None)
    lock.execute("BEGIN EXCLUSIVE")
    try:
        yield
    finally:
        lock.execute("ROLLBACK")
        lock.close()


def test_a_conversation_becomes_its_record(assistant):
    chat = Chat(assistant.rest_webhook)
    # Ben's order: tests/test_forget.py erases Ana's conversations and counts them.
    chat.say("where is my order 40512352")
    chat.say("ben.carter@example.com")
    chat.say("/nlu_fallback")
    chat.say("i want to talk to a person")
    [record] = recorded(assistant, chat)
    assert record["channel"] == "rest" and record["language"] == "en"
    assert record["topics"] == ["track_order"]
    assert record["identity"] == "verified" and record["order_lookups"] == 1
    assert record["outcome"] == "handed_over" and record["handoff_reason"] == "customer_asked"
    assert record["misunderstandings"] == 1 and record["customer_messages"] == 4
    assert 0 < record["first_answer_ms"] < 10_000


def test_an_outage_of_the_feed_during_traffic_loses_no_record(assistant):
    chats = [Chat(assistant.rest_webhook) for _ in range(4)]
    with feed_down(assistant):
        for chat in chats:
            started = time.monotonic()
            assert "tracking" in chat.text("where is my parcel?").lower() or chat.say("thanks")
            assert time.monotonic() - started < 10  # the customer is answered meanwhile
        time.sleep(6)  # longer than the broker's database waits for a lock
    assert all(recorded(assistant, chat, timeout=60) for chat in chats)


def test_a_rasa_server_killed_with_events_queued_loses_no_record(assistant):
    chats = [Chat(assistant.rest_webhook) for _ in range(3)]
    rasa = assistant.service("Rasa server")
    with feed_down(assistant):  # the events stay in the server's queue...
        for chat in chats:
            chat.say("when will my refund arrive?")
        os.killpg(rasa.process.pid, signal.SIGKILL)  # ... and die with it
        rasa.process.wait()
    rasa.start()
    rasa.wait_ready(180)
    records = [recorded(assistant, chat, timeout=60) for chat in chats]  # filled from the tracker store
    assert all(r and r[0]["topics"] == ["refund_status"] for r in records)
    with sqlite3.connect(assistant.insights_db) as db, sqlite3.connect(assistant.tracker_db) as tracker:
        for chat in chats:
            in_store = tracker.execute("SELECT count(*) FROM events WHERE sender_id = ?", (chat.sender,)).fetchone()[0]
            in_feed = db.execute("SELECT count(DISTINCT data) FROM events WHERE sender_id = ?",
                                 (chat.sender,)).fetchone()[0]
            assert in_feed == in_store
