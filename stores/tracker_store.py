"""Rasa's SQL tracker store, minus the customers' tokens.

The website sends a signed customer token with every message (`metadata.customer_token`).
Rasa 3.6 keeps each message's metadata with the message, and a new session's first one also
in the `session_started_metadata` slot: every token would stay in the database as long as
the conversation, a credential that lets anyone holding it sign in as that customer until
it expires, in every copy and backup of the database.

The action server needs only the latest message's token, and reads it from the tracker of
the turn being answered, which Rasa holds in memory; this store never changes that tracker.
Only what it writes (and what it streams to the event broker, stores/event_broker.py) goes
without the token. In its place: `claimed_customer_id`, the customer id the token names,
so that erasure (`make forget WHO=cus_ana`, tools/forget.py) still finds a logged-in
customer's conversations. Unverified, as its name says: the Rasa server has no key to check
tokens with, and needs none; nothing may trust it as an identity.

It also keeps the trackers it saved last in memory (`KEPT` conversations). Rasa's store
rebuilds a conversation's tracker on every message: every event read back, parsed and
replayed, 10% of the server's time under load. A kept tracker is handed out again when the
database still holds exactly what was saved (same number of events in the session, same
latest timestamp: one small query), so another replica's turn, a restart or an erasure is
seen; the tracker is then handed to one caller at a time, as Rasa's lock store hands out
the conversation. Kept trackers hold what the database holds: tokens replaced as stored.
"""
import base64
import itertools
import json
from collections import OrderedDict
from typing import Any, Dict, List, NamedTuple, Optional, Text, Tuple

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event, SessionStarted, SlotSet
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

# Conversations whose tracker stays in memory after a turn: more than are answered at once
# (a few hundred trackers of ~100 KB).
KEPT = 500

TOKEN_KEY = "customer_token"
CLAIMED_KEY = "claimed_customer_id"


def _subject(token: Any) -> Optional[str]:
    """The `sub` a JWT names, read without checking its signature."""
    try:
        payload = token.split(".")[1]
        subject = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))).get("sub")
    except (AttributeError, IndexError, ValueError, TypeError):
        return None
    return subject if isinstance(subject, str) and 0 < len(subject) <= 255 else None


def without_tokens(data: Any) -> Any:
    """A copy of event data with every customer token replaced by the id it claims, however
    deep (a message's metadata, the session_started_metadata slot's value)."""
    if isinstance(data, dict):
        clean = {}
        for key, value in data.items():
            if key != TOKEN_KEY:
                clean[key] = without_tokens(value)
            elif _subject(value):
                clean[CLAIMED_KEY] = _subject(value)
        return clean
    if isinstance(data, list):
        return [without_tokens(value) for value in data]
    return data


class _Stored(NamedTuple):
    event: Event  # the event itself when it holds no token, else a copy without
    data: Dict[Text, Any]
    text: Text  # the data as JSON, as the events table holds it


def _as_stored(event: Event) -> _Stored:
    data = event.as_dict()
    text = json.dumps(data)
    if f'"{TOKEN_KEY}"' not in text:  # most events: no copy, no second pass
        return _Stored(event, data, text)
    clean = without_tokens(data)
    return _Stored(Event.from_parameters(clean), clean, json.dumps(clean))


def _row(sender_id: Text, stored: _Stored) -> Dict[Text, Any]:
    """The events table's columns for one event, as Rasa's SQLTrackerStore fills them."""
    data = stored.data
    return {"sender_id": sender_id, "type_name": stored.event.type_name, "timestamp": data.get("timestamp"),
            "intent_name": (data.get("parse_data") or {}).get("intent", {}).get(INTENT_NAME_KEY),
            "action_name": data.get("name"), "data": stored.text}


class _Saved(NamedTuple):
    tracker: DialogueStateTracker
    stored: int  # how many of its events the database holds in the current session
    latest: Optional[float]  # the latest one's timestamp


def _latest_timestamp(tracker: DialogueStateTracker) -> Optional[float]:
    return max((event.timestamp for event in tracker.events), default=None)


def _as_stored_in_place(tracker: DialogueStateTracker, start: int, stored: List[Event]) -> None:
    """The tracker's events from `start` on replaced by `stored`, what the database holds (no
    tokens), and what the tracker derives from them (its latest message, slot values) with them."""
    for index, copy in enumerate(stored, start):
        event = tracker.events[index]
        if copy is event:
            continue
        tracker.events[index] = copy
        if tracker.latest_message is event:
            tracker.latest_message = copy
        if isinstance(event, SlotSet) and tracker.slots.get(event.key) is not None \
                and tracker.slots[event.key].value is event.value:
            tracker.slots[event.key].value = copy.value


class SQLTrackerStoreWithoutTokens(SQLTrackerStore):
    """SQLTrackerStore (same tables, same settings in endpoints.yml) that stores and streams
    events without customer tokens, and keeps the trackers it saved last."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._kept: "OrderedDict[Text, _Saved]" = OrderedDict()  # saved, by conversation
        self._handed_out: "OrderedDict[Text, _Saved]" = OrderedDict()  # retrieved, not yet saved
        table = self.SQLEvent.__tablename__
        # Plain SQL: compiling the ORM query cost more than running it.
        self._stamp_query = sa.text(
            f"SELECT count(e.id), max(e.timestamp) FROM {table} e, "
            f"(SELECT max(timestamp) AS start FROM {table} WHERE sender_id = :sender "
            f"AND type_name = :session_started) s "
            "WHERE e.sender_id = :sender AND (s.start IS NULL OR e.timestamp >= s.start)")
        if self.engine.dialect.name == "sqlite":
            # Write-ahead log: a turn's commit no longer blocks readers (the handoff service,
            # make forget), and commits cost less. The mode stays with the file.
            with self.engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA journal_mode=WAL")
            # With the log, a commit need not wait for the disk: a crash of the process loses
            # nothing, a power cut at most the last turns, never the file (7% of the server's
            # time under load went to waiting). Set on every connection: it doesn't persist.
            sa.event.listen(self.engine, "connect",
                            lambda connection, _: connection.execute("PRAGMA synchronous=NORMAL"))

    def _stamp(self, sender_id: Text, connection: Optional[Any] = None) -> Tuple[int, Optional[float]]:
        """How many events the database holds in the conversation's current session, and the
        latest one's timestamp."""
        if connection is None:
            with self.engine.connect() as connection:
                return self._stamp(sender_id, connection)
        count, latest = connection.execute(
            self._stamp_query, {"sender": sender_id, "session_started": SessionStarted.type_name}).one()
        return count, latest

    async def retrieve(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        kept = self._kept.pop(sender_id, None)
        if kept is not None and self._stamp(sender_id) == (kept.stored, kept.latest):
            tracker = kept.tracker
        else:
            tracker = await super().retrieve(sender_id)
        if tracker is not None:
            self._remember(self._handed_out, sender_id, _Saved(tracker, len(tracker.events), None))
        return tracker

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Appends the events not yet stored, as Rasa's SQLTrackerStore does (same rows), in
        one multi-row insert: its ORM unit of work took 9% of the server's time under load."""
        sender_id = tracker.sender_id
        handed_out = self._handed_out.pop(sender_id, None)
        with self.engine.begin() as connection:
            # Known when this store handed the tracker out (the conversation's lock keeps
            # others from writing meanwhile), else counted as Rasa counts it.
            if handed_out is not None and handed_out.tracker is tracker:
                start = handed_out.stored
            else:
                start = self._stamp(sender_id, connection)[0]
            stored = [_as_stored(event) for event in itertools.islice(tracker.events, start, None)]
            if stored:
                connection.execute(self.SQLEvent.__table__.insert(), [_row(sender_id, row) for row in stored])
        self._publish(sender_id, stored)
        new = [row.event for row in stored]
        # A new session changes what "the current session" counts: read it back next time.
        if any(isinstance(event, SessionStarted) for event in new):
            self._kept.pop(sender_id, None)
            return
        _as_stored_in_place(tracker, start, new)
        self._remember(self._kept, sender_id, _Saved(tracker, len(tracker.events), _latest_timestamp(tracker)))

    @staticmethod
    def _remember(trackers: "OrderedDict[Text, _Saved]", sender_id: Text, saved: _Saved) -> None:
        trackers[sender_id] = saved
        trackers.move_to_end(sender_id)
        while len(trackers) > KEPT:
            trackers.popitem(last=False)

    def _publish(self, sender_id: Text, stored: List[_Stored]) -> None:
        """The event broker gets the events just stored, as stored. Rasa's stream_events first
        reads the whole tracker back to find which are new, a second retrieve every turn; here
        they are known."""
        if self.event_broker is not None:
            for row in stored:
                self.event_broker.publish({"sender_id": sender_id, **row.data})
