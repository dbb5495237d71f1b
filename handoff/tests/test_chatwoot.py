"""The Chatwoot adapter against a local HTTP server that plays Chatwoot's Application API as
it is documented (developers.chatwoot.com/api-reference), and against webhook deliveries
shaped like Chatwoot's own samples, signed as Chatwoot signs them."""
import dataclasses
import hashlib
import hmac
import json
import re
import socket
import time
import uuid
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit

import pytest

from handoff.tools.base import AGENT_MESSAGE, RESOLVED, CustomerMessage, Line, SignatureError, Ticket, ToolError
from handoff.tools.chatwoot import ChatwootTool
from local_server import send_answer, send_json, serving

ACCOUNT, INBOX = 7, 3
TOKEN = "cw-token-d41d8cd98f00"
SECRET = "webhook-secret-0c9a"
AT = datetime(2024, 5, 2, 9, 30, tzinfo=timezone.utc)


def make_ticket(**changes) -> Ticket:
    ticket = Ticket(
        handoff_id="h-0001", conversation_id="web-5f2c9e", channel="socketio", reason="missing_package",
        reason_text="A package of the order is missing",
        summary="Anna (logged in) says order 12345678 came without its charger; the assistant found one parcel only.",
        customer={"status": "logged_in", "id": "c-42", "name": "Anna Berg", "email": "anna@example.com"},
        order={"number": "12345678", "item": "iPhone 12, 128 GB", "status": "delivered"},
        topics=("where_is_my_order", "missing_package"),
        transcript=(Line("customer", "my order came without the charger", AT),
                    Line("assistant", "I'm sorry. I'll pass you to a colleague.", AT)),
        created_at=AT)
    return dataclasses.replace(ticket, **changes)


# --- a Chatwoot that checks what it is sent -------------------------------------------------

class FakeChatwoot:
    """Chatwoot's Application API for one account with one API inbox. Every request is recorded;
    one that breaks the documented contract is refused (422) and noted in `problems`."""

    def __init__(self):
        self.reset()

    def reset(self):
        self.requests, self.problems = [], []
        self.contacts, self.sessions, self.conversations = {}, {}, {}  # sessions: source_id -> (contact, inbox)
        self.answer_next, self.delay_next = None, 0.0

    def add_contact(self, **fields):
        contact = {"id": len(self.contacts) + 101, "name": "", "email": None, "identifier": None, **fields}
        self.contacts[contact["id"]] = contact
        return contact

    def paths(self):
        return [f"{method} {path}" for method, path, _, _ in self.requests]

    def bodies(self, path_end):
        return [body for _, path, _, body in self.requests if path.endswith(path_end)]

    # Each answers (status, json) for a request whose token and JSON were already checked.
    def handle(self, method, path, query, body):
        base = f"/api/v1/accounts/{ACCOUNT}"
        routes = [("POST", rf"{base}/contacts", self.create_contact),
                  ("GET", rf"{base}/contacts/search", self.search_contacts),
                  ("POST", rf"{base}/contacts/(\d+)/contact_inboxes", self.create_contact_inbox),
                  ("POST", rf"{base}/conversations", self.create_conversation),
                  ("POST", rf"{base}/conversations/(\d+)/messages", self.create_message)]
        for route_method, pattern, answer in routes:
            match = re.fullmatch(pattern, path)
            if match and method == route_method:
                return answer(*[int(g) for g in match.groups()], query=query, body=body)
        return 404, {"error": "Resource could not be found"}

    def refuse(self, why):
        self.problems.append(why)
        return 422, {"message": why}

    def create_contact(self, query, body):
        # contact_create_payload: inbox_id required; name, email, identifier optional strings.
        if body.get("inbox_id") != INBOX:
            return self.refuse("contact: inbox_id must be the API inbox's id")
        if any(not isinstance(body.get(key, ""), str) for key in ("name", "email", "identifier")):
            return self.refuse("contact: name, email and identifier are strings")
        for other in self.contacts.values():  # Chatwoot: identifier and email unique in the account
            if body.get("identifier") and other["identifier"] == body["identifier"]:
                return 422, {"message": "Identifier has already been taken"}
            if body.get("email") and (other["email"] or "").lower() == body["email"].lower():
                return 422, {"message": "Email has already been taken"}
        contact = self.add_contact(**{k: body[k] for k in ("name", "email", "identifier") if k in body})
        source_id = self.new_session(contact["id"])
        return 200, {"payload": {"contact": contact,
                                 "contact_inbox": {"source_id": source_id, "inbox": {"id": INBOX}}}}

    def search_contacts(self, query, body):
        q = query.get("q", [""])[0].lower()
        if not q:
            return self.refuse("search: q is required")
        found = [c for c in self.contacts.values()
                 if any(q in (c[key] or "").lower() for key in ("name", "email", "identifier"))]
        return 200, {"meta": {"count": len(found), "current_page": 1}, "payload": found}

    def create_contact_inbox(self, contact_id, query, body):
        if body.get("inbox_id") != INBOX:
            return self.refuse("contact inbox: inbox_id (required) must be the API inbox's id")
        if contact_id not in self.contacts:
            return 404, {"error": "Resource could not be found"}
        return 200, {"source_id": self.new_session(contact_id), "inbox": {"id": INBOX}}

    def create_conversation(self, query, body):
        # conversation_create_payload: source_id required, with inbox_id and contact_id.
        if not isinstance(body.get("source_id"), str) or not body["source_id"]:
            return self.refuse("conversation: source_id (string) is required")
        if self.sessions.get(body["source_id"]) != (body.get("contact_id"), body.get("inbox_id")):
            return self.refuse("conversation: source_id is not this contact's session in this inbox")
        if not isinstance(body.get("custom_attributes", {}), dict):
            return self.refuse("conversation: custom_attributes is an object")
        display_id = len(self.conversations) + 1
        self.conversations[display_id] = {"contact_id": body["contact_id"], "messages": []}
        return 200, {"id": display_id, "account_id": ACCOUNT, "inbox_id": INBOX}

    def create_message(self, display_id, query, body):
        # conversation_message_create_payload: content required; message_type outgoing|incoming.
        if not isinstance(body.get("content"), str) or not body["content"]:
            return self.refuse("message: content is required")
        if body.get("message_type", "outgoing") not in ("outgoing", "incoming"):
            return self.refuse("message: message_type is outgoing or incoming")
        if not isinstance(body.get("private", False), bool):
            return self.refuse("message: private is a boolean")
        if display_id not in self.conversations:
            return 404, {"error": "Resource could not be found"}
        message = {"id": 900 + sum(len(c["messages"]) for c in self.conversations.values()),
                   "content": body["content"], "message_type": body.get("message_type", "outgoing"),
                   "private": body.get("private", False), "conversation_id": display_id}
        self.conversations[display_id]["messages"].append(message)
        return 200, message

    def new_session(self, contact_id):
        source_id = str(uuid.uuid4())
        self.sessions[source_id] = (contact_id, INBOX)
        return source_id


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        self._serve()

    def do_POST(self):
        self._serve()

    def _serve(self):
        fake: FakeChatwoot = self.server.fake
        url = urlsplit(self.path)
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = None
        if self.command == "POST":
            try:
                body = json.loads(raw)
            except ValueError:
                body = None
        fake.requests.append((self.command, url.path, parse_qs(url.query), body))
        if fake.delay_next:
            delay, fake.delay_next = fake.delay_next, 0.0
            time.sleep(delay)
        if fake.answer_next:
            (status, text), fake.answer_next = fake.answer_next, None
            return send_answer(self, status, text.encode(), "text/plain")
        if self.headers.get("api_access_token") != TOKEN:  # the documented authentication header
            return send_answer(self, 401, b'{"error":"You need to sign in or sign up before continuing."}')
        if self.command == "POST" and (not self.headers.get("Content-Type", "").startswith("application/json")
                                       or not isinstance(body, dict)):
            fake.problems.append(f"{url.path}: body is not a JSON object")
            return send_answer(self, 422, b'{"message":"JSON object expected"}')
        status, answer = fake.handle(self.command, url.path, parse_qs(url.query), body or {})
        send_json(self, status, answer)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    with serving(_Handler) as httpd:
        httpd.fake = FakeChatwoot()
        yield httpd


@pytest.fixture
def chatwoot(server):
    server.fake.reset()
    yield server.fake
    assert server.fake.problems == [], "requests Chatwoot's API documentation does not allow"


@pytest.fixture
def tool(server, chatwoot):
    return ChatwootTool(base_url=f"http://127.0.0.1:{server.server_address[1]}/", account_id=ACCOUNT,
                        inbox_id=INBOX, api_token=TOKEN, webhook_secret=SECRET, timeout_s=1)


def account_path(path):
    return f"/api/v1/accounts/{ACCOUNT}{path}"


# --- open ------------------------------------------------------------------------------------

def test_open_creates_the_contact_the_conversation_and_a_private_note_that_starts_with_the_summary(tool, chatwoot):
    ticket = make_ticket()

    external_id = tool.open(ticket)

    assert external_id == "1"
    assert chatwoot.paths() == [
        f"GET {account_path('/contacts/search')}", f"GET {account_path('/contacts/search')}",  # identifier, email
        f"POST {account_path('/contacts')}", f"POST {account_path('/conversations')}",
        f"POST {account_path('/conversations/1/messages')}"]
    [contact] = chatwoot.bodies("/contacts")
    assert contact == {"inbox_id": INBOX, "identifier": "web-5f2c9e", "name": "Anna Berg",
                       "email": "anna@example.com"}
    [conversation] = chatwoot.bodies("/conversations")
    assert conversation["inbox_id"] == INBOX and conversation["contact_id"] == 101
    assert chatwoot.sessions[conversation["source_id"]] == (101, INBOX)
    assert conversation["custom_attributes"] == {"handoff_id": "h-0001", "handoff_reason": "missing_package",
                                                 "order_number": "12345678"}
    [note] = chatwoot.conversations[1]["messages"]
    assert note["private"] is True and note["message_type"] == "outgoing"
    assert note["content"].startswith(ticket.summary)
    assert "Customer: my order came without the charger" in note["content"]


def test_open_does_not_replay_the_transcript_as_messages(tool, chatwoot):
    tool.open(make_ticket())

    assert [m["private"] for m in chatwoot.conversations[1]["messages"]] == [True]


def test_a_customer_handed_over_again_keeps_their_contact_and_gets_a_new_conversation(tool, chatwoot):
    known = chatwoot.add_contact(name="Anna Berg", email="anna@example.com", identifier="web-5f2c9e")

    assert tool.open(make_ticket()) == "1"
    assert tool.open(make_ticket(handoff_id="h-0002")) == "2"

    new_session = f"POST {account_path('/contacts/%d/contact_inboxes' % known['id'])}"
    assert f"POST {account_path('/contacts')}" not in chatwoot.paths()
    assert chatwoot.paths().count(new_session) == 2
    assert [c["contact_id"] for c in chatwoot.conversations.values()] == [known["id"], known["id"]]


def test_a_customer_known_by_email_from_another_conversation_keeps_their_contact(tool, chatwoot):
    known = chatwoot.add_contact(name="Anna", email="Anna@Example.com", identifier="telegram-991")

    tool.open(make_ticket())

    assert f"POST {account_path('/contacts')}" not in chatwoot.paths()
    assert chatwoot.conversations[1]["contact_id"] == known["id"]


def test_a_contact_whose_identifier_only_contains_the_conversation_id_is_not_taken(tool, chatwoot):
    chatwoot.add_contact(name="Someone else", identifier="web-5f2c9e-2")

    tool.open(make_ticket(customer={"status": "anonymous"}))

    [contact] = chatwoot.bodies("/contacts")
    assert contact["identifier"] == "web-5f2c9e"


def test_an_anonymous_customer_gets_a_contact_named_after_the_channel_and_no_email(tool, chatwoot):
    tool.open(make_ticket(customer={"status": "anonymous"}, order=None))

    [contact] = chatwoot.bodies("/contacts")
    assert contact == {"inbox_id": INBOX, "identifier": "web-5f2c9e", "name": "Customer on socketio"}
    assert chatwoot.paths().count(f"GET {account_path('/contacts/search')}") == 1  # no email to look for
    [conversation] = chatwoot.bodies("/conversations")
    assert "order_number" not in conversation["custom_attributes"]


# --- forward ---------------------------------------------------------------------------------

def test_forward_adds_the_customers_message_as_an_incoming_message(tool, chatwoot):
    external_id = tool.open(make_ticket())

    tool.forward(external_id, make_ticket(), CustomerMessage("m-7", "It was a white USB-C charger", AT))

    note, message = chatwoot.conversations[1]["messages"]
    assert message["content"] == "It was a white USB-C charger"
    assert message["message_type"] == "incoming" and message["private"] is False


# --- errors ----------------------------------------------------------------------------------

@pytest.mark.parametrize("status", [500, 502, 503, 429])
def test_server_errors_and_rate_limits_are_retried_later(tool, chatwoot, status):
    chatwoot.answer_next = (status, f"upstream trouble for token {TOKEN}")

    with pytest.raises(ToolError) as error:
        tool.forward("1", make_ticket(), CustomerMessage("m-7", "hello?", AT))

    assert error.value.retry is True
    assert str(status) in str(error.value)
    assert TOKEN not in str(error.value)


def test_an_unknown_conversation_is_not_retried(tool, chatwoot):
    with pytest.raises(ToolError) as error:
        tool.forward("404", make_ticket(), CustomerMessage("m-7", "hello?", AT))

    assert error.value.retry is False
    assert "404" in str(error.value)


def test_a_wrong_token_is_not_retried_and_not_shown(server, chatwoot):
    tool = ChatwootTool(base_url=f"http://127.0.0.1:{server.server_address[1]}", account_id=ACCOUNT,
                        inbox_id=INBOX, api_token="not-the-token-5e1f", webhook_secret=SECRET, timeout_s=1)

    with pytest.raises(ToolError) as error:
        tool.open(make_ticket())

    assert error.value.retry is False
    assert "401" in str(error.value) and "not-the-token-5e1f" not in str(error.value)
    assert chatwoot.conversations == {}


def test_an_answer_that_is_not_chatwoots_json_is_not_retried(tool, chatwoot):
    chatwoot.answer_next = (200, "<html>login</html>")

    with pytest.raises(ToolError) as error:
        tool.open(make_ticket())

    assert error.value.retry is False


def test_a_slow_chatwoot_times_out_and_is_retried_later(server, chatwoot):
    tool = ChatwootTool(base_url=f"http://127.0.0.1:{server.server_address[1]}", account_id=ACCOUNT,
                        inbox_id=INBOX, api_token=TOKEN, webhook_secret=SECRET, timeout_s=0.2)
    chatwoot.delay_next = 1.0
    started = time.monotonic()

    with pytest.raises(ToolError) as error:
        tool.forward("1", make_ticket(), CustomerMessage("m-7", "hello?", AT))

    assert time.monotonic() - started < 0.9
    assert error.value.retry is True
    assert "0.2 s" in str(error.value)


def test_an_unreachable_chatwoot_is_retried_later(chatwoot):
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]  # closed again before the call: nothing listens there
    tool = ChatwootTool(base_url=f"http://127.0.0.1:{port}", account_id=ACCOUNT, inbox_id=INBOX,
                        api_token=TOKEN, webhook_secret=SECRET, timeout_s=1)

    with pytest.raises(ToolError) as error:
        tool.open(make_ticket())

    assert error.value.retry is True
    assert TOKEN not in str(error.value)


# --- callbacks -------------------------------------------------------------------------------

def signed(payload, secret=SECRET, at=None):
    """A delivery as Chatwoot sends it: X-Chatwoot-Signature is "sha256=" and the hex HMAC-SHA256
    of "{timestamp}.{body}"; headers lower-cased as the service hands them over."""
    body = json.dumps(payload).encode()
    timestamp = str(int(time.time() if at is None else at))
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return {"content-type": "application/json", "x-chatwoot-timestamp": timestamp,
            "x-chatwoot-signature": f"sha256={digest}", "x-chatwoot-delivery": "6f1c0c1e-delivery"}, body


def message_created(content="Hi Anna, we're sending the charger today.", message_type="outgoing", private=False,
                    sender=None, inbox_id=INBOX):
    """Shaped like the message_created sample of Chatwoot's webhook documentation."""
    return {"event": "message_created", "id": 5120, "content": content, "created_at": "2024-05-02T09:41:00.000Z",
            "message_type": message_type, "content_type": "text", "private": private, "content_attributes": {},
            "source_id": None,
            "sender": sender or {"id": 4, "name": "Maria Lopez", "email": "maria@shop.example", "type": "user"},
            "inbox": {"id": inbox_id, "name": "Assistant handoffs"},
            "conversation": {"id": 12, "inbox_id": inbox_id, "status": "open", "channel": "Channel::Api",
                             "contact_inbox": {"source_id": "3f0b-session"}},
            "account": {"id": ACCOUNT, "name": "Refurb Shop"}}


def status_changed(status, inbox_id=INBOX):
    return {"event": "conversation_status_changed", "id": 12, "inbox_id": inbox_id, "status": status,
            "channel": "Channel::Api", "meta": {"assignee": {"id": 4, "name": "Maria Lopez", "type": "user"}},
            "account": {"id": ACCOUNT, "name": "Refurb Shop"}}


def test_an_agents_reply_comes_back_with_its_text_and_the_agents_name(tool):
    [event] = tool.callback(*signed(message_created()))

    assert event.kind == AGENT_MESSAGE
    assert event.external_id == "12"
    assert event.text == "Hi Anna, we're sending the charger today."
    assert event.agent_name == "Maria Lopez"
    assert event.event_id == "5120"


def test_an_agents_attachment_is_passed_on_as_its_link(tool):
    reply = message_created(content=None)
    reply["attachments"] = [{"id": 1, "file_type": "image", "data_url": "https://cw.example/files/label.png"}]

    [event] = tool.callback(*signed(reply))

    assert event.text == "https://cw.example/files/label.png"


def test_resolving_the_conversation_gives_it_back_to_the_assistant(tool):
    assert [(e.kind, e.external_id) for e in tool.callback(*signed(status_changed("resolved")))] == [(RESOLVED, "12")]


@pytest.mark.parametrize("status", ["open", "pending", "snoozed"])
def test_other_status_changes_say_nothing(tool, status):
    assert tool.callback(*signed(status_changed(status))) == []


@pytest.mark.parametrize("payload", [
    message_created(message_type="incoming", sender={"id": 101, "name": "Anna Berg", "type": "contact"}),
    message_created(private=True),  # a private note: our ticket note, or agents talking among themselves
    message_created(sender={"id": 2, "name": "Returns bot", "type": "agent_bot"}),
    message_created(message_type="template", sender={}),
    message_created(inbox_id=INBOX + 1),  # an account webhook also reports the account's other inboxes
    message_created(content=""),
    status_changed("resolved", inbox_id=INBOX + 1),
    {"event": "conversation_created", "id": 12, "inbox_id": INBOX, "status": "open"},
], ids=["customer", "private-note", "bot", "template", "other-inbox", "empty", "other-inbox-resolved", "created"])
def test_what_is_not_an_agent_talking_to_the_customer_is_ignored(tool, payload):
    assert tool.callback(*signed(payload)) == []


def test_our_own_note_and_forwarded_message_coming_back_are_ignored(tool, chatwoot):
    external_id = tool.open(make_ticket())
    tool.forward(external_id, make_ticket(), CustomerMessage("m-7", "It was white", AT))
    note, forwarded = chatwoot.conversations[1]["messages"]
    # as Chatwoot reports them: the note sent by the token's user, the message by the contact
    echoes = [message_created(content=note["content"], private=True),
              message_created(content=forwarded["content"], message_type="incoming",
                              sender={"id": 101, "name": "Anna Berg", "type": "contact"})]

    assert [tool.callback(*signed(echo)) for echo in echoes] == [[], []]


def test_a_callback_without_a_signature_is_refused(tool):
    headers, body = signed(message_created())

    for missing in ("x-chatwoot-signature", "x-chatwoot-timestamp"):
        with pytest.raises(SignatureError):
            tool.callback({k: v for k, v in headers.items() if k != missing}, body)


def test_a_callback_signed_with_another_secret_is_refused(tool):
    with pytest.raises(SignatureError):
        tool.callback(*signed(message_created(), secret="someone-elses-secret"))


def test_a_callback_whose_body_was_changed_after_signing_is_refused(tool):
    headers, body = signed(message_created())

    with pytest.raises(SignatureError):
        tool.callback(headers, body.replace(b"charger", b"refund!"))


def test_a_signature_of_the_body_alone_is_refused(tool):
    headers, body = signed(message_created())
    headers["x-chatwoot-signature"] = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()

    with pytest.raises(SignatureError):
        tool.callback(headers, body)


@pytest.mark.parametrize("seconds", [-301, 301])
def test_a_callback_more_than_five_minutes_old_or_ahead_is_refused(tool, seconds):
    with pytest.raises(SignatureError):
        tool.callback(*signed(message_created(), at=time.time() + seconds))


def test_a_callback_signed_at_a_time_no_calendar_holds_is_refused(tool):
    with pytest.raises(SignatureError):
        tool.callback(*signed(message_created(), at=10**20))


def test_a_callback_four_minutes_old_is_accepted(tool):
    assert len(tool.callback(*signed(message_created(), at=time.time() - 240))) == 1


@pytest.mark.parametrize("timestamp", ["", "soon", "１７１４６４２０００", "-5"])
def test_a_callback_with_a_malformed_timestamp_is_refused(tool, timestamp):
    headers, body = signed(message_created())
    headers["x-chatwoot-timestamp"] = timestamp

    with pytest.raises(SignatureError):
        tool.callback(headers, body)
