"""What customers write while a person has their conversation, read from Rasa's own record of
it: the SQL tracker store's `events` table (SQLite by default, PostgreSQL when scaled out).
Reading the store Rasa already writes costs the conversation nothing; an event broker would
copy every event of every conversation for this one reader."""
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Collection, List

from sqlalchemy import bindparam, create_engine, text
from sqlalchemy.exc import OperationalError, ProgrammingError

# Rows are re-read this far back: with several Rasa servers writing, a lower id can commit
# after a higher one was read. Messages seen twice are stored once (store.Message.source_id).
RESCAN = 200
# At most this many messages a round; the rest next round.
LIMIT = 500


@dataclass(frozen=True)
class CustomerText:
    event_id: int
    conversation_id: str
    message_id: str
    text: str
    at: datetime


class Conversations:
    def __init__(self, tracker_db_url: str):
        self._engine = create_engine(tracker_db_url)

    def customer_messages_after(self, position: int, conversation_ids: Collection[str],
                                limit: int = LIMIT) -> List[CustomerText]:
        """What the customers of these conversations wrote after event `position` (and the
        RESCAN before it), oldest first, at most `limit`."""
        if not conversation_ids:
            return []
        query = text("SELECT id, sender_id, data FROM events WHERE type_name = 'user' AND id > :after "
                     "AND sender_id IN :conversations ORDER BY id LIMIT :limit"
                     ).bindparams(bindparam("conversations", expanding=True))
        try:
            with self._engine.connect() as connection:
                rows = connection.execute(query, {"after": max(0, position - RESCAN), "limit": limit,
                                                  "conversations": sorted(conversation_ids)}).all()
        except (OperationalError, ProgrammingError):
            return []  # Rasa hasn't created its store yet
        found = []
        for event_id, sender_id, data in rows:
            event = json.loads(data)
            found.append(CustomerText(event_id, sender_id, event.get("message_id") or f"event-{event_id}",
                                      event.get("text") or "",
                                      datetime.fromtimestamp(event.get("timestamp", 0), timezone.utc)))
        return found

    def last_event_id(self) -> int:
        try:
            with self._engine.connect() as connection:
                return connection.execute(text("SELECT COALESCE(MAX(id), 0) FROM events")).scalar_one()
        except (OperationalError, ProgrammingError):
            return 0
