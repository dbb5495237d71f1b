"""A signed JSON webhook, for any agents' tool without an adapter of its own. The contract,
for the team that builds the other end:

Signing (both directions). Every request carries
    X-Handoff-Timestamp: <Unix time in seconds, e.g. 1767225600>
    X-Handoff-Signature: sha256=<hex HMAC-SHA256(shared secret, "<timestamp>.<raw body>")>
The receiver recomputes the HMAC over the exact bytes received, compares in constant time,
and refuses a timestamp more than 5 minutes from its clock (either way).

We send (POST to your URL, Content-Type: application/json, UTF-8):
  {"event": "handoff.opened",
   "handoff": {"handoff_id", "conversation_id", "channel", "reason", "reason_text", "summary",
               "customer": {"status", "id"?, "name"?, "email"?}, "order": {...} | null,
               "details": [{"label", "text"}] (the same facts in words, for people),
               "topics": [...], "created_at": "<ISO 8601>",
               "transcript": [{"author": "customer"|"assistant"|"agent", "text", "at": "<ISO 8601>"}]},
   "text": "<the same as readable plain text, summary first>"}
      Answer 2xx, optionally with JSON {"id": "<your id for the conversation>"}; without one we
      use the handoff_id. That id is the conversation's "external_id" from then on.
  {"event": "handoff.customer_message", "handoff_id", "external_id",
   "message": {"message_id", "text", "at": "<ISO 8601>"}}
      Answer 2xx.
  Any other answer is a failure: 5xx, 408, 409, 429, a timeout or no connection are tried again
  later; other 4xx are not. A retried request can arrive twice: handoff.opened is keyed by
  handoff_id (answer the same id again), handoff.customer_message by message.message_id.

You send (POST to the callback URL the service gives you, signed the same way):
  {"event": "agent_message" | "resolved" | "given_back",
   "external_id": "<your id, as you answered to handoff.opened>",
                   (or "handoff_id" when you answered no id)
   "text": "<what the agent wrote: required for agent_message>",
   "agent": {"name": "<shown to the customer, optional>"},
   "event_id": "<unique per event: a repeated event_id is ignored>"}
  resolved: the agent solved it and the assistant takes the conversation back; given_back:
  handed back without solving. We answer 2xx once recorded, 401 for a bad signature. Events
  of other names are accepted and ignored, so new ones can be added on your side first.
"""
import json
import time
from datetime import date, datetime
from typing import Any, Dict, List, Mapping, Optional

import httpx

from common import signing
from handoff.ticket_text import ticket_text
from handoff.tools.base import AGENT_MESSAGE, GIVEN_BACK, RESOLVED, AgentEvent, CustomerMessage, Ticket
from handoff.tools.http import call, check_fresh, check_same, json_object, unix_time

_KINDS = {"agent_message": AGENT_MESSAGE, "resolved": RESOLVED, "given_back": GIVEN_BACK}


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """The X-Handoff-Signature value for a body sent at `timestamp`."""
    return "sha256=" + signing.hex_digest(secret, timestamp.encode("ascii") + b"." + body)


class WebhookTool:
    name = "webhook"

    def __init__(self, url: str, secret: str, timeout_s: float = 5.0, client: Optional[httpx.Client] = None):
        if not secret:
            raise ValueError("webhook: secret is required (an empty key would let anyone sign callbacks)")
        self.url = url
        self.timeout_s = timeout_s
        self._secret = secret
        # Receivers often keep a token in the URL's path or query: errors never show them.
        where = httpx.URL(url)
        self._redact = tuple(part for part in (secret, url, where.path, where.query.decode()) if len(part) > 1)
        self._client = client or httpx.Client()

    def open(self, ticket: Ticket) -> str:
        payload = {"event": "handoff.opened", "handoff": _handoff(ticket), "text": ticket_text(ticket)}
        response = self._post(payload)
        try:
            answer = response.json()
        except ValueError:  # an empty 2xx answer is fine: no id of its own
            answer = None
        their_id = answer.get("id") if isinstance(answer, dict) else None
        return str(their_id) if their_id not in (None, "") else ticket.handoff_id

    def forward(self, external_id: str, ticket: Ticket, message: CustomerMessage) -> None:
        self._post({"event": "handoff.customer_message", "handoff_id": ticket.handoff_id, "external_id": external_id,
                    "message": {"message_id": message.message_id, "text": message.text, "at": message.at.isoformat()}})

    def _post(self, payload: Dict[str, Any]) -> httpx.Response:
        body = json.dumps(payload, ensure_ascii=False, default=_plain).encode("utf-8")
        timestamp = str(int(time.time()))
        headers = {"Content-Type": "application/json", "X-Handoff-Timestamp": timestamp,
                   "X-Handoff-Signature": signature(self._secret, timestamp, body)}
        return call(self._client, "POST", self.url, what=f"webhook {payload['event']}", timeout=self.timeout_s,
                    redact=self._redact, content=body, headers=headers)

    def callback(self, headers: Mapping[str, str], body: bytes) -> List[AgentEvent]:
        headers = {key.lower(): value for key, value in headers.items()}
        stamp = headers.get("x-handoff-timestamp", "").strip()
        sent_at = unix_time(stamp, "X-Handoff-Timestamp")
        check_same(signature(self._secret, stamp, body), headers.get("x-handoff-signature"))
        check_fresh(sent_at)
        data = json_object(body, "webhook callback")
        kind = _KINDS.get(data.get("event"))
        if kind is None:
            return []
        external_id = data.get("external_id") or data.get("handoff_id")
        if not external_id:
            raise ValueError("webhook callback: neither external_id nor handoff_id")
        text = data.get("text")
        if kind == AGENT_MESSAGE and not (isinstance(text, str) and text.strip()):
            raise ValueError("webhook callback: agent_message without text")
        agent = data.get("agent") if isinstance(data.get("agent"), dict) else {}
        return [AgentEvent(kind, str(external_id), text=text if kind == AGENT_MESSAGE else None,
                           agent_name=agent.get("name") or None,
                           event_id=str(data["event_id"]) if data.get("event_id") else None)]


def _handoff(ticket: Ticket) -> Dict[str, Any]:
    return {
        "handoff_id": ticket.handoff_id, "conversation_id": ticket.conversation_id, "channel": ticket.channel,
        "reason": ticket.reason, "reason_text": ticket.reason_text, "summary": ticket.summary,
        "customer": ticket.customer, "order": ticket.order, "topics": list(ticket.topics),
        "details": [{"label": label, "text": text} for label, text in ticket.details],
        "transcript": [{"author": line.author, "text": line.text, "at": line.at.isoformat()}
                       for line in ticket.transcript],
        "created_at": ticket.created_at.isoformat(),
    }


def _plain(value: Any) -> Any:
    # Orders may hold dates or decimals; JSON gets their ISO form or their text.
    return value.isoformat() if isinstance(value, (date, datetime)) else str(value)
