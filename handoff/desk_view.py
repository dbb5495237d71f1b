"""What the reference desk shows of a handoff, in words (handoff/wording.yml): a queue item that
tells conversations apart (who, which order, why, how long they have waited), the open
conversation (its facts, the customer's latest message, everything said since the handoff) and
the return photos of the order it is about. The desk's page (static/desk.js) draws these as
they come."""
from datetime import datetime
from typing import Any, Dict, List, Optional

from handoff.store import (
    ACKNOWLEDGEMENT, ACTIVE, FROM_ASSISTANT, TO_AGENT, TO_CUSTOMER, WAITING, Handoff, Message, aware,
)
from handoff.order_photos import ReturnPhoto
from handoff.wording import WORDING, channel_name

# Who said a stored message, as the desk shows it.
_FROM = {TO_AGENT: "customer", TO_CUSTOMER: "agent", FROM_ASSISTANT: "assistant", ACKNOWLEDGEMENT: "assistant"}


def _words() -> Dict[str, Any]:
    return WORDING["desk"]


def _who(customer: Dict[str, Any]) -> str:
    if customer.get("name"):
        return customer["name"]
    return _words()["logged_in_no_name"] if customer.get("status") == "logged_in" else _words()["guest"]


def _about(order: Optional[Dict[str, Any]]) -> Optional[str]:
    if not order or not order.get("number"):
        return None
    if not order.get("item"):
        return order["number"]
    return _words()["order"].format(order_id=order["number"], order_item=order["item"])


def order_of(handoff: Handoff) -> Optional[str]:
    """The number of the order the conversation is about, as the action server's ticket names
    it (only when the customer proved it is theirs: actions/dialogue/handoff.py)."""
    return (handoff.ticket_data().get("order") or {}).get("number") or None


def _waited(since: datetime, moment: datetime) -> str:
    minutes = int((moment - since).total_seconds() // 60)
    if minutes < 1:
        return _words()["waiting_under_a_minute"]
    if minutes < 60:
        return _words()["waiting_minutes"].format(minutes=minutes)
    return _words()["waiting_hours"].format(hours=minutes // 60, minutes=minutes % 60)


def _in_order(handoff: Handoff) -> List[Message]:
    # By when it was said: the worker stores what the customer wrote a moment after it was
    # written, so an id can come after an agent's reply sent meanwhile.
    return sorted(handoff.messages, key=lambda m: (aware(m.created_at), m.id))


def _waiting(handoff: Handoff, moment: datetime) -> str:
    """How long the customer has waited for a person: since the handoff, until an agent
    answers; then since their first message the agent hasn't answered yet."""
    agent = handoff.agent_name or _words()["someone"]
    if handoff.status == WAITING:
        return _waited(aware(handoff.created_at), moment)
    if handoff.status != ACTIVE:
        return _words()["ended"][handoff.status].format(agent=agent)
    unanswered = None
    for message in _in_order(handoff):
        if message.direction == TO_CUSTOMER:
            unanswered = None
        elif message.direction == TO_AGENT and unanswered is None:
            unanswered = aware(message.created_at)
    return _waited(unanswered, moment) if unanswered else _words()["answering"].format(agent=agent)


def queue_item(handoff: Handoff, moment: datetime) -> Dict[str, Any]:
    ticket = handoff.ticket_data()
    return {"id": handoff.id, "status": handoff.status, "status_name": _words()["status"].get(handoff.status),
            "who": _who(ticket.get("customer") or {}), "about": _about(ticket.get("order")),
            "reason": ticket["reason_text"], "waiting": _waiting(handoff, moment), "summary": ticket["summary"],
            "channel": handoff.channel, "channel_name": channel_name(handoff.channel), "agent": handoff.agent_name,
            "since": aware(handoff.created_at).isoformat(),
            "customer_messages": sum(1 for m in handoff.messages if m.direction == TO_AGENT),
            "solved": handoff.solved, "back_with_assistant": handoff.resumed_at is not None}


def _last_message(handoff: Handoff, messages: List[Message]) -> Optional[str]:
    """The latest thing the customer wrote: since the handoff, else in the ticket's transcript."""
    since = [m.text for m in messages if m.direction == TO_AGENT]
    if since:
        return since[-1]
    before = [line["text"] for line in handoff.ticket_data().get("transcript", ()) if line["author"] == "customer"]
    return before[-1] if before else None


def _facts(handoff: Handoff) -> List[List[str]]:
    words = _words()
    facts = [[detail["label"], detail["text"]] for detail in handoff.ticket_data().get("details", ())]
    facts.append([words["channel"], channel_name(handoff.channel)])
    if handoff.solved is not None:
        facts.append([words["rating"], words["solved"] if handoff.solved else words["not_solved"]])
    return facts


def _lines(handoff: Handoff, messages: List[Message]) -> List[Dict[str, Any]]:
    """The whole conversation as the agent reads it: the ticket's transcript up to the handoff,
    where the person took over, then everything said since (the customer, the assistant's
    promise, the agents), each with who said it and whether it reached the customer."""
    words = _words()
    lines = [{"author": line["author"], "name": words["authors"].get(line["author"], line["author"]),
              "text": line["text"], "at": line["at"], "note": None}
             for line in handoff.ticket_data().get("transcript", ())]
    lines.append({"author": "event", "name": None, "text": words["handed_over"],
                  "at": aware(handoff.created_at).isoformat(), "note": None})
    for m in messages:
        author = _from(m)
        note = None
        if author != "customer" and m.delivered_at is None:
            note = words["failed"] if m.failed else words["undelivered"]
        lines.append({"author": author, "name": m.author if author == "agent" and m.author
                      else words["authors"][author], "text": m.text, "at": aware(m.created_at).isoformat(),
                      "note": note})
    return lines


def conversation(handoff: Handoff, moment: datetime) -> Dict[str, Any]:
    messages = _in_order(handoff)
    return {**queue_item(handoff, moment), "ticket": handoff.ticket_data(), "facts": _facts(handoff),
            "last_message": _last_message(handoff, messages), "lines": _lines(handoff, messages), "messages": [
                {"id": m.id, "from": _from(m), "author": m.author, "text": m.text,
                 "at": aware(m.created_at).isoformat(), "delivered": m.delivered_at is not None,
                 "failed": m.failed, "error": m.last_error if m.delivered_at is None else None}
                for m in messages]}


def _from(message: Message) -> str:
    return _FROM.get(message.direction, "agent")


# A conversation about no order, or an order without photos (or a desk without the order
# backend's token): nothing to say.
NO_PHOTOS: Dict[str, Any] = {"photos": [], "note": None}


def photos(handoff_id: str, listed: List[ReturnPhoto]) -> Dict[str, Any]:
    """The order's return photos, in the checklist's order: each slot in words, its thumbnail
    and its full-size photo, both through the desk (/desk/photos/{id}, for this conversation)."""
    words = _words()
    shown = []
    for photo in listed:
        name = words["photo_slots"].get(photo.slot) or photo.slot.replace("_", " ")
        full = f"/desk/photos/{photo.id}?handoff={handoff_id}"
        shown.append({"id": photo.id, "slot": photo.slot, "name": name, "full": full,
                      "thumbnail": f"{full}&size=thumb", "label": words["open_photo"].format(slot=name)})
    return {"photos": shown, "note": None}


def photos_unavailable() -> Dict[str, Any]:
    """The order backend didn't answer: the desk says so, and everything else on it goes on."""
    return {"photos": [], "note": _words()["photos_unavailable"]}
