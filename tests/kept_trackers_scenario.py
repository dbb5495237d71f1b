"""Run in the Rasa server's virtualenv by tests/test_kept_trackers.py: the tracker store's
kept trackers (stores/tracker_store.py) against what the database holds, with two store
instances on one database standing for two Rasa replicas. Prints JSON.

    python tests/kept_trackers_scenario.py <sqlite file> <token>
"""
import asyncio
import json
import sqlite3
import sys

from rasa.core.tracker_store import SQLTrackerStore, TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import EventVerbosity
from rasa.utils.endpoints import EndpointConfig

STORE = "stores.tracker_store.SQLTrackerStoreWithoutTokens"
loads = []  # conversations rebuilt from the database, in order
original_retrieve = SQLTrackerStore._retrieve


async def counting_retrieve(self, sender_id, fetch_events_from_all_sessions):
    loads.append(sender_id)
    return await original_retrieve(self, sender_id, fetch_events_from_all_sessions)


SQLTrackerStore._retrieve = counting_retrieve


def message(text, token):
    intent = {"name": "track_order", "confidence": 0.97}
    return UserUttered(text, intent, [], {"text": text, "intent": intent, "entities": []}, input_channel="rest",
                       metadata={"customer_token": token})


def state(tracker):
    return None if tracker is None else tracker.current_state(EventVerbosity.ALL)


async def turn(store, sender, text, token, answer="Your order shipped"):
    """One message answered, as Rasa's processor does it: retrieve, update, save."""
    tracker = await store.get_or_create_tracker(sender)
    for event in (message(text, token), SlotSet("order_id", "40512351"), BotUttered(answer),
                  ActionExecuted("action_listen")):
        tracker.update(event)
    await store.save(tracker)
    return tracker


async def main(db, token):
    domain = Domain.load("domain.yml")
    config = EndpointConfig(type=STORE, dialect="sqlite", db=db)
    replica, other_replica = TrackerStore.create(config, domain), TrackerStore.create(config, domain)
    results = {}

    # A new conversation; after its session's start the tracker is read back once (the
    # database's session leaves out what came before SessionStarted), then kept.
    await store_session_start(replica, "ana", token)
    loads.clear()
    first = await turn(replica, "ana", "where is it now?", token)
    results["turn_after_session_start_loads"] = list(loads)
    loads.clear()
    second = await turn(replica, "ana", "when will it ship?", token)
    results["second_turn_same_tracker"] = second is first
    results["second_turn_loads"] = list(loads)
    results["kept_equals_database"] = state(second) == state(await other_replica.retrieve("ana"))
    results["kept_holds_no_token"] = token not in json.dumps(state(second))

    # Another replica answers a turn: the first sees it, not its own older copy.
    await turn(other_replica, "ana", "and the label?", token, answer="The label is valid for 14 days")
    loads.clear()
    after_other = await replica.retrieve("ana")
    results["after_other_replica_loads"] = list(loads)
    results["after_other_replica_equals_database"] = state(after_other) == state(await other_replica.retrieve("ana"))
    await replica.save(after_other)

    # A turn that fails before saving leaves nothing behind.
    failed = await replica.retrieve("ana")
    failed.update(message("this turn fails", token))
    loads.clear()
    retried = await replica.retrieve("ana")
    results["after_failed_turn_loads"] = list(loads)
    results["after_failed_turn_equals_database"] = state(retried) == state(await other_replica.retrieve("ana"))
    results["failed_message_absent"] = "this turn fails" not in json.dumps(state(retried))
    await replica.save(retried)

    # Two callers at once never share one tracker object.
    held = await replica.retrieve("ana")
    results["second_caller_gets_own_copy"] = (await replica.retrieve("ana")) is not held
    await replica.save(held)

    # An erasure (make forget deletes the rows) is seen at once.
    await replica.retrieve("ana")
    with sqlite3.connect(db) as connection:
        connection.execute("delete from events where sender_id = 'ana'")
    results["after_erasure"] = state(await replica.retrieve("ana"))

    # Everything written once, in order: the database holds what Rasa's own store would.
    await store_session_start(replica, "ben", token)
    for text in ("one", "two", "three"):
        await turn(replica, "ben", text, token)
    with sqlite3.connect(db) as connection:
        rows = [json.loads(row[0]) for row in
                connection.execute("select data from events where sender_id = 'ben' order by id")]
    results["ben_texts"] = [row.get("text") for row in rows if row["event"] == "user"]
    results["ben_rows"] = len(rows)
    results["ben_tracker_events"] = len((await other_replica.retrieve("ben")).events)
    print(json.dumps(results))


async def store_session_start(store, sender, token):
    tracker = await store.get_or_create_tracker(sender)
    for event in (SlotSet("session_started_metadata", {"customer_token": token}),
                  ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen"),
                  message("where is my order?", token), BotUttered("Which order?"), ActionExecuted("action_listen")):
        tracker.update(event)
    await store.save(tracker)
    return tracker


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:]))
