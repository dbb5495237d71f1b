"""The reference agent desk, served by the handoff service itself (handoff/desk.py): its queue
is the service's database, so a handoff is open, and a customer's message is in it, as soon as
they are stored. Agents answer through the desk's pages, not through callbacks."""
from typing import List, Mapping

from handoff.tools.base import AgentEvent, CustomerMessage, SignatureError, Ticket


class DeskTool:
    name = "desk"

    def open(self, ticket: Ticket) -> str:
        return ticket.handoff_id

    def forward(self, external_id: str, ticket: Ticket, message: CustomerMessage) -> None:
        """Nothing to send: the desk shows the stored message."""

    def callback(self, headers: Mapping[str, str], body: bytes) -> List[AgentEvent]:
        raise SignatureError("the desk takes no callbacks: agents answer on its pages")
