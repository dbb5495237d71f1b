"""Chatwoot: each handoff becomes a conversation in an API channel inbox, with the ticket as
a private note; what the customer writes later is added as incoming messages, and agents'
replies and "resolved" come back through Chatwoot's webhook (an account webhook subscribed to
message_created and conversation_status_changed, or the API inbox's callback URL), signed.

Chatwoot's Application API (https://developers.chatwoot.com/api-reference), authenticated
with the `api_access_token` header:
  GET  /api/v1/accounts/{account}/contacts/search?q=             find the customer's contact
  POST /api/v1/accounts/{account}/contacts                         new contact, with its inbox session
  POST /api/v1/accounts/{account}/contacts/{id}/contact_inboxes    a session for a contact found
  POST /api/v1/accounts/{account}/conversations                    source_id, inbox_id, contact_id
  POST /api/v1/accounts/{account}/conversations/{id}/messages      note (private) or customer message

No retries here: a failed call raises ToolError and the service queues and retries it.
"""
import json
from typing import Any, Dict, List, Mapping, Optional

import httpx

from common import signing
from handoff.ticket_text import ticket_text
from handoff.tools.base import (AGENT_MESSAGE, RESOLVED, AgentEvent, CustomerMessage, SignatureError,
                                Ticket, ToolError)
from handoff.tools.http import check_fresh, check_same, unix_time


class ChatwootTool:
    name = "chatwoot"

    def __init__(self, base_url: str, account_id: int, inbox_id: int, api_token: str, webhook_secret: str,
                 timeout_s: float = 5, client: Optional[httpx.Client] = None):
        if not api_token or not webhook_secret:
            raise ValueError("Chatwoot needs an API access token and the webhook's secret")
        self.base_url = base_url.rstrip("/")
        self.account_id = account_id
        self.inbox_id = inbox_id
        self.timeout_s = timeout_s
        self._token = api_token
        self._secret = webhook_secret
        self._client = client or httpx.Client()

    # --- calls to Chatwoot -------------------------------------------------------------------

    def open(self, ticket: Ticket) -> str:
        contact_id, source_id = self._contact_session(ticket)
        attributes = {"handoff_id": ticket.handoff_id, "handoff_reason": ticket.reason}
        if ticket.order and ticket.order.get("number"):
            attributes["order_number"] = str(ticket.order["number"])
        conversation = self._call("POST", "/conversations", "create the conversation", {
            "source_id": source_id, "inbox_id": self.inbox_id, "contact_id": contact_id,
            "custom_attributes": attributes})
        conversation_id = str(self._field(conversation, "id", "create the conversation"))
        # The transcript is in the note, for agents only: nothing is replayed as messages.
        self._call("POST", f"/conversations/{conversation_id}/messages", "add the handoff note", {
            "content": ticket_text(ticket), "message_type": "outgoing", "private": True})
        return conversation_id

    def forward(self, external_id: str, ticket: Ticket, message: CustomerMessage) -> None:
        # "incoming" (allowed in API inboxes only) shows it to agents as written by the contact.
        self._call("POST", f"/conversations/{external_id}/messages", "add the customer's message", {
            "content": message.text, "message_type": "incoming", "private": False})

    def _contact_session(self, ticket: Ticket):
        """The contact id and a contact-inbox source_id to open the conversation with."""
        email = ticket.customer.get("email")
        contact = self._find_contact("identifier", ticket.conversation_id)
        if contact is None and email:
            contact = self._find_contact("email", email)
        if contact is not None:
            contact_id = self._field(contact, "id", "search contacts")
            session = self._call("POST", f"/contacts/{contact_id}/contact_inboxes", "add the contact to the inbox",
                                 {"inbox_id": self.inbox_id})
            return contact_id, self._field(session, "source_id", "add the contact to the inbox")
        body = {"inbox_id": self.inbox_id, "identifier": ticket.conversation_id,
                "name": ticket.customer.get("name") or email or f"Customer on {ticket.channel}"}
        if email:
            body["email"] = email
        created = self._field(self._call("POST", "/contacts", "create the contact", body), "payload",
                              "create the contact")
        contact_id = self._field(created.get("contact") or {}, "id", "create the contact")
        return contact_id, self._field(created.get("contact_inbox") or {}, "source_id", "create the contact")

    def _find_contact(self, field: str, value: str) -> Optional[Dict[str, Any]]:
        # Search matches parts of names, emails and identifiers: keep the exact match only.
        found = self._call("GET", "/contacts/search", "search contacts", params={"q": value})
        for contact in (found.get("payload") if isinstance(found, dict) else None) or []:
            if isinstance(contact, dict) and str(contact.get(field) or "").casefold() == value.casefold():
                return contact
        return None

    def _call(self, method: str, path: str, what: str, body: Optional[Dict[str, Any]] = None,
              params: Optional[Dict[str, str]] = None) -> Dict[str, Any]:
        url = f"{self.base_url}/api/v1/accounts/{self.account_id}{path}"
        try:
            response = self._client.request(method, url, json=body, params=params, timeout=self.timeout_s,
                                            headers={"api_access_token": self._token, "Accept": "application/json"})
        except httpx.TimeoutException:
            raise ToolError(f"Chatwoot did not answer in {self.timeout_s} s ({what})", retry=True) from None
        except httpx.HTTPError as error:
            raise ToolError(f"Chatwoot could not be reached ({what}): {type(error).__name__}", retry=True) from None
        if not response.is_success:
            status = response.status_code
            detail = response.text[:200].replace(self._token, "***")
            raise ToolError(f"Chatwoot refused to {what}: HTTP {status} {detail}".rstrip(),
                            retry=status >= 500 or status == 429)
        try:
            return response.json()
        except ValueError:
            raise ToolError(f"Chatwoot answered HTTP {response.status_code} without JSON ({what}); "
                            "is base_url the Chatwoot server?", retry=False) from None

    @staticmethod
    def _field(data: Any, key: str, what: str) -> Any:
        if not isinstance(data, dict) or data.get(key) in (None, ""):
            raise ToolError(f"Chatwoot's answer has no {key} ({what})", retry=False)
        return data[key]

    # --- callbacks from Chatwoot ---------------------------------------------------------------

    def callback(self, headers: Mapping[str, str], body: bytes) -> List[AgentEvent]:
        self._check_signature(headers, body)
        try:
            event = json.loads(body)
        except ValueError:
            return []
        if not isinstance(event, dict):
            return []
        if event.get("event") == "message_created":
            return self._agent_reply(event)
        if event.get("event") == "conversation_status_changed" and event.get("status") == "resolved":
            if not self._our_inbox(event.get("inbox_id")) or event.get("id") is None:
                return []
            return [AgentEvent(kind=RESOLVED, external_id=str(event["id"]),
                               event_id=headers.get("x-chatwoot-delivery"))]
        return []

    def _check_signature(self, headers: Mapping[str, str], body: bytes) -> None:
        """X-Chatwoot-Signature is "sha256=" + hex HMAC-SHA256 of "{X-Chatwoot-Timestamp}.{raw body}"
        with the webhook's secret (account webhooks since Chatwoot 4.11.2, API inbox callbacks since
        4.13.0). Unsigned deliveries (older Chatwoot, or no secret) are refused."""
        timestamp = headers.get("x-chatwoot-timestamp", "")
        signature = headers.get("x-chatwoot-signature", "")
        if not timestamp or not signature:
            raise SignatureError("Chatwoot callback without X-Chatwoot-Signature and X-Chatwoot-Timestamp")
        sent_at = unix_time(timestamp, "X-Chatwoot-Timestamp")
        check_same("sha256=" + signing.hex_digest(self._secret, timestamp.encode() + b"." + body), signature)
        # Chatwoot sends a fresh timestamp with every delivery attempt; older ones are replays.
        check_fresh(sent_at)

    def _agent_reply(self, message: Dict[str, Any]) -> List[AgentEvent]:
        sender = message.get("sender") or {}
        conversation = message.get("conversation") or {}
        # Only what an agent (a Chatwoot user) sends the customer: not the customer's own messages
        # (incoming, which we add ourselves), not private notes (our ticket note, agents' notes),
        # not bots' or templates' messages.
        if (message.get("message_type") != "outgoing" or message.get("private") or sender.get("type") != "user"
                or conversation.get("id") is None
                or not self._our_inbox(conversation.get("inbox_id", (message.get("inbox") or {}).get("id")))):
            return []
        parts = [message.get("content") or ""]
        parts += [a["data_url"] for a in message.get("attachments") or [] if isinstance(a, dict) and a.get("data_url")]
        text = "\n".join(part for part in parts if part.strip())
        if not text:
            return []
        return [AgentEvent(kind=AGENT_MESSAGE, external_id=str(conversation["id"]), text=text,
                           agent_name=sender.get("available_name") or sender.get("name"),
                           event_id=str(message["id"]) if message.get("id") is not None else None)]

    def _our_inbox(self, inbox_id: Any) -> bool:
        # An account webhook reports every inbox of the account; the others are not handoffs.
        return inbox_id is None or str(inbox_id) == str(self.inbox_id)
