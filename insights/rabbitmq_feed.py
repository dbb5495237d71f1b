"""The feed from RabbitMQ (the scaled setup): the handoff service reads the queue Rasa's RabbitMQ
broker fills (stores/event_broker.MinimalPikaEventBroker, endpoints.scaled.yml) into the feed's
table, where the reader (insights/ingest.py) finds it as it finds the SQL broker's rows.

    RabbitFeed(engine, "amqp://insights:...@127.0.0.1:5672/%2F", "insights_events").run(stop)

A message is acknowledged once its row is committed, so one RabbitMQ or the database lost is
taken again when they are back (a message taken twice is one event: insights/feed.key). While
either is down, this waits and tries again, longer each time; Rasa's broker keeps what it could
not publish meanwhile, and the reconciler fills from the tracker store what was lost anyway (a
replica stopped with messages unpublished).
"""
import json
import logging
import threading
from typing import Any, Dict, List, Optional

import pika
import sqlalchemy as sa
from pika.exceptions import AMQPError

from insights.feed import minimal
from insights.store import events

logger = logging.getLogger(__name__)

BATCH = 500  # messages a transaction at most
WAIT_S = 0.5  # a batch is written when no message came for this long
MAX_RETRY_S = 30.0


class RabbitFeed:
    def __init__(self, engine: sa.engine.Engine, url: str, queue: str):
        self._engine = engine
        self._parameters = pika.URLParameters(url)
        self._queue = queue

    def run(self, stop: threading.Event) -> None:
        retry_s, failing = 1.0, False
        while not stop.is_set():
            try:
                self._consume(stop)
                return
            except (AMQPError, sa.exc.SQLAlchemyError, OSError) as error:
                if not failing:
                    logger.warning("insights: the RabbitMQ feed stopped (%s); trying again", type(error).__name__)
                failing = True
            stop.wait(retry_s)
            retry_s = min(retry_s * 2, MAX_RETRY_S)

    def _consume(self, stop: threading.Event) -> None:
        connection = pika.BlockingConnection(self._parameters)
        try:
            channel = connection.channel()
            channel.queue_declare(self._queue, durable=True)  # as Rasa's broker declares it
            channel.basic_qos(prefetch_count=BATCH)
            logger.info("insights: reading the RabbitMQ feed (queue %s)", self._queue)
            batch: List[Any] = []
            for method, _, body in channel.consume(self._queue, inactivity_timeout=WAIT_S):
                if method is not None:
                    batch.append((method.delivery_tag, body))
                if batch and (method is None or len(batch) >= BATCH):
                    self._write([body for _, body in batch])
                    channel.basic_ack(batch[-1][0], multiple=True)
                    batch = []
                if stop.is_set():
                    return
        finally:
            if connection.is_open:
                connection.close()

    def _write(self, bodies: List[bytes]) -> None:
        rows = [row for row in map(_row, bodies) if row is not None]
        if rows:
            with self._engine.begin() as connection:
                connection.execute(events.insert(), rows)


def _row(body: bytes) -> Optional[Dict[str, Any]]:
    """A message as the feed's row; None for one that isn't an event (acknowledged and dropped,
    with a line in the log: nothing else would ever take it)."""
    try:
        event = json.loads(body)
    except ValueError:
        event = None
    if not isinstance(event, dict) or "event" not in event:
        logger.warning("insights: a message in the RabbitMQ feed that isn't an event was dropped")
        return None
    return {"sender_id": event.get("sender_id"), "data": json.dumps(minimal(event))}


def start(feed: RabbitFeed) -> threading.Event:
    stop = threading.Event()
    threading.Thread(target=feed.run, args=(stop,), name="insights-rabbitmq", daemon=True).start()
    return stop
