"""The feed of the support team's insights: Rasa's SQL event broker, off the event loop (the
default), and Rasa's RabbitMQ broker sending the feed's form (the scaled setup).

Rasa's SQLEventBroker writes each event in its own transaction, on the event loop that answers
every customer: a commit per event, ~10 events a turn, each conversation waiting on the disk.
This one keeps Rasa's table and settings (endpoints.yml: `event_broker`, dialect, db ...) and
its rows (id, sender_id, data), but `publish` only queues the event; a thread writes what is
queued in one transaction every FLUSH_S, in the form insights/feed.py keeps (no identifiers,
only what the insights read).

While the database is down the queue holds up to QUEUED events and the thread retries, with a
longer wait each time; past that the oldest are dropped, and said so in the log. Nothing is lost
for good: the tracker store holds every event, and the insights' reconciler
(insights/ingest.py) fills what the feed misses from there, as it does for what a Rasa server
stopped mid-flush had queued.
"""
import json
import logging
import threading
from collections import deque
from typing import Any, Deque, Dict, List, Optional, Text

from rasa.core.brokers.pika import PikaEventBroker
from rasa.core.brokers.sql import SQLEventBroker
import sqlalchemy
from sqlalchemy.exc import SQLAlchemyError

from insights.feed import minimal

logger = logging.getLogger(__name__)

FLUSH_S = 0.5  # how often the queue is written
BATCH = 2_000  # events a transaction at most
QUEUED = 200_000  # events held while the database is down (a few hundred MB at most)
MAX_RETRY_S = 30.0


class BufferedSQLEventBroker(SQLEventBroker):
    """SQLEventBroker whose events are written in batches by a thread (see the module)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.engine.dialect.name == "sqlite":
            with self.engine.connect() as connection:  # readers (the insights) don't block writes
                connection.exec_driver_sql("PRAGMA journal_mode=WAL")
            # A commit need not wait for the disk: a power cut loses at most the latest batches,
            # which the reconciler fills back from the tracker store.
            sqlalchemy.event.listen(self.engine, "connect",
                                    lambda connection, _: connection.execute("PRAGMA synchronous=NORMAL"))
        self._queue: Deque[Dict[Text, Any]] = deque(maxlen=QUEUED)
        self._dropped = 0
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="event-broker", daemon=True)
        self._thread.start()

    def publish(self, event: Dict[Text, Any]) -> None:
        """Queues the event (Rasa calls this on its event loop: nothing here waits)."""
        if len(self._queue) == QUEUED:
            self._dropped += 1  # deque drops the oldest: the reconciler fills it back
        self._queue.append(event)

    def is_ready(self) -> bool:
        return self._thread.is_alive()

    async def close(self) -> None:
        """Writes what is queued before the server stops (a few seconds at most)."""
        self._stopping.set()
        self._wake.set()
        self._thread.join(timeout=10)

    def _take(self) -> List[Dict[Text, Any]]:
        batch = []
        while self._queue and len(batch) < BATCH:
            batch.append(self._queue.popleft())
        return batch

    def _write(self, batch: List[Dict[Text, Any]]) -> None:
        rows = [{"sender_id": event.get("sender_id"), "data": json.dumps(minimal(event))} for event in batch]
        with self.engine.begin() as connection:
            connection.execute(self.SQLBrokerEvent.__table__.insert(), rows)

    def _run(self) -> None:
        wait, failing = FLUSH_S, False
        while True:
            self._wake.wait(wait)
            stopping = self._stopping.is_set()
            while self._queue:
                batch = self._take()
                try:
                    self._write(batch)
                except SQLAlchemyError as error:
                    self._queue.extendleft(reversed(batch))  # first out, first written again
                    if not failing:
                        logger.warning("insights feed: events not written, kept and retried (%s)",
                                       type(error).__name__)
                    failing, wait = True, min(max(wait, FLUSH_S) * 2, MAX_RETRY_S)
                    break
                if failing:
                    logger.info("insights feed: writing again")
                failing, wait = False, FLUSH_S
            if self._dropped:
                logger.warning("insights feed: %d events dropped while the database was down; "
                               "the reconciler fills them from the tracker store", self._dropped)
                self._dropped = 0
            if stopping and (not self._queue or failing):
                return


class MinimalPikaEventBroker(PikaEventBroker):
    """Rasa's RabbitMQ broker (endpoints.scaled.yml: the scaled setup's feed), sending each event
    in the feed's form (insights/feed.py): the bus, its queue and Rasa's own log lines about
    them then hold no customer's identifier. The handoff service's reader
    (insights/rabbitmq_feed.py) writes them into the feed's table. Keeping an event costs ~20
    µs on the event loop, where Rasa's broker publishes."""

    def publish(self, event: Dict[Text, Any], headers: Optional[Dict[Text, Text]] = None) -> None:
        super().publish({"sender_id": event.get("sender_id"), **minimal(event)}, headers)
