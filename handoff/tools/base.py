"""What the handoff service needs from an agents' tool, and what it gets back.

An adapter opens a conversation (ticket) in the tool with the handoff's context, adds what
the customer writes while a person answers, and reads the tool's callbacks (an agent's
reply, the conversation resolved or given back to the assistant) once their signature or
secret checks out. Adapters do HTTP and nothing else: the service stores, queues and retries
(a call that fails raises ToolError and is tried again later, never dropped).

To add a tool: a module here with a class implementing AgentTool, its settings read in
handoff/settings.py, and a line in handoff/tools/registry.py (README, "Handing over to a person").
"""
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Dict, List, Mapping, Optional, Protocol, Tuple

# AgentEvent kinds.
AGENT_MESSAGE = "agent_message"  # an agent wrote to the customer
RESOLVED = "resolved"  # the agent solved it: the assistant takes the conversation back
GIVEN_BACK = "given_back"  # the agent hands the conversation back without resolving it


class ToolError(Exception):
    """The tool could not be reached or refused the call; `retry` says whether trying again may help."""

    def __init__(self, message: str, retry: bool = True):
        super().__init__(message)
        self.retry = retry


class SignatureError(Exception):
    """A callback without a valid signature or secret: answered 401, never acted on."""


@dataclass(frozen=True)
class Line:
    """One line of the transcript (already redacted by the assistant where needed)."""

    author: str  # "customer", "assistant" or "agent"
    text: str
    at: datetime  # timezone-aware, UTC


@dataclass(frozen=True)
class Ticket:
    """A handoff as the agent sees it."""

    handoff_id: str  # the service's id for it (stable; safe to use as an idempotency key)
    conversation_id: str  # Rasa's sender id
    channel: str  # where the customer is: "socketio" (website), "telegram", "twilio", ...
    reason: str  # a reason code, e.g. "customer_asked", "missing_package" (handoff/reasons)
    reason_text: str  # the reason in words, for people
    summary: str  # one paragraph at the top: who, what about, what the assistant said
    customer: Dict[str, Any]  # {"status": "logged_in"|"verified"|"anonymous", "id"?, "name"?, "email"?}
    order: Optional[Dict[str, Any]]  # the order and what the assistant computed about it, if any
    topics: Tuple[str, ...]  # intents seen in the conversation, in order
    transcript: Tuple[Line, ...]
    created_at: datetime
    # The same facts for people: (label, value) in words, who the customer is and what they
    # proved first ("Customer", "Ana Martin"), then the order ("Return label valid", "until ...").
    details: Tuple[Tuple[str, str], ...] = ()


@dataclass(frozen=True)
class CustomerMessage:
    """Something the customer wrote while a person has the conversation."""

    message_id: str  # unique per message (idempotency key)
    text: str
    at: datetime


@dataclass(frozen=True)
class AgentEvent:
    """What a callback from the tool says happened in one conversation."""

    kind: str  # AGENT_MESSAGE, RESOLVED or GIVEN_BACK
    external_id: str  # the tool's id of the conversation/ticket, as open() returned it
    text: Optional[str] = None  # AGENT_MESSAGE: what the agent wrote
    agent_name: Optional[str] = None  # who answered, when the tool says
    event_id: Optional[str] = None  # the tool's id of the event, to ignore a callback sent twice


class AgentTool(Protocol):
    name: str

    def open(self, ticket: Ticket) -> str:
        """Opens the conversation in the tool, with the ticket's context; returns the tool's
        id for it. Raises ToolError."""

    def forward(self, external_id: str, ticket: Ticket, message: CustomerMessage) -> None:
        """Adds the customer's message to the conversation in the tool. Raises ToolError."""

    def callback(self, headers: Mapping[str, str], body: bytes) -> List[AgentEvent]:
        """Reads a callback from the tool (headers lower-cased): raises SignatureError unless
        it is signed or carries the shared secret; returns the events it holds (none for
        callbacks about other things, such as the tool echoing our own messages)."""
