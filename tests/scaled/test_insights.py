"""The insights on the scaled setup (README, "Insights"): conversations across two Rasa replicas
through nginx, while RabbitMQ, which carries the feed, is down for a while, then the insights'
PostgreSQL database refuses every connection for a while, and a replica is killed with events it
could not publish: every conversation has its record, and the feed holds every event the
tracker store holds."""
import json
import os
import signal
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from test_replicas import Turn, say
import requests

pytestmark = pytest.mark.scaled

CONVERSATIONS = 12
SCRIPT = ["hello", "where is my order 40512351", "ana.martin@example.com", "when will my refund arrive?", "thanks"]


def rabbitmq(scaled):
    return next(service for service in scaled.infrastructure if service.name == "RabbitMQ")


def insights_down(scaled, down: bool) -> None:
    """The insights' database refuses connections (and drops the open ones), or takes them again."""
    scaled.postgres.psql(f"ALTER DATABASE insights ALLOW_CONNECTIONS {'false' if down else 'true'}")
    if down:
        scaled.postgres.psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'insights'")


def counts(scaled, database: str, senders) -> dict:
    quoted = ",".join(f"'{sender}'" for sender in senders)
    distinct = "count(DISTINCT data)" if database == "insights" else "count(*)"
    rows = scaled.postgres.psql(f"SELECT json_build_object('sender', sender_id, 'count', {distinct}) FROM events "
                                f"WHERE sender_id IN ({quoted}) GROUP BY sender_id", database)
    return {row["sender"]: row["count"] for row in map(json.loads, rows.splitlines())}


def recorded(scaled, senders) -> dict:
    quoted = ",".join(f"'{sender}'" for sender in senders)
    rows = scaled.postgres.psql(
        "SELECT json_build_object('sender', c.sender_id, 'topics', (SELECT json_agg(topic) FROM conversation_topics "
        "WHERE record_id = r.id)) FROM conversation_records r JOIN insights_conversations c ON r.conversation = c.id "
        f"WHERE c.sender_id IN ({quoted})", "insights")
    return {row["sender"]: row["topics"] for row in map(json.loads, rows.splitlines())}


def test_an_outage_and_a_killed_replica_lose_no_record(scaled):
    senders = [f"insights-test-{uuid.uuid4().hex[:12]}" for _ in range(CONVERSATIONS)]
    answered = []
    lock = threading.Lock()

    def converse(sender):
        session = requests.Session()
        for number, message in enumerate(SCRIPT, start=1):
            turn = say(session, scaled.rest_webhook, Turn(sender, number, message))
            with lock:
                answered.append(turn)
            time.sleep(0.3)

    replica = scaled.service("Rasa server 2")
    with ThreadPoolExecutor(CONVERSATIONS) as pool:
        running = [pool.submit(converse, sender) for sender in senders]
        while len(answered) < CONVERSATIONS:
            time.sleep(0.05)
        bus = rabbitmq(scaled)
        os.killpg(bus.process.pid, signal.SIGKILL)  # the replicas keep what they can't publish
        bus.process.wait()
        while len(answered) < 2 * CONVERSATIONS:
            time.sleep(0.05)
        scaled.take_out(replica)
        os.killpg(replica.process.pid, signal.SIGKILL)  # what it couldn't publish dies with it
        replica.process.wait()
        bus.start()
        bus.wait_ready(60)
        insights_down(scaled, True)  # the feed's reader waits, its messages stay in the queue
        while len(answered) < 3 * CONVERSATIONS:
            time.sleep(0.05)
        insights_down(scaled, False)
        replica.start()
        replica.wait_ready(180)
        scaled.put_back()
        for future in running:
            future.result()
    assert [t.request_id for t in answered if t.status != 200] == []  # customers were answered throughout

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        in_store, in_feed = counts(scaled, "tracker", senders), counts(scaled, "insights", senders)
        if in_feed == in_store and len(recorded(scaled, senders)) == CONVERSATIONS:
            break
        time.sleep(1)
    assert in_feed == in_store
    topics = recorded(scaled, senders)
    assert all(sorted(found or []) == ["refund_status", "track_order"] for found in topics.values()), topics


def test_the_feed_comes_over_rabbitmq(scaled):
    """Faster than the reconciler may fill it (it leaves the broker 5 s here): the bus carried it."""
    sender = f"insights-bus-{uuid.uuid4().hex[:12]}"
    session = requests.Session()
    for number, message in enumerate(["hello", "how long is the return label valid?"], start=1):
        assert say(session, scaled.rest_webhook, Turn(sender, number, message)).status == 200
    said = time.monotonic()
    while time.monotonic() - said < 2.5:
        if counts(scaled, "insights", [sender]) == counts(scaled, "tracker", [sender]):
            break
        time.sleep(0.2)
    assert counts(scaled, "insights", [sender]) == counts(scaled, "tracker", [sender])
