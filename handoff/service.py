"""What happens to a handoff, whoever asks: the action server opens one, an agent answers or
ends it (on the desk or through a tool's callback), the customer rates it. Deliveries are left
to the worker (handoff/worker.py), so each of these is one short database transaction."""
import json
import uuid
from datetime import datetime
from typing import Any, Dict, Optional

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from handoff.store import ACTIVE, GIVEN_BACK, OPEN_STATUSES, RESOLVED, TO_CUSTOMER, WAITING, Handoff, Message, now, \
    holding_handoff_for
from handoff.tools import base


class HandoffError(Exception):
    """A request the service can't carry out (unknown handoff, already ended): said to the caller."""


def open_handoff(session: Session, ticket: Dict[str, Any], tool: str) -> Handoff:
    """Stores a new handoff (the worker opens it in the tool); a conversation already with a
    person keeps its handoff."""
    existing = holding_handoff_for(session, ticket["conversation_id"])
    if existing:
        return existing
    handoff = Handoff(id=uuid.uuid4().hex, conversation_id=ticket["conversation_id"], channel=ticket["channel"],
                      reason=ticket["reason"], tool=tool, created_at=now())
    handoff.ticket = json.dumps({**ticket, "handoff_id": handoff.id, "created_at": handoff.created_at.isoformat()})
    try:
        with session.begin_nested():
            session.add(handoff)
    except IntegrityError:  # another request opened it meanwhile
        return holding_handoff_for(session, ticket["conversation_id"])
    return handoff


def waiting_ahead(session: Session, handoff: Handoff) -> int:
    return len(session.scalars(select(Handoff.id).where(Handoff.status == WAITING,
                                                         Handoff.created_at < handoff.created_at)).all())


def agent_says(session: Session, handoff: Handoff, text: str, agent_name: Optional[str],
               source_id: Optional[str] = None) -> Message:
    if handoff.status not in OPEN_STATUSES:
        raise HandoffError("this conversation is back with the assistant")
    text = text.strip()
    if not text:
        raise HandoffError("the message is empty")
    handoff.status, handoff.agent_name = ACTIVE, agent_name or handoff.agent_name
    message = Message(handoff_id=handoff.id, direction=TO_CUSTOMER, author=agent_name, text=text,
                      source_id=source_id or uuid.uuid4().hex, created_at=now())
    session.add(message)
    return message


def end(session: Session, handoff: Handoff, outcome: str, agent_name: Optional[str] = None) -> None:
    """Resolved, or given back to the assistant: the worker resumes the conversation once the
    agent's last messages are delivered."""
    if outcome not in (RESOLVED, GIVEN_BACK):
        raise ValueError(outcome)
    if handoff.status in OPEN_STATUSES:
        handoff.status, handoff.ended_at = outcome, now()
        handoff.agent_name = agent_name or handoff.agent_name
        handoff.attempts, handoff.next_attempt_at = 0, None


def apply(session: Session, tool: str, event: base.AgentEvent) -> Optional[Handoff]:
    """A tool's callback event, applied to its handoff (None when no handoff has that id)."""
    handoff = session.scalars(select(Handoff).where(Handoff.tool == tool, Handoff.external_id == event.external_id)
                              .order_by(Handoff.created_at.desc())).first()
    if handoff is None:
        return None
    if event.kind == base.AGENT_MESSAGE and handoff.status in OPEN_STATUSES:
        duplicate = event.event_id and session.scalars(select(Message.id).where(
            Message.handoff_id == handoff.id, Message.source_id == event.event_id)).first()
        if not duplicate:
            agent_says(session, handoff, event.text or "", event.agent_name, event.event_id)
    elif event.kind in (base.RESOLVED, base.GIVEN_BACK):
        end(session, handoff, RESOLVED if event.kind == base.RESOLVED else GIVEN_BACK, event.agent_name)
    return handoff


def rate(session: Session, handoff_id: str, solved: bool) -> None:
    handoff = session.get(Handoff, handoff_id)
    if handoff is None:
        raise HandoffError("no such handoff")
    handoff.solved = solved


def ticket_of(handoff: Handoff) -> base.Ticket:
    data = handoff.ticket_data()
    return base.Ticket(
        handoff_id=handoff.id, conversation_id=handoff.conversation_id, channel=handoff.channel,
        reason=data["reason"], reason_text=data["reason_text"], summary=data["summary"],
        customer=data["customer"], order=data.get("order"), topics=tuple(data.get("topics", ())),
        transcript=tuple(base.Line(line["author"], line["text"], datetime.fromisoformat(line["at"]))
                         for line in data.get("transcript", ())),
        created_at=datetime.fromisoformat(data["created_at"]),
        details=tuple((detail["label"], detail["text"]) for detail in data.get("details", ())),
    )
