"""What the insights keep of a Rasa event: only what a conversation's record and the review queue
read, with customers' identifiers replaced (common/redaction.py).

Plain Python. The event broker (stores/event_broker.py) writes events in this form, and the
reconciler (insights/ingest.py) turns the tracker store's events into it when it fills a gap, so
both give the same rows:

    minimal({"event": "user", "text": "where is 40512345?", "timestamp": 1.5, ...})
    -> {"event": "user", "timestamp": 1.5, "text": "where is [order]?", "intent": "track_order", ...}

Nothing else of an event is kept: no entity values, no metadata beyond whether the website
said the customer was logged in, no slot values but those below.
"""
import json
from typing import Any, Dict, Optional, Tuple

from common.redaction import redact_message

# Slots whose values a record reads (actions/dialogue/handoff.py sets them; order_situation is a
# category such as "shipped" or "not_found", never an identifier).
KEPT_SLOTS = frozenset({"handoff_state", "handoff_reason", "handoff_solved", "order_situation"})
# The order conversation's state (actions/order_conversation.State) holds order numbers: only
# whether an order was verified in the chat is kept.
ORDER_CONVERSATION = "order_conversation"
# What the tracker store keeps of a website customer token (stores/tracker_store.py), or the token.
LOGGED_IN_KEYS = ("claimed_customer_id", "customer_token")
# Metadata of the messages the handoff service sends (handoff/assistant_contract.py): a person's.
PERSON_KEYS = ("agent", "handoff_notice")
GUESSES = 3
FALLBACK = "nlu_fallback"  # ranked first when NLU is unsure: not something a message could mean
USER_FIELDS = ("text", "channel", "intent", "confidence", "guesses", "language", "logged_in")


def _payload(text: str) -> str:
    """A tapped button's payload without its entities: '/photo_received{"photo_slot": ...}'."""
    return text.split("{", 1)[0]


def _user(event: Dict[str, Any]) -> Dict[str, Any]:
    parsed = event.get("parse_data")
    if parsed is None and "guesses" in event:  # kept already (the feed's own form, from the bus)
        return {name: event.get(name) for name in USER_FIELDS}
    parsed = parsed or {}
    text = event.get("text") or ""
    metadata = event.get("metadata") or {}
    ranking = parsed.get("intent_ranking") or []
    language = parsed.get("language")
    return {
        "text": _payload(text) if text.startswith("/") else redact_message(text),
        "channel": event.get("input_channel"),
        "intent": (parsed.get("intent") or {}).get("name"),
        "confidence": (parsed.get("intent") or {}).get("confidence"),
        "guesses": [[g.get("name"), round(float(g.get("confidence") or 0), 4)]
                    for g in ranking if g.get("name") != FALLBACK][:GUESSES],
        "language": language.get("code") if isinstance(language, dict) else None,
        "logged_in": any(metadata.get(key) for key in LOGGED_IN_KEYS),
    }


def _bot(event: Dict[str, Any]) -> Dict[str, Any]:
    if "metadata" not in event and "person" in event:  # kept already
        return {"text": event.get("text") or "", "utter": event.get("utter"), "person": bool(event.get("person"))}
    metadata = event.get("metadata") or {}
    text = event.get("text") or ((event.get("data") or {}).get("custom") or {}).get("text") or ""
    return {"text": redact_message(text), "utter": metadata.get("utter_action"),
            "person": any(key in metadata for key in PERSON_KEYS)}


def _slot(event: Dict[str, Any]) -> Dict[str, Any]:
    name, value = event.get("name"), event.get("value")
    if name in KEPT_SLOTS:
        return {"name": name, "value": value}
    if name == ORDER_CONVERSATION:
        verified = isinstance(value, dict) and (value.get("verified_order") or value.get("verified"))
        return {"name": name, "value": {"verified": bool(verified)}}
    return {"name": name}


def minimal(event: Dict[str, Any]) -> Dict[str, Any]:
    """The event as the insights keep it (see the module's docstring). An event kept already
    comes back the same: the RabbitMQ broker sends them so, and its reader keeps them again."""
    kind = event.get("event")
    kept: Dict[str, Any] = {"event": kind, "timestamp": event.get("timestamp")}
    if kind == "user":
        kept.update(_user(event))
    elif kind == "bot":
        kept.update(_bot(event))
    elif kind == "action":
        kept["name"] = event.get("name")
    elif kind == "slot":
        kept.update(_slot(event))
    return kept


def key(event: Dict[str, Any]) -> Tuple[Any, ...]:
    """What tells one kept event from another of the same conversation: the same event read from
    the broker and from the tracker store has the same key."""
    value = event.get("value")
    return (event.get("event"), event.get("timestamp"), event.get("name"), event.get("text"),
            json.dumps(value, sort_keys=True) if value is not None else None)


def parsed(data: Optional[str]) -> Optional[Dict[str, Any]]:
    """A stored row's JSON, or None when it isn't an event (a row another writer left)."""
    try:
        event = json.loads(data) if data else None
    except ValueError:
        return None
    return event if isinstance(event, dict) and "event" in event else None
