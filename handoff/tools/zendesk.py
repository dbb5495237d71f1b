"""Zendesk Support: a handoff becomes a ticket, what the customer writes becomes the
requester's public comments, and the agents' public replies come back through a webhook
that a trigger calls.

Calls (Support API, basic auth "{email}/token:{api_token}", JSON):
  open     POST /api/v2/tickets.json, header Idempotency-Key: <handoff id> (Zendesk replays
           the first answer for 2 hours, so a retry after a lost answer opens no second
           ticket). The context goes in as a private comment (internal note); the ticket's
           external_id is the handoff id. A customer without an email first gets an end user
           from POST /api/v2/users/create_or_update.json (name + external_id): Zendesk's inline
           `requester` creates new users only with a name AND an email.
  forward  GET /api/v2/tickets/{id}.json for its requester_id, then
           PUT /api/v2/tickets/{id}.json {"ticket": {"comment": {"body", "public": true,
           "author_id": <requester_id>}}}. open() returns the plain ticket id (what agents see
           and what callbacks carry) and forward reads the requester when it needs it, one
           GET more per message, rather than packing the requester into the id: an agent may
           change the requester, and callbacks must name the ticket as open() did.

Setup in Zendesk Admin Center, once:
  1. Apps and integrations > Webhooks > Create webhook, connected to "Trigger or automation":
     endpoint = the service's Zendesk callback URL, method POST, request format JSON. Reveal
     its signing secret and give it to the service (webhook_secret).
  2. Objects and rules > Triggers > Create trigger "Assistant handoff: reply or solved":
     Meet ALL:  Ticket > Ticket | Is | Updated
                Ticket > Tags | Contains at least one of the following | assistant_handoff
     Meet ANY:  Ticket > Comment | Is | Public
                Ticket > Status | Changed to | Solved
     Action:    Notify by > Active webhook: the webhook of step 1, with this JSON body:

     {
       "ticket_id": "{{ticket.id}}",
       "status": "{{ticket.status}}",
       "requester_id": "{{ticket.requester.id}}",
       "comment_id": "{{ticket.latest_comment.id}}",
       "comment_public": "{{ticket.latest_comment.is_public}}",
       "comment_author_id": "{{ticket.latest_comment.author.id}}",
       "comment_author_name": "{{ticket.latest_comment.author.name}}",
       "comment": "{{ticket.latest_comment.value}}"
     }

Callbacks carry X-Zendesk-Webhook-Signature = base64(HMAC-SHA256(secret, timestamp + body))
and X-Zendesk-Webhook-Signature-Timestamp (ISO 8601, e.g. 2021-03-25T05:09:27Z). A public
latest comment by anyone but the requester is an agent's reply (the customer's own comments,
which forward() adds, come back too and are dropped); status solved (or closed) resolves the
handoff. event_id is the comment's id, so the same comment seen again (a retried delivery, or
the trigger firing for the solve that follows it) is ignored by the service.
"""
import base64
import re
from datetime import datetime, timezone
from typing import Any, Dict, List, Mapping, Optional

import httpx

from common import signing
from handoff.ticket_text import ticket_text
from handoff.tools.base import AGENT_MESSAGE, RESOLVED, AgentEvent, CustomerMessage, SignatureError, Ticket, ToolError
from handoff.tools.http import call, check_fresh, check_same, json_object

TAG = "assistant_handoff"
_DONE = {"solved", "closed"}  # {{ticket.status}} renders the status name, e.g. "Solved"


class ZendeskTool:
    name = "zendesk"

    def __init__(self, base_url: str, email: str, api_token: str, webhook_secret: str,
                 timeout_s: float = 5.0, client: Optional[httpx.Client] = None):
        if not webhook_secret:
            raise ValueError("zendesk: webhook_secret is required (an empty key would let anyone sign callbacks)")
        self.base_url = base_url.rstrip("/")
        self.timeout_s = timeout_s
        self._auth = httpx.BasicAuth(f"{email}/token", api_token)
        self._secret = webhook_secret
        basic = base64.b64encode(f"{email}/token:{api_token}".encode()).decode()
        self._redact = (api_token, webhook_secret, basic)
        self._client = client or httpx.Client()

    # -- outbound -------------------------------------------------------------------------

    def open(self, ticket: Ticket) -> str:
        new: Dict[str, Any] = {
            "subject": f"{ticket.reason_text} (from the assistant)",
            "comment": {"body": ticket_text(ticket), "public": False},  # internal note: agents only
            "tags": [TAG, _tag("reason", ticket.reason), _tag("channel", ticket.channel)],
            "external_id": ticket.handoff_id,
        }
        new.update(self._requester(ticket))
        answer = self._json("POST", "/api/v2/tickets.json", "create ticket", json={"ticket": new},
                            headers={"Idempotency-Key": ticket.handoff_id})
        ticket_id = (answer.get("ticket") or {}).get("id")
        if ticket_id is None:
            raise ToolError("zendesk create ticket: no ticket id in the answer", retry=True)
        return str(ticket_id)

    def forward(self, external_id: str, ticket: Ticket, message: CustomerMessage) -> None:
        if not external_id.isdigit():
            raise ToolError(f"zendesk: {external_id!r} is not a ticket id", retry=False)
        path = f"/api/v2/tickets/{external_id}.json"
        requester_id = (self._json("GET", path, "read ticket").get("ticket") or {}).get("requester_id")
        if requester_id is None:
            raise ToolError(f"zendesk read ticket {external_id}: no requester_id in the answer", retry=True)
        comment = {"body": message.text, "public": True, "author_id": requester_id}
        self._json("PUT", path, "add comment", json={"ticket": {"comment": comment}})

    def _requester(self, ticket: Ticket) -> Dict[str, Any]:
        customer = ticket.customer
        name, email = customer.get("name"), customer.get("email")
        if email:  # an existing user with this email is used as is; a new one needs a name too
            return {"requester": {"name": name or email, "email": email}}
        # external_id makes the call idempotent and gives a returning customer the same user;
        # prefixed so that it never takes over a user another integration keyed by the shop's id.
        if customer.get("id"):
            key = f"handoff-customer-{customer['id']}"
        else:
            key = f"handoff-visitor-{ticket.conversation_id}"
        visitor = "Website visitor" if ticket.channel == "socketio" else f"Visitor on {ticket.channel}"
        user = {"name": name or visitor, "external_id": key, "role": "end-user"}
        user_id = (self._json("POST", "/api/v2/users/create_or_update.json", "create requester",
                              json={"user": user}).get("user") or {}).get("id")
        if user_id is None:
            raise ToolError("zendesk create requester: no user id in the answer", retry=True)
        return {"requester_id": user_id}

    def _json(self, method: str, path: str, what: str, headers: Optional[Dict[str, str]] = None,
              **kwargs) -> Dict[str, Any]:
        response = call(self._client, method, self.base_url + path, what=f"zendesk {what}", timeout=self.timeout_s,
                        redact=self._redact, auth=self._auth,
                        headers={"Accept": "application/json", **(headers or {})}, **kwargs)
        try:
            answer = response.json()
        except ValueError:
            answer = None
        if not isinstance(answer, dict):
            raise ToolError(f"zendesk {what}: HTTP {response.status_code} but the answer is not a JSON object",
                            retry=True)
        return answer

    # -- inbound --------------------------------------------------------------------------

    def callback(self, headers: Mapping[str, str], body: bytes) -> List[AgentEvent]:
        headers = {key.lower(): value for key, value in headers.items()}
        self._verify(headers, body)
        data = json_object(body, "zendesk callback")
        ticket_id = _text(data.get("ticket_id"))
        if not ticket_id:
            raise ValueError("zendesk callback: no ticket_id (is the trigger's JSON body the documented one?)")
        events = []
        author, comment_id = _text(data.get("comment_author_id")), _text(data.get("comment_id"))
        text = _text(data.get("comment"))
        public = _text(data.get("comment_public")).lower() == "true"
        if public and author and text and author != _text(data.get("requester_id")):
            events.append(AgentEvent(AGENT_MESSAGE, ticket_id, text=text,
                                     agent_name=_text(data.get("comment_author_name")) or None,
                                     event_id=f"zendesk-comment-{comment_id}" if comment_id else None))
        if _text(data.get("status")).lower() in _DONE:
            # One delivery (and its retries) per invocation id: resolving is recorded once.
            once = headers.get("x-zendesk-webhook-invocation-id") or comment_id
            event_id = f"zendesk-solved-{ticket_id}-{once}" if once else None
            events.append(AgentEvent(RESOLVED, ticket_id, event_id=event_id))
        return events

    def _verify(self, headers: Mapping[str, str], body: bytes) -> None:
        signature = headers.get("x-zendesk-webhook-signature")
        stamp = headers.get("x-zendesk-webhook-signature-timestamp")
        if not signature or not stamp:
            raise SignatureError("missing Zendesk webhook signature headers")
        expected = base64.b64encode(signing.digest(self._secret, stamp.encode("utf-8") + body)).decode("ascii")
        check_same(expected, signature)
        check_fresh(_when(stamp))


def _tag(kind: str, value: str) -> str:
    # Zendesk tags are single words: lower case, no spaces.
    return f"{kind}_" + re.sub(r"[^a-z0-9_]+", "_", value.lower()).strip("_")


def _when(stamp: str) -> datetime:
    try:
        sent_at = datetime.fromisoformat(stamp.strip().replace("Z", "+00:00"))
    except ValueError:
        raise SignatureError("unreadable signature timestamp") from None
    return sent_at if sent_at.tzinfo else sent_at.replace(tzinfo=timezone.utc)


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()
