"""Run in the Rasa server's virtualenv by tests/test_event_broker.py (the tests' own has no
Rasa): the insights' event broker as endpoints.yml configures it, fed by the project's tracker
store as Rasa's message processor feeds it, through an outage of its database. Prints JSON.

    python tests/event_broker_scenario.py <tracker sqlite file> <feed sqlite file>
"""
import asyncio
import json
import sqlite3
import sys
import time

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.utils.endpoints import EndpointConfig

from stores import event_broker

TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjdXNfYW5hIn0.c2lnbmF0dXJl"


def turn(text):
    intent = {"name": "track_order", "confidence": 0.97}
    return [UserUttered(text, intent, [], {"text": text, "intent": intent, "entities": []}, input_channel="rest",
                        metadata={"customer_token": TOKEN}),
            ActionExecuted("utter_greet"), BotUttered("Hello!", metadata={"utter_action": "utter_greet"}),
            ActionExecuted("action_listen")]


def rows(feed):
    with sqlite3.connect(feed) as db:
        return [(sender, json.loads(data)) for sender, data in db.execute("SELECT sender_id, data FROM events ORDER BY id")]


def wait_for(feed, count, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and len(rows(feed)) < count:
        time.sleep(0.1)
    return len(rows(feed))


async def main(tracker_db, feed):
    event_broker.FLUSH_S, event_broker.MAX_RETRY_S = 0.1, 0.5  # a quick test, same logic
    broker = await EventBroker.create(EndpointConfig(type="stores.event_broker.BufferedSQLEventBroker",
                                                     dialect="sqlite", db=feed))
    store = TrackerStore.create(EndpointConfig(type="stores.tracker_store.SQLTrackerStoreWithoutTokens",
                                               dialect="sqlite", db=tracker_db), Domain.load("domain.yml"))
    store.event_broker = broker
    result = {"broker": type(broker).__name__}

    tracker = await store.get_or_create_tracker("customer-1")
    started = time.perf_counter()
    for event in turn("where is order 40512345? ana@example.com"):
        tracker.update(event)
    await store.save(tracker)
    result["save_ms"] = (time.perf_counter() - started) * 1000
    with sqlite3.connect(tracker_db) as db:
        result["stored"] = db.execute("SELECT count(*) FROM events").fetchone()[0]
    result["written"] = wait_for(feed, result["stored"])
    result["first_user_event"] = next(data for _, data in rows(feed) if data["event"] == "user")

    # The feed's database is locked by another writer (an outage as the broker sees it): turns
    # go on, the events wait in the queue, and are written once it is free again.
    lock = sqlite3.connect(feed, timeout=0, isolation_level=None)
    lock.execute("BEGIN EXCLUSIVE")
    outage_started = time.perf_counter()
    for n in range(5):
        for event in turn(f"message {n} during the outage"):
            tracker.update(event)
        await store.save(tracker)
    result["saves_during_outage_ms"] = (time.perf_counter() - outage_started) * 1000
    time.sleep(1.0)
    lock.execute("ROLLBACK")
    lock.close()
    with sqlite3.connect(tracker_db) as db:
        result["stored_after_outage"] = db.execute("SELECT count(*) FROM events").fetchone()[0]
    result["written_after_outage"] = wait_for(feed, result["stored_after_outage"])
    result["texts"] = [data.get("text") for _, data in rows(feed) if data["event"] == "user"]
    await broker.close()
    print(json.dumps(result))


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:3]))
