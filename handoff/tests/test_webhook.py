"""The generic webhook adapter against a local receiver that checks every request the way
the module's contract tells another team to check it; callbacks signed the same way."""
import hashlib
import hmac
import json
import time
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from handoff.ticket_text import ticket_text
from handoff.tools.base import (AGENT_MESSAGE, GIVEN_BACK, RESOLVED, CustomerMessage, Line, SignatureError, Ticket,
                                ToolError)
from handoff.tools.webhook import WebhookTool
from local_server import send_json, serving

SECRET = "shared-secret-for-tests"
PATH = "/hooks/tok-9f8e7d"  # receivers often keep a token in the URL: it must not leak either
T0 = datetime(2026, 5, 4, 9, 30, tzinfo=timezone.utc)


def sign(secret, timestamp, body):
    """The contract's signature, computed independently of the adapter."""
    return "sha256=" + hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


class Receiver(BaseHTTPRequestHandler):
    """Another team's endpoint: verifies the signature and freshness, records what arrived,
    and answers as told (its own id, nothing, an error, or slowly)."""

    def log_message(self, *args):
        pass

    def do_POST(self):
        state = self.server.state
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        stamp = self.headers.get("X-Handoff-Timestamp") or ""
        fresh = stamp.isdigit() and abs(time.time() - int(stamp)) <= 300
        valid = hmac.compare_digest(sign(SECRET, stamp, body), self.headers.get("X-Handoff-Signature") or "")
        state["received"].append({"path": self.path, "headers": dict(self.headers), "json": json.loads(body),
                                  "signed": fresh and valid})
        if state["delay"]:
            time.sleep(state["delay"])
        if self.path != PATH or self.headers.get("Content-Type") != "application/json":
            return send_json(self, 404, {"error": "not here"})
        if not (fresh and valid):
            return send_json(self, 401, {"error": "bad signature"})
        status, answer = state["answer"]
        send_json(self, status, answer)


@pytest.fixture(scope="module")
def server():
    with serving(Receiver) as httpd:
        yield httpd


@pytest.fixture
def webhook(server):
    server.state = {"received": [], "answer": (200, {"id": "CASE-77"}), "delay": 0}
    return WebhookTool(f"http://127.0.0.1:{server.server_port}{PATH}", SECRET, timeout_s=2)


def make_ticket():
    return Ticket(
        handoff_id="h-0002", conversation_id="conv-43", channel="telegram", reason="customer_asked",
        reason_text="The customer asked for a person",
        summary="Ben wants to change the delivery address of order 1002.",
        customer={"status": "logged_in", "id": "c-9", "name": "Ben Ode", "email": "ben@example.org"},
        order={"number": "1002", "ships_on": T0.date()}, topics=("change_address",),
        transcript=(Line("customer", "can I change my address?", T0), Line("assistant", "A person will help you.", T0)),
        created_at=T0, details=(("Customer", "Ben Ode"),),
    )


# -- outbound -------------------------------------------------------------------------------

def test_open_posts_the_signed_handoff_and_returns_the_receivers_id(webhook, server):
    ticket = make_ticket()

    assert webhook.open(ticket) == "CASE-77"

    (request,) = server.state["received"]
    assert request["signed"] and request["headers"]["X-Handoff-Signature"].startswith("sha256=")
    sent = request["json"]
    assert sent["event"] == "handoff.opened" and sent["text"] == ticket_text(ticket)
    handoff = sent["handoff"]
    assert handoff["handoff_id"] == "h-0002" and handoff["reason"] == "customer_asked"
    assert handoff["customer"]["email"] == "ben@example.org" and handoff["topics"] == ["change_address"]
    assert handoff["order"] == {"number": "1002", "ships_on": "2026-05-04"}
    assert handoff["details"] == [{"label": "Customer", "text": "Ben Ode"}]
    assert handoff["transcript"][0] == {"author": "customer", "text": "can I change my address?",
                                        "at": "2026-05-04T09:30:00+00:00"}
    assert handoff["created_at"] == "2026-05-04T09:30:00+00:00"


@pytest.mark.parametrize("answer", [(200, {}), (204, None), (202, {"status": "queued"})])
def test_open_without_an_id_in_the_answer_uses_the_handoff_id(webhook, server, answer):
    server.state["answer"] = answer
    assert webhook.open(make_ticket()) == "h-0002"


def test_forward_posts_the_signed_customer_message(webhook, server):
    webhook.forward("CASE-77", make_ticket(), CustomerMessage("m-5", "It's Hauptstrasse 5 now.", T0))

    (request,) = server.state["received"]
    assert request["signed"]
    assert request["json"] == {"event": "handoff.customer_message", "handoff_id": "h-0002", "external_id": "CASE-77",
                               "message": {"message_id": "m-5", "text": "It's Hauptstrasse 5 now.",
                                           "at": "2026-05-04T09:30:00+00:00"}}


def test_a_receiver_error_is_retried_later(webhook, server):
    server.state["answer"] = (502, {"error": "upstream down"})
    with pytest.raises(ToolError) as error:
        webhook.open(make_ticket())
    assert error.value.retry is True and "HTTP 502" in str(error.value)


def test_a_refusal_is_not_retried_and_leaks_neither_secret_nor_url(webhook, server):
    server.state["answer"] = (400, {"error": f"bad payload for {PATH}", "secret": SECRET})
    with pytest.raises(ToolError) as error:
        webhook.forward("CASE-77", make_ticket(), CustomerMessage("m-5", "hi", T0))
    message = str(error.value)
    assert error.value.retry is False and "HTTP 400" in message
    assert SECRET not in message and "tok-9f8e7d" not in message


def test_a_slow_receiver_times_out_and_is_retried_later(webhook, server):
    webhook.timeout_s = 0.1
    server.state["delay"] = 0.5
    with pytest.raises(ToolError) as error:
        webhook.open(make_ticket())
    assert error.value.retry is True and "timed out" in str(error.value)


def test_an_unreachable_receiver_is_retried_later():
    closed = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    port = closed.server_port
    closed.server_close()
    with pytest.raises(ToolError) as error:
        WebhookTool(f"http://127.0.0.1:{port}{PATH}", SECRET).open(make_ticket())
    assert error.value.retry is True and "tok-9f8e7d" not in str(error.value)


# -- callbacks ------------------------------------------------------------------------------

def signed(payload, secret=SECRET, at=None):
    body = json.dumps(payload).encode()
    stamp = str(int(at if at is not None else time.time()))
    return {"x-handoff-timestamp": stamp, "x-handoff-signature": sign(secret, stamp, body)}, body


def test_an_agent_message_comes_back(webhook):
    events = webhook.callback(*signed({"event": "agent_message", "external_id": "CASE-77",
                                       "text": "Done, new address saved.", "agent": {"name": "Kim"},
                                       "event_id": "evt-1"}))

    assert [(e.kind, e.external_id, e.text, e.agent_name, e.event_id) for e in events] == [
        (AGENT_MESSAGE, "CASE-77", "Done, new address saved.", "Kim", "evt-1")]


def test_resolved_and_given_back_end_the_agents_turn(webhook):
    resolved = webhook.callback(*signed({"event": "resolved", "external_id": "CASE-77", "event_id": "evt-2"}))
    given_back = webhook.callback(*signed({"event": "given_back", "handoff_id": "h-0002", "event_id": "evt-3"}))

    assert [(e.kind, e.external_id, e.event_id) for e in resolved + given_back] == [
        (RESOLVED, "CASE-77", "evt-2"), (GIVEN_BACK, "h-0002", "evt-3")]


def test_an_event_of_another_name_is_ignored(webhook):
    assert webhook.callback(*signed({"event": "agent_typing", "external_id": "CASE-77"})) == []


def test_an_agent_message_without_text_is_malformed(webhook):
    with pytest.raises(ValueError):
        webhook.callback(*signed({"event": "agent_message", "external_id": "CASE-77", "text": " "}))


@pytest.mark.parametrize("spoil", ["wrong secret", "changed body", "no signature", "no timestamp", "stale",
                                   "from the future", "a time no calendar holds"])
def test_a_callback_not_signed_as_agreed_is_refused(webhook, spoil):
    payload = {"event": "resolved", "external_id": "CASE-77", "event_id": "evt-9"}
    at = {"stale": time.time() - 301, "from the future": time.time() + 301, "a time no calendar holds": 10**20}.get(spoil)
    headers, body = signed(payload, secret="not-the-secret" if spoil == "wrong secret" else SECRET, at=at)
    if spoil == "changed body":
        body = body.replace(b"resolved", b"given_back")
    if spoil == "no signature":
        del headers["x-handoff-signature"]
    if spoil == "no timestamp":
        del headers["x-handoff-timestamp"]
    with pytest.raises(SignatureError):
        webhook.callback(headers, body)


def test_a_shared_secret_is_required():
    with pytest.raises(ValueError):
        WebhookTool("https://tool.example/hook", secret="")
