"""Run in the Rasa server's virtualenv by tests/test_tracker_store.py (the tests' own has no
Rasa): two turns of a logged-in customer's conversation, saved by the tracker store that
endpoints.yml-style settings name, as Rasa's message processor saves them. Prints JSON: the
store's class, the rows it wrote, what the turn's tracker held after saving, and the whole
conversation read back.

    python tests/tracker_store_scenario.py <tracker store type> <sqlite file> <token> <token>
"""
import asyncio
import json
import sqlite3
import sys

from rasa.core.tracker_store import TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.utils.endpoints import EndpointConfig


def message(text, token):
    intent = {"name": "order_status", "confidence": 0.97}
    return UserUttered(text, intent, [], {"text": text, "intent": intent, "entities": []}, input_channel="rest",
                       metadata={"customer_token": token, "page": "/orders"})


async def main(store_type, db, first_token, second_token):
    store = TrackerStore.create(EndpointConfig(type=store_type, dialect="sqlite", db=db), Domain.load("domain.yml"))
    # First turn: a new conversation, its session started with the message's metadata.
    tracker = await store.get_or_create_tracker("customer")
    for event in (SlotSet("session_started_metadata", {"customer_token": first_token}),
                  ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen"),
                  message("where is my order?", first_token)):
        tracker.update(event)
    await store.save(tracker)
    turn_metadata = tracker.latest_message.metadata
    # Second turn, as the next message's processing finds the conversation.
    tracker = await store.retrieve("customer")
    for event in (BotUttered("Your order shipped"), ActionExecuted("action_listen"), message("and when?", second_token)):
        tracker.update(event)
    await store.save(tracker)
    later = await store.retrieve_full_tracker("customer")
    with sqlite3.connect(db) as connection:
        rows = [json.loads(row[0]) for row in connection.execute("select data from events order by id")]
    print(json.dumps({
        "store": type(store).__name__,
        "rows": rows,
        "turn_metadata": turn_metadata,
        "read_back": [event.as_dict() for event in later.events],
    }))


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:]))
