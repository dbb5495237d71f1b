"""The insights' tables, in the insights database (INSIGHTS_DB_URL; var/insights.db by default,
PostgreSQL when scaled out):

- `events`: Rasa's SQL event broker's table (id, sender_id, data), the feed. Rasa's broker
  creates it; the reconciler adds the rows the feed missed (insights/ingest.py).
- `insights_conversations`: a random id for each of Rasa's conversation ids (a phone number on
  WhatsApp). Everything a team lead sees names the random one; only this table and the feed
  hold Rasa's, for erasure to find.
- `conversation_records`, `conversation_topics`: a record per conversation (a Rasa session), its
  topics apart so that SQL counts them (README, "Insights", defines each column).
- `review_items`: customers' messages the assistant misunderstood, redacted, and their labels.
- `insights_cursors`: how far the feed was read.

SQLAlchemy Core, which both SQLAlchemy 1.4 (Rasa's virtualenv: `make forget`) and 2.0 (the
handoff service) read the same way.
"""
from datetime import datetime, timezone
from typing import Optional

import sqlalchemy as sa

metadata = sa.MetaData()

# Rasa's rasa.core.brokers.sql.SQLEventBroker.SQLBrokerEvent, as Rasa 3.6 creates it.
events = sa.Table(
    "events", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sender_id", sa.String(255)),
    sa.Column("data", sa.Text),
)
# Rasa creates none; every rebuild reads one conversation's events.
events_by_sender = sa.Index("insights_events_sender", events.c.sender_id)

conversations = sa.Table(
    "insights_conversations", metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("sender_id", sa.String(255), nullable=False, unique=True),
)

records = sa.Table(
    "conversation_records", metadata,
    sa.Column("id", sa.String(48), primary_key=True),  # "<conversation>-<session number>"
    sa.Column("conversation", sa.String(32), nullable=False, index=True),
    sa.Column("started_at", sa.DateTime(timezone=True), nullable=False, index=True),
    sa.Column("ended_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("day", sa.String(10), nullable=False, index=True),  # started_at's date, UTC
    sa.Column("channel", sa.String(64)),
    sa.Column("language", sa.String(8)),
    sa.Column("identity", sa.String(16), nullable=False),  # logged_in, verified, anonymous
    sa.Column("order_lookups", sa.Integer, nullable=False),
    sa.Column("outcome", sa.String(16), nullable=False),  # resolved, handed_over, abandoned, ongoing
    sa.Column("handoff_reason", sa.String(64)),
    sa.Column("csat", sa.Boolean),  # the customer's "was it solved?", when asked and answered
    sa.Column("misunderstandings", sa.Integer, nullable=False),
    sa.Column("corrections", sa.Integer, nullable=False),  # "that's wrong"
    sa.Column("first_answer_ms", sa.Integer),
    sa.Column("customer_messages", sa.Integer, nullable=False),
)

topics = sa.Table(
    "conversation_topics", metadata,
    sa.Column("record_id", sa.String(48), primary_key=True),
    sa.Column("topic", sa.String(64), primary_key=True),
)

review_items = sa.Table(
    "review_items", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("key", sa.String(96), nullable=False, unique=True),  # conversation and message time
    sa.Column("conversation", sa.String(32), nullable=False, index=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("language", sa.String(8)),
    sa.Column("channel", sa.String(64)),
    sa.Column("kind", sa.String(16), nullable=False),  # fallback, clarification, wrong, handoff
    sa.Column("guesses", sa.Text, nullable=False),  # JSON: [[intent, confidence], ...]
    sa.Column("label", sa.String(64)),  # an intent, out_of_scope, or DISCARDED
    sa.Column("labelled_by", sa.String(64)),
    sa.Column("labelled_at", sa.DateTime(timezone=True)),
)

cursors = sa.Table(
    "insights_cursors", metadata,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("position", sa.Float, nullable=False),
)


def now() -> datetime:
    return datetime.now(timezone.utc)


def aware(moment: Optional[datetime]) -> Optional[datetime]:
    """SQLite hands datetimes back without their zone; they were stored in UTC."""
    return moment.replace(tzinfo=timezone.utc) if moment is not None and moment.tzinfo is None else moment


def connect(database_url: str) -> sa.engine.Engine:
    """The insights database, its tables created when missing."""
    engine = sa.create_engine(database_url, connect_args={"timeout": 30} if database_url.startswith("sqlite") else {})
    if engine.dialect.name == "sqlite":
        with engine.connect() as connection:  # the broker writes while the service reads
            connection.exec_driver_sql("PRAGMA journal_mode=WAL")
        # Records are rebuilt from the feed whenever needed: a commit need not wait for the disk.
        sa.event.listen(engine, "connect", lambda connection, _: connection.execute("PRAGMA synchronous=NORMAL"))
    metadata.create_all(engine)
    events_by_sender.create(engine, checkfirst=True)
    return engine


def position(connection: sa.engine.Connection, name: str) -> float:
    return connection.execute(sa.select(cursors.c.position).where(cursors.c.name == name)).scalar() or 0


def move(connection: sa.engine.Connection, name: str, to: float) -> None:
    if connection.execute(cursors.update().where(cursors.c.name == name).values(position=to)).rowcount == 0:
        connection.execute(cursors.insert().values(name=name, position=to))
