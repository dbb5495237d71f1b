"""The tracker store's events, read for the insights' reconciler (insights/ingest.py): the one
place the insights read Rasa's own storage, as handoff/conversations.py is the handoff service's.

Rasa's SQLTrackerStore `events` table (Rasa 3.6, as requirements/rasa.lock pins it;
stores/tracker_store.py is the project's subclass), by these columns only: sender_id,
timestamp and data (the event as JSON). The store is what every Rasa server writes first, shared
by the replicas: what the event broker's feed misses (a broker that was down, a server stopped
before it wrote its queue) is here.
"""
import json
from typing import Any, Collection, Dict, List

from sqlalchemy import bindparam, create_engine, text
from sqlalchemy.exc import OperationalError, ProgrammingError


class TrackerEvents:
    """Read only. A store Rasa hasn't created yet reads as empty."""

    def __init__(self, tracker_db_url: str):
        self._engine = create_engine(tracker_db_url)

    def active_since(self, timestamp: float) -> List[str]:
        """The conversation ids with an event after `timestamp` (seconds since the epoch)."""
        query = text("SELECT DISTINCT sender_id FROM events WHERE timestamp > :since")
        try:
            with self._engine.connect() as connection:
                return [row[0] for row in connection.execute(query, {"since": timestamp})]
        except (OperationalError, ProgrammingError):
            return []

    def counts(self, sender_ids: Collection[str], before: float) -> Dict[str, int]:
        """How many events each of these conversations has from before `before`."""
        query = text("SELECT sender_id, count(*) FROM events WHERE sender_id IN :senders AND timestamp < :before "
                     "GROUP BY sender_id").bindparams(bindparam("senders", expanding=True))
        try:
            with self._engine.connect() as connection:
                return dict(connection.execute(query, {"senders": sorted(sender_ids), "before": before}).all())
        except (OperationalError, ProgrammingError):
            return {}

    def of(self, sender_id: str) -> List[Dict[str, Any]]:
        """A conversation's events, as Rasa stored them, oldest first."""
        query = text("SELECT data FROM events WHERE sender_id = :sender ORDER BY id")
        try:
            with self._engine.connect() as connection:
                rows = connection.execute(query, {"sender": sender_id}).all()
        except (OperationalError, ProgrammingError):
            return []
        return [json.loads(data) for (data,) in rows]
