"""Handoff state in the database: who is waiting, since when, which tool holds the
conversation, and every message in both directions until it is delivered. Nothing lives in
process memory, so a restart of any service loses nothing."""
import json
import uuid
from datetime import datetime, timedelta, timezone
from typing import Any, Dict, List, Optional, Set

from sqlalchemy import (
    Boolean, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint, create_engine, select, text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship, sessionmaker

from handoff.assistant_contract import GIVEN_BACK, RESOLVED

# Handoff.status; an ended one's (RESOLVED, GIVEN_BACK) is the outcome the assistant is told.
WAITING = "waiting"  # no agent has answered yet
ACTIVE = "active"  # an agent is answering
OPEN_STATUSES = (WAITING, ACTIVE)

# Message.direction
TO_AGENT = "to_agent"  # the customer wrote: goes to the tool
TO_CUSTOMER = "to_customer"  # an agent wrote: goes to the customer's channel
FROM_ASSISTANT = "from_assistant"  # the assistant told the customer (the wait it promised): shown to agents
ACKNOWLEDGEMENT = "acknowledgement"  # the service answers a second request for a person: goes to the customer
SAID_TO_CUSTOMER = (TO_CUSTOMER, ACKNOWLEDGEMENT)  # what the worker delivers to the customer's channel

# Retries of a delivery that failed: doubling, up to a minute, never given up.
MAX_BACKOFF_S = 60
# The desk's queue shows this many ended conversations after the open ones.
ENDED_ON_DESK = 20


def now() -> datetime:
    return datetime.now(timezone.utc)


def aware(moment: Optional[datetime]) -> Optional[datetime]:
    """SQLite hands datetimes back without their zone; they were stored in UTC."""
    return moment.replace(tzinfo=timezone.utc) if moment is not None and moment.tzinfo is None else moment


class Base(DeclarativeBase):
    pass


class Handoff(Base):
    __tablename__ = "handoffs"
    # One handoff holds a conversation at a time, even when two requests race.
    __table_args__ = (Index("one_handoff_holds_a_conversation", "conversation_id", unique=True,
                            sqlite_where=text("resumed_at IS NULL"), postgresql_where=text("resumed_at IS NULL")),)
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: uuid.uuid4().hex)
    conversation_id: Mapped[str] = mapped_column(String(255), index=True)
    channel: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default=WAITING, index=True)
    tool: Mapped[str] = mapped_column(String(32))
    external_id: Mapped[Optional[str]] = mapped_column(String(255), index=True)
    ticket: Mapped[str] = mapped_column(Text)  # the ticket as JSON (handoff/tickets.py)
    agent_name: Mapped[Optional[str]] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)
    ended_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
    # Opening in the tool, and handing back to the assistant, are retried like messages.
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[Optional[str]] = mapped_column(Text)
    resumed_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
    listening_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))  # after resumed_at
    solved: Mapped[Optional[bool]] = mapped_column(Boolean)  # the customer's rating
    messages: Mapped[List["Message"]] = relationship(back_populates="handoff", order_by="Message.id")

    def ticket_data(self) -> Dict[str, Any]:
        return json.loads(self.ticket)


class Message(Base):
    __tablename__ = "messages"
    __table_args__ = (UniqueConstraint("handoff_id", "source_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    handoff_id: Mapped[str] = mapped_column(ForeignKey("handoffs.id"), index=True)
    direction: Mapped[str] = mapped_column(String(16))
    author: Mapped[Optional[str]] = mapped_column(String(255))  # the agent's name
    text: Mapped[str] = mapped_column(Text)
    # Where it came from (the customer's message id, the tool's event id): the same message
    # seen twice is stored once.
    source_id: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)
    delivered_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[Optional[str]] = mapped_column(Text)
    failed: Mapped[bool] = mapped_column(Boolean, default=False)  # refused for good: shown to agents
    handoff: Mapped[Handoff] = relationship(back_populates="messages")


class Cursor(Base):
    """How far the service has read Rasa's conversations (the tracker store's event ids)."""

    __tablename__ = "cursors"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class DeskSession(Base):
    """A logged-in agent's session on the reference desk (the cookie holds the token)."""

    __tablename__ = "desk_sessions"
    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    agent_login: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


def connect(database_url: str) -> sessionmaker:
    engine = create_engine(database_url, connect_args={"timeout": 30} if database_url.startswith("sqlite") else {})
    Base.metadata.create_all(engine)
    return sessionmaker(engine, expire_on_commit=False)


def failed_delivery(item, error: str, retry: bool = True) -> None:
    """Records a failed delivery of a Message (or of opening / handing back a Handoff): tried
    again later, with backoff. A message the tool refuses for good is marked failed, which
    agents see; nothing is dropped silently."""
    item.attempts += 1
    item.last_error = error[:1000]
    item.next_attempt_at = now() + timedelta(seconds=min(2 ** item.attempts, MAX_BACKOFF_S))
    if not retry and isinstance(item, Message):
        item.failed = True


def is_due(row, moment: Optional[datetime] = None) -> bool:
    return row.next_attempt_at is None or aware(row.next_attempt_at) <= (moment or now())


def due(session: Session, query):
    """The rows of a query whose next attempt is due."""
    moment = now()
    return [row for row in session.scalars(query) if is_due(row, moment)]


def holding_conversations(session: Session) -> Set[str]:
    """The conversations a handoff holds (see holding_handoff_for)."""
    return set(session.scalars(select(Handoff.conversation_id).where(Handoff.resumed_at.is_(None))))


def holding_handoff_for(session: Session, conversation_id: str) -> Optional[Handoff]:
    """The handoff that holds the conversation: open, or ended but not yet handed back (the
    assistant is still silent, so what the customer writes goes to the agent's tool)."""
    return session.scalars(select(Handoff).where(Handoff.conversation_id == conversation_id,
                                                 Handoff.resumed_at.is_(None))
                           .order_by(Handoff.created_at.desc())).first()


def on_desk(session: Session) -> List[Handoff]:
    """The conversations the reference desk shows: the open ones, the longest waiting first,
    then the latest ended ones. Also what an agent may open the return photos of."""
    open_ones = session.scalars(select(Handoff).where(Handoff.status.in_(OPEN_STATUSES))
                                .order_by(Handoff.created_at)).all()
    ended = session.scalars(select(Handoff).where(Handoff.status.not_in(OPEN_STATUSES))
                            .order_by(Handoff.ended_at.desc()).limit(ENDED_ON_DESK)).all()
    return [*open_ones, *ended]
