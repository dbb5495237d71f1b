"""The Zendesk adapter against a local server that plays Zendesk's Support API and refuses
what the real API documents it would refuse; callbacks signed as Zendesk signs them."""
import base64
import hashlib
import hmac
import json
import time
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from handoff.ticket_text import ticket_text
from handoff.tools.base import AGENT_MESSAGE, RESOLVED, CustomerMessage, Line, SignatureError, Ticket, ToolError
from handoff.tools.zendesk import ZendeskTool
from local_server import send_json, serving

EMAIL, TOKEN, SECRET = "bot@shop.example", "zd-api-token-123", "zd-signing-secret-456"
AUTH = "Basic " + base64.b64encode(f"{EMAIL}/token:{TOKEN}".encode()).decode()
T0 = datetime(2026, 5, 4, 9, 30, tzinfo=timezone.utc)


class FakeZendesk(BaseHTTPRequestHandler):
    """Tickets, their comments and end users in memory. Every request is recorded; one the
    real API would refuse gets Zendesk's error answer and lands in `refused`."""

    def log_message(self, *args):  # keep pytest output clean
        pass

    def do_GET(self):
        self._serve()

    def do_POST(self):
        self._serve()

    def do_PUT(self):
        self._serve()

    def _serve(self):
        state = self.server.state
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = json.loads(raw) if raw else None
        state["requests"].append({"method": self.command, "path": self.path, "headers": dict(self.headers),
                                  "json": body})
        if state["delay"]:
            time.sleep(state["delay"])
        if state["fail"]:
            status, answer, headers = state["fail"]
            return send_json(self, status, answer, headers)
        if self.headers.get("Authorization") != AUTH:
            return send_json(self, 401, {"error": "Couldn't authenticate you",
                                         "seen": self.headers.get("Authorization")})
        if "application/json" not in (self.headers.get("Accept") or ""):
            return self._refuse(400, "Accept: application/json is required")
        if self.command in ("POST", "PUT") and self.headers.get("Content-Type") != "application/json":
            return self._refuse(400, "Content-Type: application/json is required")
        route = (self.command, self.path)
        if route == ("POST", "/api/v2/users/create_or_update.json"):
            return self._create_or_update_user(body)
        if route == ("POST", "/api/v2/tickets.json"):
            return self._create_ticket(body)
        if self.path.startswith("/api/v2/tickets/") and self.path.endswith(".json"):
            ticket = state["tickets"].get(self.path[len("/api/v2/tickets/"):-len(".json")])
            if ticket is None:
                return send_json(self, 404, {"error": "RecordNotFound", "description": "Not found"})
            if self.command == "GET":
                return send_json(self, 200, {"ticket": ticket})
            if self.command == "PUT":
                return self._update_ticket(ticket, body)
        return self._refuse(404, f"no such endpoint {self.command} {self.path}")

    def _create_or_update_user(self, body):
        user = (body or {}).get("user") or {}
        if not user.get("name"):
            return self._refuse(422, "user: name is required")
        users = self.server.state["users"]
        key = user.get("external_id") or user.get("email")
        known = key in users
        users.setdefault(key, {"id": 7000 + len(users), **user})
        return send_json(self, 200 if known else 201, {"user": users[key]})

    def _create_ticket(self, body):
        state = self.server.state
        new = (body or {}).get("ticket") or {}
        comment = new.get("comment") or {}
        if not comment.get("body"):
            return self._refuse(422, "ticket.comment.body is required")
        requester = new.get("requester")
        if requester is not None and not (requester.get("name") and requester.get("email")):
            return self._refuse(422, "a new requester needs a name and an email")
        if requester is None and not new.get("requester_id"):
            return self._refuse(422, "requester or requester_id is required")
        key = self.headers.get("Idempotency-Key")
        if key in state["by_key"]:  # Zendesk replays the first answer for the same key
            replay = state["tickets"][state["by_key"][key]]
            return send_json(self, 201, {"ticket": replay}, {"x-idempotency-lookup": "hit"})
        ticket_id = str(35436 + len(state["tickets"]))
        requester_id = new.get("requester_id") or 20978392
        state["tickets"][ticket_id] = {"id": int(ticket_id), "requester_id": requester_id, "status": "new",
                                       "subject": new.get("subject"), "external_id": new.get("external_id"),
                                       "tags": new.get("tags"), "comments": [{"author_id": 1, **comment}]}
        if key:
            state["by_key"][key] = ticket_id
        return send_json(self, 201, {"ticket": state["tickets"][ticket_id]}, {"x-idempotency-lookup": "miss"})

    def _update_ticket(self, ticket, body):
        comment = ((body or {}).get("ticket") or {}).get("comment") or {}
        if not comment.get("body"):
            return self._refuse(422, "ticket.comment.body is required")
        ticket["comments"].append(comment)
        return send_json(self, 200, {"ticket": ticket})

    def _refuse(self, status, why):
        self.server.state["refused"].append(why)
        send_json(self, status, {"error": "RecordInvalid", "description": why})


@pytest.fixture(scope="module")
def server():
    with serving(FakeZendesk) as httpd:
        yield httpd


@pytest.fixture
def zendesk(server):
    server.state = {"requests": [], "refused": [], "tickets": {}, "users": {}, "by_key": {}, "fail": None, "delay": 0}
    tool = ZendeskTool(f"http://127.0.0.1:{server.server_port}", EMAIL, TOKEN, SECRET, timeout_s=2)
    yield tool
    assert server.state["refused"] == [], "the adapter sent a request Zendesk would refuse"


def make_ticket(**customer):
    return Ticket(
        handoff_id="h-0001", conversation_id="conv-42", channel="socketio", reason="missing_package",
        reason_text="Package marked delivered but not received",
        summary="Anna says order 1001 shows delivered on Monday but nothing arrived.",
        customer=customer or {"status": "anonymous"}, order={"number": "1001", "status": "delivered"},
        topics=("where_is_my_order", "missing_package"),
        transcript=(Line("customer", "where is my order 1001?", T0),
                    Line("assistant", "It was delivered on Monday.", T0)),
        created_at=T0,
    )


def only(requests, method, path):
    found = [r for r in requests if r["method"] == method and r["path"] == path]
    assert len(found) == 1, f"expected one {method} {path}, got {[(r['method'], r['path']) for r in requests]}"
    return found[0]


# -- open -----------------------------------------------------------------------------------

def test_open_creates_a_ticket_with_the_context_as_an_internal_note(zendesk, server):
    ticket = make_ticket(status="logged_in", id="c-7", name="Anna Berg", email="anna@example.org")

    external_id = zendesk.open(ticket)

    assert external_id == "35436"
    sent = only(server.state["requests"], "POST", "/api/v2/tickets.json")
    assert sent["headers"]["Idempotency-Key"] == "h-0001"
    new = sent["json"]["ticket"]
    assert new["comment"] == {"body": ticket_text(ticket), "public": False}
    assert new["requester"] == {"name": "Anna Berg", "email": "anna@example.org"}
    assert new["external_id"] == "h-0001"
    assert "Package marked delivered but not received" in new["subject"]
    assert {"assistant_handoff", "reason_missing_package", "channel_socketio"} <= set(new["tags"])
    assert len(server.state["requests"]) == 1  # a customer with an email needs no user call


def test_open_for_an_anonymous_visitor_creates_a_requester_without_email(zendesk, server):
    external_id = zendesk.open(make_ticket(status="anonymous"))

    user_call, ticket_call = server.state["requests"]
    assert user_call["path"] == "/api/v2/users/create_or_update.json"
    user = user_call["json"]["user"]
    assert user["name"] == "Website visitor" and "email" not in user
    assert user["external_id"] == "handoff-visitor-conv-42"
    new = ticket_call["json"]["ticket"]
    assert "requester" not in new
    assert new["requester_id"] == server.state["users"]["handoff-visitor-conv-42"]["id"]
    assert server.state["tickets"][external_id]["requester_id"] == new["requester_id"]


def test_open_retried_after_a_lost_answer_opens_no_second_ticket(zendesk, server):
    ticket = make_ticket(status="verified", email="anna@example.org")

    assert zendesk.open(ticket) == zendesk.open(ticket)
    assert len(server.state["tickets"]) == 1


# -- forward --------------------------------------------------------------------------------

def test_forward_adds_a_public_comment_by_the_requester(zendesk, server):
    ticket = make_ticket(status="anonymous")
    external_id = zendesk.open(ticket)
    requester_id = server.state["tickets"][external_id]["requester_id"]

    zendesk.forward(external_id, ticket, CustomerMessage("m-1", "It still hasn't come, can you check?", T0))

    sent = only(server.state["requests"], "PUT", f"/api/v2/tickets/{external_id}.json")
    assert sent["json"] == {"ticket": {"comment": {"body": "It still hasn't come, can you check?",
                                                   "public": True, "author_id": requester_id}}}
    assert server.state["tickets"][external_id]["comments"][-1]["author_id"] == requester_id


def test_forward_to_a_ticket_that_is_gone_is_not_retried(zendesk):
    with pytest.raises(ToolError) as error:
        zendesk.forward("999", make_ticket(), CustomerMessage("m-1", "hello?", T0))
    assert error.value.retry is False and "HTTP 404" in str(error.value)


# -- failures -------------------------------------------------------------------------------

def test_a_server_error_is_retried_later(zendesk, server):
    server.state["fail"] = (503, {"error": "ServiceUnavailable"}, {})
    with pytest.raises(ToolError) as error:
        zendesk.open(make_ticket(status="verified", email="anna@example.org"))
    assert error.value.retry is True and "HTTP 503" in str(error.value)


def test_rate_limiting_is_retried_and_says_when(zendesk, server):
    server.state["fail"] = (429, {"error": "TooManyRequests"}, {"Retry-After": "7"})
    with pytest.raises(ToolError) as error:
        zendesk.open(make_ticket(status="verified", email="anna@example.org"))
    assert error.value.retry is True and "retry after 7s" in str(error.value)


def test_a_refused_request_is_not_retried_and_says_why(zendesk, server):
    server.state["fail"] = (422, {"error": "RecordInvalid", "description": "Requester: Email is invalid"}, {})
    with pytest.raises(ToolError) as error:
        zendesk.open(make_ticket(status="verified", email="not-an-email"))
    assert error.value.retry is False
    assert "HTTP 422" in str(error.value) and "Email is invalid" in str(error.value)


def test_an_error_never_shows_the_credentials_even_when_echoed(server):
    server.state = {"requests": [], "refused": [], "tickets": {}, "users": {}, "by_key": {}, "fail": None, "delay": 0}
    wrong = ZendeskTool(f"http://127.0.0.1:{server.server_port}", EMAIL, "wrong-token-789", SECRET)
    with pytest.raises(ToolError) as error:  # the fake echoes the Authorization header it saw
        wrong.open(make_ticket(status="verified", email="anna@example.org"))
    message = str(error.value)
    wrong_basic = base64.b64encode(f"{EMAIL}/token:wrong-token-789".encode()).decode()
    assert error.value.retry is False and "HTTP 401" in message
    assert "wrong-token-789" not in message and wrong_basic not in message and SECRET not in message


def test_a_timeout_is_retried_later(zendesk, server):
    zendesk.timeout_s = 0.1
    server.state["delay"] = 0.5
    with pytest.raises(ToolError) as error:
        zendesk.open(make_ticket(status="verified", email="anna@example.org"))
    assert error.value.retry is True and "timed out" in str(error.value)


def test_an_unreachable_zendesk_is_retried_later():
    closed = ThreadingHTTPServer(("127.0.0.1", 0), FakeZendesk)
    port = closed.server_port
    closed.server_close()  # nothing listens there any more
    with pytest.raises(ToolError) as error:
        ZendeskTool(f"http://127.0.0.1:{port}", EMAIL, TOKEN, SECRET).open(make_ticket(email="a@example.org"))
    assert error.value.retry is True and "could not reach" in str(error.value)


# -- callbacks ------------------------------------------------------------------------------

def signed(payload, secret=SECRET, at=None, invocation="8350205582"):
    """Headers and body as Zendesk sends them: base64(HMAC-SHA256(secret, timestamp + body))."""
    body = json.dumps(payload).encode()
    stamp = (at or datetime.now(timezone.utc)).strftime("%Y-%m-%dT%H:%M:%SZ")
    digest = hmac.new(secret.encode(), stamp.encode() + body, hashlib.sha256).digest()
    return {"x-zendesk-webhook-signature": base64.b64encode(digest).decode(),
            "x-zendesk-webhook-signature-timestamp": stamp,
            "x-zendesk-webhook-id": "01F1KRFQ6BG29CNWFR60NK5FNY",
            "x-zendesk-webhook-invocation-id": invocation}, body


def trigger_body(**changes):
    """What the documented trigger template renders for an agent's public reply."""
    body = {"ticket_id": "35436", "status": "Open", "requester_id": "20978392", "comment_id": "54509363035291",
            "comment_public": "true", "comment_author_id": "1900", "comment_author_name": "Sam from Support",
            "comment": "Hi Anna, the courier confirms a wrong address; we are sending a new one today."}
    body.update(changes)
    return body


def test_an_agents_public_reply_comes_back_as_an_agent_message(zendesk):
    events = zendesk.callback(*signed(trigger_body()))

    assert [(e.kind, e.external_id, e.text, e.agent_name, e.event_id) for e in events] == [
        (AGENT_MESSAGE, "35436", "Hi Anna, the courier confirms a wrong address; we are sending a new one today.",
         "Sam from Support", "zendesk-comment-54509363035291")]


def test_a_solved_ticket_resolves_the_handoff_after_the_last_reply(zendesk):
    events = zendesk.callback(*signed(trigger_body(status="Solved")))

    assert [(e.kind, e.external_id) for e in events] == [(AGENT_MESSAGE, "35436"), (RESOLVED, "35436")]
    assert events[1].event_id == "zendesk-solved-35436-8350205582"


def test_solving_with_an_internal_note_resolves_without_a_message(zendesk):
    events = zendesk.callback(*signed(trigger_body(status="Solved", comment_public="false", comment="refund approved")))

    assert [(e.kind, e.text) for e in events] == [(RESOLVED, None)]


def test_the_customers_own_comment_coming_back_is_ignored(zendesk):
    echo = trigger_body(comment_author_id="20978392", comment_author_name="Website visitor", comment="hello?")

    assert zendesk.callback(*signed(echo)) == []


def test_a_callback_with_a_wrong_signature_is_refused(zendesk):
    headers, body = signed(trigger_body(), secret="somebody-elses-secret")
    with pytest.raises(SignatureError):
        zendesk.callback(headers, body)


def test_a_callback_whose_body_was_changed_is_refused(zendesk):
    headers, body = signed(trigger_body())
    with pytest.raises(SignatureError):
        zendesk.callback(headers, body.replace(b"Sam from Support", b"Mallory"))


def test_a_callback_without_signature_headers_is_refused(zendesk):
    headers, body = signed(trigger_body())
    for missing in ("x-zendesk-webhook-signature", "x-zendesk-webhook-signature-timestamp"):
        with pytest.raises(SignatureError):
            zendesk.callback({k: v for k, v in headers.items() if k != missing}, body)


def test_a_replayed_callback_older_than_five_minutes_is_refused(zendesk):
    headers, body = signed(trigger_body(), at=datetime.now(timezone.utc) - timedelta(minutes=6))
    with pytest.raises(SignatureError):
        zendesk.callback(headers, body)


def test_a_signing_secret_is_required():
    with pytest.raises(ValueError):
        ZendeskTool("https://shop.zendesk.com", EMAIL, TOKEN, webhook_secret="")
