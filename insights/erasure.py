"""Erasure and retention for the insights (`make forget`, tools/forget.py): what the insights
hold of a conversation goes with it, its feed, records and messages under review alike."""
from typing import Collection

import sqlalchemy as sa

from insights.store import conversations, events, records, review_items, topics


def forget(engine: sa.engine.Engine, sender_ids: Collection[str]) -> int:
    """Deletes everything the insights hold of these conversation ids (Rasa's); returns how many
    records went. A database the insights never created has nothing to delete."""
    if not sender_ids or not sa.inspect(engine).has_table(events.name):
        return 0
    senders = sorted(sender_ids)
    with engine.begin() as connection:
        connection.execute(events.delete().where(events.c.sender_id.in_(senders)))
        if not sa.inspect(connection).has_table(conversations.name):
            return 0
        ids = [row[0] for row in connection.execute(
            sa.select(conversations.c.id).where(conversations.c.sender_id.in_(senders)))]
        if not ids:
            return 0
        doomed = [row[0] for row in connection.execute(sa.select(records.c.id).where(records.c.conversation.in_(ids)))]
        connection.execute(topics.delete().where(topics.c.record_id.in_(doomed)))
        connection.execute(records.delete().where(records.c.conversation.in_(ids)))
        connection.execute(review_items.delete().where(review_items.c.conversation.in_(ids)))
        connection.execute(conversations.delete().where(conversations.c.id.in_(ids)))
    return len(doomed)
