"""How the handoff service reads the conversations a person holds: the one module of the
service that touches Rasa's storage (handoff/tests/test_worker.py checks that no other does).
The rest of the service sees only this interface:

    conversations = Conversations(settings.tracker_db_url)
    position = conversations.last_event_id()          # a cursor: where reading starts
    conversations.said_after(position, {"conv-1"})    # -> [Said(...)], oldest first
    conversations.slots("conv-1", SLOTS_READ)         # -> {"handoff_state": "open", ...}

and, for the insights' reconciler (insights/ingest.py), which fills from here what the insights'
feed missed:

    conversations.active_since(timestamp)              # -> ["conv-1", ...]
    conversations.counts(["conv-1"], before)           # -> {"conv-1": 42}
    conversations.events_of("conv-1")                  # -> [event as Rasa stored it, ...]

Both sides are read: what the customer writes (for the agent), and what the assistant tells the
customer after the handoff opened (the wait it promised), so the agent reads the conversation as
the customer saw it. The tracker is the one record of both; the ticket the action server sends
holds the conversation up to the handoff only. What the service writes goes the other way,
through Rasa's HTTP API (handoff/rasa_api.py), so that Rasa runs it and sends it to the channel.

Why the tracker store and not Rasa's HTTP API or an event broker: the HTTP API has no "what was
said since" across conversations. GET /conversations/<id>/tracker answers with one
conversation's whole tracker, every event since it began; following each held conversation
twice a second that way would have the Rasa servers that answer customers load and serialise
whole trackers (and start a session in any they don't know yet), with no cursor to read on
from. The insights' event broker (stores/event_broker.py) keeps only redacted events, nothing an
agent can read, and may miss some; the store is the whole record. The store is what Rasa writes anyway, shared by every replica
(SQLite by default, PostgreSQL when scaled out), and its events' ids are a cursor: one indexed
query a round reads the held conversations' new messages, and costs the conversations nothing.

The price is reading a table Rasa owns: rasa.core.tracker_store.SQLTrackerStore's `events`
(Rasa 3.6, as requirements/rasa.lock pins it; stores/tracker_store.py is the project's
subclass), by these columns only: id, sender_id, type_name ('user', 'bot', 'slot'),
action_name (a slot event's slot), timestamp and data (the event as JSON). A Rasa upgrade that changes
them changes this module alone; handoff/tests/test_worker.py creates the table as Rasa does.
"""
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Collection, Dict, List, Optional

from sqlalchemy import bindparam, create_engine, text
from sqlalchemy.exc import OperationalError, ProgrammingError

from handoff.assistant_contract import AGENT_KEY, NOTICE_KEY
from handoff.wording import WORDING

# Rows are re-read this far back: with several Rasa servers writing, a lower id can commit
# after a higher one was read. Messages seen twice are stored once (store.Message.source_id).
RESCAN = 200
# At most this many messages a round; the rest next round.
LIMIT = 500
CUSTOMER, ASSISTANT = "customer", "assistant"
# The assistant's intent for a return photo a channel relayed (/photo_received{...}).
PHOTO_RECEIVED = "photo_received"


@dataclass(frozen=True)
class Said:
    event_id: int
    conversation_id: str
    message_id: str
    author: str  # CUSTOMER or ASSISTANT
    text: str  # a tapped button's payload ("/human_handoff") in words
    at: datetime
    intent: Optional[str] = None  # the customer's, as Rasa's NLU read it


def _customer_words(event: Dict[str, Any]) -> str:
    # The channel sends a tapped button as its payload; the customer read its title.
    said = event.get("text") or ""
    if not said.startswith("/"):
        return said
    parsed = event.get("parse_data") or {}
    intent = (parsed.get("intent") or {}).get("name") or said[1:].split("{")[0]
    if intent == PHOTO_RECEIVED:
        return _photo_words({e.get("entity"): e.get("value") for e in parsed.get("entities") or []})
    return WORDING["tapped"].get(intent) or intent.replace("_", " ")


def _photo_words(said: Dict[str, Any]) -> str:
    """A return photo the customer sent, as the agent reads it: its slot, and whether it was kept."""
    slot = WORDING["desk"]["photo_slots"].get(said.get("photo_slot") or "")
    check = str(said.get("photo_check") or "")
    if slot is None or not check:
        return WORDING["photo_sent"]["other"]
    if check == "accepted":
        return WORDING["photo_sent"]["kept"].format(slot=slot)
    return WORDING["photo_sent"]["refused"].format(slot=slot, reason=check.replace("_", " "))


def _assistant_words(event: Dict[str, Any]) -> Optional[str]:
    metadata = event.get("metadata") or {}
    if AGENT_KEY in metadata or NOTICE_KEY in metadata:
        return None  # this service sent it, and has it already
    # A card's sentence is in its custom payload (the website widget's answers).
    return event.get("text") or ((event.get("data") or {}).get("custom") or {}).get("text")


class Conversations:
    """The conversations in Rasa's tracker store, read only. A store Rasa hasn't created yet
    reads as empty."""

    def __init__(self, tracker_db_url: str):
        self._engine = create_engine(tracker_db_url)

    def said_after(self, position: int, conversation_ids: Collection[str], limit: int = LIMIT) -> List[Said]:
        """What the customers of these conversations wrote, and the assistant told them, after
        event `position` (and the RESCAN before it), oldest first, at most `limit`."""
        if not conversation_ids:
            return []
        query = text("SELECT id, sender_id, type_name, data FROM events WHERE type_name IN ('user', 'bot') "
                     "AND id > :after AND sender_id IN :conversations ORDER BY id LIMIT :limit"
                     ).bindparams(bindparam("conversations", expanding=True))
        rows = self._rows(query, {"after": max(0, position - RESCAN), "limit": limit,
                                  "conversations": sorted(conversation_ids)})
        found = []
        for event_id, sender_id, type_name, data in rows:
            event = json.loads(data)
            at = datetime.fromtimestamp(event.get("timestamp", 0), timezone.utc)
            if type_name == "user":
                intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
                found.append(Said(event_id, sender_id, event.get("message_id") or f"event-{event_id}", CUSTOMER,
                                  _customer_words(event), at, intent))
            elif (said := _assistant_words(event)) is not None:
                found.append(Said(event_id, sender_id, f"event-{event_id}", ASSISTANT, said, at))
        return found

    def slots(self, conversation_id: str, names: Collection[str]) -> Dict[str, Any]:
        """The latest values of these slots in the conversation (unset ones are absent)."""
        query = text("SELECT action_name, data FROM events WHERE sender_id = :conversation AND type_name = 'slot' "
                     "AND action_name IN :names ORDER BY id").bindparams(bindparam("names", expanding=True))
        rows = self._rows(query, {"conversation": conversation_id, "names": sorted(names)})
        return {name: json.loads(data).get("value") for name, data in rows}

    def last_event_id(self) -> int:
        """The position of the newest event of any conversation (0 for none): said_after(it)
        reads what is said from now on."""
        try:
            with self._engine.connect() as connection:
                return connection.execute(text("SELECT COALESCE(MAX(id), 0) FROM events")).scalar_one()
        except (OperationalError, ProgrammingError):
            return 0

    def active_since(self, timestamp: float) -> List[str]:
        """The conversation ids with an event after `timestamp` (seconds since the epoch)."""
        return [row[0] for row in self._rows(text("SELECT DISTINCT sender_id FROM events WHERE timestamp > :since"),
                                             {"since": timestamp})]

    def counts(self, conversation_ids: Collection[str], before: float) -> Dict[str, int]:
        """How many events each of these conversations has from before `before`."""
        query = text("SELECT sender_id, count(*) FROM events WHERE sender_id IN :conversations "
                     "AND timestamp < :before GROUP BY sender_id").bindparams(bindparam("conversations", expanding=True))
        return dict(self._rows(query, {"conversations": sorted(conversation_ids), "before": before}))

    def events_of(self, conversation_id: str) -> List[Dict[str, Any]]:
        """A conversation's events, as Rasa stored them, oldest first."""
        query = text("SELECT data FROM events WHERE sender_id = :conversation ORDER BY id")
        return [json.loads(data) for (data,) in self._rows(query, {"conversation": conversation_id})]

    def _rows(self, query, values: Dict[str, Any]) -> List[Any]:
        try:
            with self._engine.connect() as connection:
                return connection.execute(query, values).all()
        except (OperationalError, ProgrammingError):
            return []  # Rasa hasn't created its store yet
