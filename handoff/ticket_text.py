"""A ticket as plain text, for tools that show a note or a comment: the summary first, so
the agent reads five lines, not fifty; then the order, the topics and the transcript."""
from typing import Any, Dict, List

from handoff.tools.base import Ticket

_WHO = {"customer": "Customer", "assistant": "Assistant", "agent": "Agent"}


def _customer(customer: Dict[str, Any]) -> str:
    status = {"logged_in": "logged in", "verified": "verified for the order", "anonymous": "anonymous"}
    words = [status.get(customer.get("status"), str(customer.get("status")))]
    words += [f"{key} {customer[key]}" for key in ("name", "id", "email") if customer.get(key)]
    return ", ".join(words)


def _order(order: Dict[str, Any]) -> List[str]:
    return [f"  {key.replace('_', ' ')}: {value}" for key, value in order.items() if value not in (None, "", [])]


def ticket_text(ticket: Ticket) -> str:
    lines = [ticket.summary, "", f"Reason: {ticket.reason_text} ({ticket.reason})",
             f"Customer: {_customer(ticket.customer)} (on {ticket.channel})"]
    if ticket.order:
        lines += ["Order:"] + _order(ticket.order)
    if ticket.topics:
        lines.append(f"Topics: {', '.join(ticket.topics)}")
    lines += ["", "Transcript:"]
    lines += [f"  [{line.at:%H:%M}] {_WHO.get(line.author, line.author)}: {line.text}" for line in ticket.transcript]
    return "\n".join(lines)
