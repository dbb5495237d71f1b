"""A ticket as plain text, for tools that show a note or a comment: the summary first, so
the agent reads five lines, not fifty; then the facts in words, and the transcript."""
from handoff.tools.base import Ticket
from handoff.wording import WORDING, channel_name

_WHO = {"customer": "Customer", "assistant": "Assistant", "agent": "Agent"}


def ticket_text(ticket: Ticket) -> str:
    lines = [ticket.summary, ""]
    lines += [f"{label}: {value}" for label, value in ticket.details]
    lines += [f"{WORDING['desk']['channel']}: {channel_name(ticket.channel)}", "", "Transcript:"]
    lines += [f"  [{line.at:%H:%M}] {_WHO.get(line.author, line.author)}: {line.text}" for line in ticket.transcript]
    return "\n".join(lines)
