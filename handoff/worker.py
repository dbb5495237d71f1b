"""The deliveries, in a loop: new handoffs opened in the tool, what customers write forwarded to
it (and a second request for a person acknowledged), agents' replies brought to the customer's
channel, ended handoffs handed back to the assistant. Everything it delivers is in the database first; a delivery that fails is retried
with backoff (store.failed_delivery), so a restart of any service loses nothing."""
import logging
import threading
from datetime import timedelta
from typing import Optional

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from handoff import acknowledgement
from handoff.assistant_contract import PERSON_REQUEST, SLOTS_READ
from handoff.conversations import ASSISTANT, LIMIT, Conversations, Said
from handoff.rasa_api import RasaApi, RasaError
from handoff.service import ticket_of
from handoff.store import (
    ACKNOWLEDGEMENT, FROM_ASSISTANT, OPEN_STATUSES, SAID_TO_CUSTOMER, TO_AGENT, WAITING, Cursor, Handoff, Message,
    aware, due, failed_delivery, is_due, now, holding_conversations, holding_handoff_for,
)
from handoff.tools.base import AgentTool, CustomerMessage, ToolError
from handoff.wording import words_in

logger = logging.getLogger(__name__)
CURSOR = "tracker_events"
# The website widget shows who wrote a message (channels/website.py); other channels can't.
SHOWS_AUTHOR = ("socketio",)


def as_sent(message: Message) -> str:
    """An agent's message as the customer's channel shows it."""
    if message.handoff.channel in SHOWS_AUTHOR:
        return message.text
    words = words_in(message.handoff.ticket_data().get("language"))
    return words["agent_message"].format(name=message.author or words["support"], text=message.text)


class Worker:
    def __init__(self, sessions: sessionmaker, tool: AgentTool, rasa: RasaApi, conversations: Conversations,
                 acknowledge_every: timedelta = timedelta(minutes=5)):
        self.sessions, self.tool, self.rasa, self.conversations = sessions, tool, rasa, conversations
        self.acknowledge_every = acknowledge_every

    def run(self, stop: threading.Event, poll_s: float) -> None:
        while not stop.is_set():
            self.step()
            stop.wait(poll_s)

    def step(self) -> None:
        # Each part on its own: one that fails (a bug, a database lock) must not hold up the others.
        for part in (self.read_conversations, self.open_in_tool, self.forward_to_tool,
                     self.deliver_to_customers, self.hand_back):
            try:
                part()
            except Exception:
                logger.exception("handoff worker: %s failed; tried again next round", part.__name__)

    def read_conversations(self) -> None:
        """Stores what was said since the handoff, from Rasa's tracker store: what customers
        wrote (for the agent) and what the assistant told them (the wait it promised)."""
        with self.sessions.begin() as session:
            cursor = session.get(Cursor, CURSOR)
            if cursor is None:
                # First start: only messages from now on matter (handoffs don't exist yet).
                cursor = Cursor(name=CURSOR, position=self.conversations.last_event_id())
                session.add(cursor)
                return
            # Only conversations a person holds are read: the others' messages (nearly all of
            # them) cost this service nothing. Messages before a handoff began are not the
            # agent's, so the cursor moves on past them.
            newest = self.conversations.last_event_id()
            holding = holding_conversations(session)
            found = self.conversations.said_after(cursor.position, holding)
            for said in found:
                handoff = holding_handoff_for(session, said.conversation_id)
                if handoff is None or said.at <= aware(handoff.created_at) or not said.text:
                    continue
                seen = session.scalars(select(Message.id).where(Message.handoff_id == handoff.id,
                                                                Message.source_id == said.message_id)).first()
                if seen:
                    continue
                if said.author == ASSISTANT:  # the customer has read it: nothing to deliver
                    session.add(Message(handoff_id=handoff.id, direction=FROM_ASSISTANT, text=said.text,
                                        source_id=said.message_id, created_at=said.at, delivered_at=said.at))
                    continue
                session.add(Message(handoff_id=handoff.id, direction=TO_AGENT, text=said.text,
                                    source_id=said.message_id, created_at=said.at))
                self._acknowledge(session, handoff, said)
            read_up_to = max(m.event_id for m in found) if len(found) >= LIMIT else newest
            cursor.position = max(cursor.position, read_up_to)

    def _acknowledge(self, session: Session, handoff: Handoff, said: Said) -> None:
        """A second request for a person, while none has answered, gets an answer (delivered
        like an agent's message, below): at most one every `acknowledge_every`."""
        if said.intent != PERSON_REQUEST or handoff.status != WAITING:
            return
        last = aware(session.scalar(select(func.max(Message.created_at)).where(
            Message.handoff_id == handoff.id, Message.direction == ACKNOWLEDGEMENT)))
        if not acknowledgement.due(said.at, last, self.acknowledge_every):
            return
        told = acknowledgement.WaitTold.from_slots(
            self.conversations.slots(handoff.conversation_id, SLOTS_READ))
        session.add(Message(handoff_id=handoff.id, direction=ACKNOWLEDGEMENT, source_id=f"ack-{said.message_id}",
                            text=acknowledgement.acknowledgement(told, aware(handoff.created_at), said.at,
                                                                     handoff.ticket_data().get("language")),
                            created_at=said.at))

    def open_in_tool(self) -> None:
        with self.sessions() as session:
            waiting = due(session, select(Handoff).where(Handoff.external_id.is_(None),
                                                         Handoff.status.in_(OPEN_STATUSES)))
            for handoff in waiting:
                try:
                    handoff.external_id = self.tool.open(ticket_of(handoff))
                    handoff.last_error = None
                except ToolError as error:
                    logger.warning("opening handoff %s in %s failed: %s", handoff.id, self.tool.name, error)
                    failed_delivery(handoff, str(error))
                except Exception as error:  # the adapter's bug: this handoff waits, the others go on
                    logger.exception("opening handoff %s in %s failed", handoff.id, self.tool.name)
                    failed_delivery(handoff, f"{type(error).__name__}: {error}")
                session.commit()

    def forward_to_tool(self) -> None:
        with self.sessions() as session:
            pending = session.scalars(select(Message).join(Handoff).where(
                Message.direction == TO_AGENT, Message.delivered_at.is_(None), Message.failed.is_(False),
                Handoff.external_id.is_not(None)).order_by(Message.id)).all()
            # Keep each conversation's order: stop at its first failure, or at a message still
            # waiting for its retry (a newer one must not overtake it).
            blocked = set()
            for message in pending:
                if message.handoff_id in blocked or not is_due(message):
                    blocked.add(message.handoff_id)
                    continue
                handoff = message.handoff
                try:
                    self.tool.forward(handoff.external_id, ticket_of(handoff),
                                      CustomerMessage(message.source_id, message.text, aware(message.created_at)))
                    message.delivered_at = now()
                except ToolError as error:
                    logger.warning("forwarding to %s failed: %s", self.tool.name, error)
                    failed_delivery(message, str(error), error.retry)
                    blocked.add(message.handoff_id)
                except Exception as error:
                    logger.exception("forwarding to %s failed", self.tool.name)
                    failed_delivery(message, f"{type(error).__name__}: {error}")
                    blocked.add(message.handoff_id)
                session.commit()

    def deliver_to_customers(self) -> None:
        with self.sessions() as session:
            pending = session.scalars(select(Message).where(
                Message.direction.in_(SAID_TO_CUSTOMER), Message.delivered_at.is_(None), Message.failed.is_(False))
                .order_by(Message.id)).all()
            blocked = set()  # in order, as above
            for message in pending:
                if message.handoff_id in blocked or not is_due(message):
                    blocked.add(message.handoff_id)
                    continue
                try:
                    if message.direction == ACKNOWLEDGEMENT:
                        self.rasa.notify(message.handoff.conversation_id, message.text)
                    else:
                        self.rasa.agent_says(message.handoff.conversation_id, as_sent(message), message.author)
                    message.delivered_at = now()
                except RasaError as error:
                    logger.warning("delivering a message to the customer failed: %s", error)
                    failed_delivery(message, str(error), error.retry)
                    blocked.add(message.handoff_id)
                session.commit()

    def hand_back(self) -> None:
        with self.sessions() as session:
            ended = due(session, select(Handoff).where(Handoff.status.not_in(OPEN_STATUSES),
                                                       Handoff.listening_at.is_(None)))
            for handoff in ended:
                if any(m.direction in SAID_TO_CUSTOMER and m.delivered_at is None and not m.failed
                       for m in handoff.messages):
                    continue  # the agent's last words first
                try:
                    # Two steps, each done once: a retry never says the hand-back twice.
                    if handoff.resumed_at is None:
                        self.rasa.hand_back(handoff.conversation_id, handoff.status, handoff.agent_name)
                        handoff.resumed_at = now()
                        session.commit()
                    self.rasa.listen(handoff.conversation_id)
                    handoff.listening_at = now()
                except RasaError as error:
                    logger.warning("handing back to the assistant failed: %s", error)
                    failed_delivery(handoff, str(error))
                session.commit()


def start(worker: Worker, poll_s: float) -> Optional[threading.Event]:
    stop = threading.Event()
    threading.Thread(target=worker.run, args=(stop, poll_s), name="handoff-worker", daemon=True).start()
    return stop
