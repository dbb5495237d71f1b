"""The deliveries (handoff/worker.py) with real pieces: the service's store in a SQLite file,
Rasa's tracker store in another (the `events` table as rasa.core.tracker_store.SQLTrackerStore
creates and fills it), and a local HTTP server playing Rasa's HTTP API the way
handoff/rasa_api.py calls it: it checks the token and the query parameters, records each
request, writes the events into the tracker store as Rasa would, and can be told to fail."""
import json
import re
import sqlite3
import time
import uuid
from datetime import timedelta
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from handoff.conversations import RESCAN, Conversations
from handoff.rasa_api import RasaApi
from handoff.service import agent_says, end, open_handoff
from handoff.store import (
    ACKNOWLEDGEMENT, FROM_ASSISTANT, GIVEN_BACK, RESOLVED, TO_AGENT, TO_CUSTOMER, Cursor, Handoff, Message, connect, now,
)
from handoff.tools.desk import DeskTool
from handoff.tools.webhook import WebhookTool
from handoff.worker import CURSOR, Worker, start
from local_server import send_json, serving

TOKEN = "rasa-token-for-tests"
AGENT = {"name": "Maria"}


# -- Rasa's tracker store -------------------------------------------------------------------------

# rasa/core/tracker_store.py, SQLTrackerStore.SQLEvent (Rasa 3.6), as SQLite gets it.
EVENTS_TABLE = """
CREATE TABLE events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    sender_id VARCHAR(255) NOT NULL,
    type_name VARCHAR(255) NOT NULL,
    timestamp FLOAT,
    intent_name VARCHAR(255),
    action_name VARCHAR(255),
    data TEXT
);
CREATE INDEX ix_events_sender_id ON events (sender_id);
"""


class TrackerStore:
    """Writes rows as SQLTrackerStore.save does: type_name, timestamp, the intent's name, the
    event's "name" as action_name, and the event's as_dict() as JSON in data."""

    def __init__(self, path):
        self.path = path
        with sqlite3.connect(path) as db:
            db.executescript(EVENTS_TABLE)

    def write(self, sender_id, event, row_id=None):
        event = {"timestamp": time.time(), **event}
        with sqlite3.connect(self.path) as db:
            cursor = db.execute(
                "INSERT INTO events (id, sender_id, type_name, timestamp, intent_name, action_name, data) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (row_id, sender_id, event["event"], event["timestamp"],
                 event.get("parse_data", {}).get("intent", {}).get("name"), event.get("name"), json.dumps(event)))
            return cursor.lastrowid

    def user(self, sender_id, text, at, row_id=None, intent="inform", entities=()):
        """A customer's message (UserUttered.as_dict()); returns its message_id."""
        message_id = uuid.uuid4().hex
        self.write(sender_id, {
            "event": "user", "timestamp": at, "metadata": {}, "text": text,
            "parse_data": {"intent": {"name": intent, "confidence": 0.91}, "text": text,
                           "entities": [{"entity": name, "value": value} for name, value in entities],
                           "message_id": message_id, "metadata": {}},
            "input_channel": "socketio", "message_id": message_id,
        }, row_id)
        return message_id

    def assistant_turn(self, sender_id, text):
        self.write(sender_id, {"event": "action", "name": "utter_reply", "policy": "RulePolicy", "confidence": 1.0})
        self.write(sender_id, {"event": "bot", "text": text, "data": {}, "metadata": {"utter_action": "utter_reply"}})
        self.write(sender_id, {"event": "action", "name": "action_listen", "policy": "RulePolicy", "confidence": 1.0})

    def handoff_opened(self, sender_id, at, state="open", wait="5", back_when=None):
        """What action_handoff and utter_handoff leave in the tracker: the wait the customer
        was told, in slots, and the sentence that told them."""
        for name, value in (("handoff_state", state), ("handoff_wait", wait), ("handoff_back_when", back_when)):
            self.write(sender_id, {"event": "slot", "timestamp": at, "name": name, "value": value})
        self.write(sender_id, {"event": "action", "timestamp": at, "name": "utter_handoff"})
        told = (f"Someone will answer you here in about {wait} minutes." if state == "open"
                else f"They're back {back_when}, and they'll answer you here in this chat.")
        self.write(sender_id, {"event": "bot", "timestamp": at, "text": told, "data": {},
                               "metadata": {"utter_action": "utter_handoff"}})
        return told

    def noise(self, rows):
        """Other conversations' events, many at once."""
        with sqlite3.connect(self.path) as db:
            db.executemany("INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (?, 'user', ?, ?)",
                           [(f"other-{n}", time.time(), json.dumps({"event": "user", "text": f"hi {n}",
                                                                    "timestamp": time.time(),
                                                                    "message_id": f"noise-{n}"}))
                            for n in range(rows)])

    def rows(self, sender_id):
        with sqlite3.connect(self.path) as db:
            return [(type_name, json.loads(data)) for type_name, data in db.execute(
                "SELECT type_name, data FROM events WHERE sender_id = ? ORDER BY id", (sender_id,))]


# -- Rasa's HTTP API ------------------------------------------------------------------------------

KNOWN_EVENTS = {"bot": "text", "slot": "name", "action": "name", "resume": None}


class FakeRasa(BaseHTTPRequestHandler):
    """POST /conversations/<id>/tracker/events and /conversations/<id>/execute, as rasa/server.py
    serves them with --enable-api --auth-token."""

    def log_message(self, *args):
        pass

    def do_POST(self):
        state = self.server.state
        url = urlsplit(self.path)
        query = {key: values[0] for key, values in parse_qs(url.query).items()}
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"null")
        # Rasa's route takes the id as a path and, like Sanic's router, never decodes it.
        match = re.fullmatch(r"/conversations/(.+)/(tracker/events|execute)", url.path)
        request = {"conversation": match[1] if match else None, "endpoint": match and match[2],
                   "query": query, "body": body}
        state["requests"].append(request)
        request["status"] = self._check(request)
        failure = state["fail"](request)  # True: a 500; a number: that status
        if request["status"] == 200 and failure:
            request["status"] = 500 if failure is True else failure
        if request["status"] == 200:
            self._apply(request)
        send_json(self, request["status"], {})

    def _check(self, request):
        query, body = request["query"], request["body"]
        if query.get("token") != TOKEN:
            return 401
        if request["endpoint"] is None:
            return 404
        if query.get("output_channel") != "latest":
            return 400  # Rasa would answer on a channel other than the customer's
        if request["endpoint"] == "execute":
            return 200 if isinstance(body, dict) and body.get("name") else 400
        if query.get("execute_side_effects") != "true":
            return 400  # the bot message would be stored but never sent
        events = body if isinstance(body, list) else [body]
        for event in events:
            if not isinstance(event, dict) or event.get("event") not in KNOWN_EVENTS:
                return 400
            required = KNOWN_EVENTS[event["event"]]
            if required and not event.get(required):
                return 400
        return 200

    def _apply(self, request):
        tracker, conversation = self.server.tracker, request["conversation"]
        if request["endpoint"] == "execute":
            tracker.write(conversation, {"event": "action", "name": request["body"]["name"]})
            tracker.write(conversation, {"event": "bot", "text": "Did that solve it?", "metadata": {}})
        else:
            for event in request["body"] if isinstance(request["body"], list) else [request["body"]]:
                tracker.write(conversation, event)


@pytest.fixture(scope="module")
def rasa_server():
    with serving(FakeRasa) as httpd:
        yield httpd


class ToolReceiver(BaseHTTPRequestHandler):
    """The other end of the generic webhook: answers with its own case id; can be told to fail."""

    def log_message(self, *args):
        pass

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        status = self.server.answer(body)
        if status == 200:
            self.server.received.append(body)
        opened = body["event"] == "handoff.opened"
        send_json(self, status, {"id": f"CASE-{body['handoff']['handoff_id'][:6]}"} if opened else {})


@pytest.fixture(scope="module")
def tool_server():
    with serving(ToolReceiver) as httpd:
        yield httpd


@pytest.fixture
def world(tmp_path, rasa_server):
    """Both databases, Rasa, and a way to start the handoff service's worker (again)."""
    tracker = TrackerStore(tmp_path / "rasa.db")
    rasa_server.tracker = tracker
    rasa_server.state = {"requests": [], "fail": lambda request: False}
    database_url = f"sqlite:///{tmp_path / 'handoff.db'}"
    rasa_url = f"http://127.0.0.1:{rasa_server.server_port}"

    def worker(tool=None, token=TOKEN, url=rasa_url):
        """A new Worker on the same databases, as after a restart of the service."""
        return Worker(connect(database_url), tool or DeskTool(), RasaApi(url, token, timeout_s=2),
                      Conversations(f"sqlite:///{tmp_path / 'rasa.db'}"))

    return SimpleNamespace(tracker=tracker, rasa=rasa_server.state, sessions=connect(database_url), worker=worker)


def ticket(conversation_id):
    return {"conversation_id": conversation_id, "channel": "socketio", "reason": "customer_asked",
            "reason_text": "The customer asked for a person", "summary": f"{conversation_id} wants a person.",
            "customer": {"status": "anonymous"}, "order": None, "topics": [],
            "transcript": [{"author": "customer", "text": "a person please", "at": "2026-05-04T09:29:00+00:00"}]}


def open_for(world, conversation_id, tool="desk"):
    with world.sessions.begin() as session:
        handoff = open_handoff(session, ticket(conversation_id), tool)
        return handoff.id, handoff.created_at.timestamp()


def say(world, handoff_id, text, name="Maria"):
    with world.sessions.begin() as session:
        message = agent_says(session, session.get(Handoff, handoff_id), text, name)
        session.flush()
        return message.id


def finish(world, handoff_id, outcome=RESOLVED, name="Maria"):
    with world.sessions.begin() as session:
        end(session, session.get(Handoff, handoff_id), outcome, name)


def handoff_of(world, handoff_id):
    with world.sessions() as session:
        handoff = session.get(Handoff, handoff_id)
        return handoff, list(handoff.messages)


def make_due(world):
    """Instead of sleeping through the backoff."""
    with world.sessions.begin() as session:
        for item in [*session.scalars(select(Message)), *session.scalars(select(Handoff))]:
            item.next_attempt_at = None


def bot_text(request):
    """The text of the bot event a request to Rasa carries, if any."""
    events = request["body"] if isinstance(request["body"], list) else [request["body"]]
    return next((event.get("text") for event in events if event.get("event") == "bot"), None)


def accepted(world):
    """What Rasa took, in order, in short: ("bot", conversation, text, agent), ("execute", ...)."""
    said = []
    for request in world.rasa["requests"]:
        if request["status"] != 200:
            continue
        if request["endpoint"] == "execute":
            said.append(("execute", request["conversation"], request["body"]["name"]))
            continue
        for event in request["body"]:
            if event["event"] == "bot":
                said.append(("bot", request["conversation"], event["text"], event["metadata"]["agent"]["name"]))
            elif event["event"] == "slot":
                said.append(("slot", request["conversation"], event["name"], event["value"]))
            else:
                said.append((event["event"], request["conversation"], event.get("name")))
    return said


# -- What customers write -------------------------------------------------------------------------


def test_customers_messages_after_the_handoff_are_picked_up_once(world):
    worker = world.worker()
    worker.step()  # first start: reads from here on
    world.tracker.assistant_turn("conv-a", "Hello! How can I help?")
    world.tracker.user("conv-a", "I want a person", time.time() - 5)
    handoff_id, opened_at = open_for(world, "conv-a")
    world.tracker.assistant_turn("conv-a", "A person will answer shortly.")
    first = world.tracker.user("conv-a", "My order is RB-10452", opened_at + 1)
    world.tracker.user("conv-b", "where is my order?", opened_at + 2)  # no handoff there
    second = world.tracker.user("conv-a", "it never came", opened_at + 3)

    for _ in range(3):  # re-read (RESCAN): stored once
        worker.step()
    handoff, messages = handoff_of(world, handoff_id)
    assert [(m.direction, m.text) for m in messages] == [
        (FROM_ASSISTANT, "A person will answer shortly."), (TO_AGENT, "My order is RB-10452"),
        (TO_AGENT, "it never came")]
    messages = [m for m in messages if m.direction == TO_AGENT]
    assert [m.source_id for m in messages] == [first, second]
    assert [m.created_at.timestamp() for m in messages] == [opened_at + 1, opened_at + 3]
    assert all(m.delivered_at is not None for m in messages)  # the desk shows what is stored
    assert handoff.external_id == handoff_id  # the desk's id for it is the handoff's
    assert world.rasa["requests"] == []

    third = world.tracker.user("conv-a", "hello?", opened_at + 4)
    worker.step()
    assert [m.source_id for m in handoff_of(world, handoff_id)[1] if m.direction == TO_AGENT] == [first, second, third]


def test_a_message_committed_late_with_a_lower_id_is_still_read(world):
    """With several Rasa servers, a row with a lower id can commit after a higher one was read."""
    worker = world.worker()
    worker.step()
    handoff_id, opened_at = open_for(world, "conv-a")
    world.tracker.user("conv-a", "first", opened_at + 1, row_id=10)
    world.tracker.user("conv-z", "someone else", opened_at + 2, row_id=40)
    worker.step()
    with world.sessions() as session:
        assert session.get(Cursor, CURSOR).position == 40
    world.tracker.user("conv-a", "committed late", opened_at + 3, row_id=25)
    worker.step()
    worker.step()
    assert [m.text for m in handoff_of(world, handoff_id)[1]] == ["first", "committed late"]


def test_conversations_no_person_holds_are_not_read_and_the_cursor_moves_on(world, monkeypatch):
    """Under load nearly every message is the assistant's to answer: reading and parsing each
    one twice a second cost this service 2 ms of CPU a turn in the scaled setup."""
    worker = world.worker()
    worker.step()
    handoff_id, opened_at = open_for(world, "conv-held")
    for number in range(50):
        world.tracker.user(f"conv-{number}", "where is my order?", opened_at + 1)
    held = world.tracker.user("conv-held", "still there?", opened_at + 2)
    world.tracker.user("conv-last", "thanks", opened_at + 3, row_id=500)
    read = []
    original = Conversations.said_after

    def reading(self, *args, **kwargs):
        found = original(self, *args, **kwargs)
        read.extend(found)
        return found

    monkeypatch.setattr(Conversations, "said_after", reading)
    worker.step()
    assert {message.conversation_id for message in read} == {"conv-held"}
    assert [m.source_id for m in handoff_of(world, handoff_id)[1]] == [held]
    with world.sessions() as session:
        assert session.get(Cursor, CURSOR).position == 500


def test_the_customers_messages_reach_a_tool_in_order_and_a_refusal_blocks_nothing(world, tool_server):
    tool_server.received, tool_server.answer = [], lambda body: 200
    worker = world.worker(WebhookTool(f"http://127.0.0.1:{tool_server.server_port}/in", "s3cret", timeout_s=2))
    worker.step()
    handoff_id, opened_at = open_for(world, "conv-a", tool="webhook")
    world.tracker.user("conv-a", "one", opened_at + 1)
    world.tracker.user("conv-a", "two", opened_at + 2)
    tool_server.answer = lambda body: 503 if body["event"] == "handoff.customer_message" else 200
    worker.step()
    handoff, messages = handoff_of(world, handoff_id)
    assert handoff.external_id == f"CASE-{handoff_id[:6]}"
    assert [(m.text, m.delivered_at, m.attempts) for m in messages] == [("one", None, 1), ("two", None, 0)]
    assert "HTTP 503" in messages[0].last_error

    # The tool is back, but "one" waits for its backoff: "two" must not overtake it.
    tool_server.answer = lambda body: 200
    world.tracker.user("conv-a", "three", opened_at + 3)
    worker.step()
    assert [body["event"] for body in tool_server.received] == ["handoff.opened"]

    make_due(world)
    worker.step()
    assert [body["message"]["text"] for body in tool_server.received[1:]] == ["one", "two", "three"]
    assert all(body["external_id"] == f"CASE-{handoff_id[:6]}" for body in tool_server.received[1:])

    # A message the tool refuses for good is marked failed (agents see it); the next ones go on.
    tool_server.answer = lambda body: 422 if body["message"]["text"] == "four" else 200
    world.tracker.user("conv-a", "four", opened_at + 4)
    world.tracker.user("conv-a", "five", opened_at + 5)
    worker.step()
    worker.step()
    messages = handoff_of(world, handoff_id)[1]
    assert [(m.text, m.failed, m.delivered_at is not None) for m in messages[3:]] == [
        ("four", True, False), ("five", False, True)]
    assert [body["message"]["text"] for body in tool_server.received[1:]] == ["one", "two", "three", "five"]


# -- What the assistant told the customer ---------------------------------------------------------


def test_what_the_assistant_promised_after_the_handoff_reaches_the_desk_and_nothing_else_of_its(world):
    worker = world.worker()
    worker.step()
    world.tracker.assistant_turn("conv-a", "Your MacBook ships by the end of today.")  # in the ticket already
    handoff_id, opened_at = open_for(world, "conv-a")
    promise = world.tracker.handoff_opened("conv-a", opened_at + 0.5)
    say(world, handoff_id, "Hi, Maria here.")  # Rasa stores it as a bot event too: the desk has it already
    worker.step()
    worker.step()

    messages = handoff_of(world, handoff_id)[1]
    assert [(m.direction, m.text) for m in messages] == [(TO_CUSTOMER, "Hi, Maria here."), (FROM_ASSISTANT, promise)]
    assert messages[1].delivered_at is not None  # the customer has read it: nothing to deliver
    assert accepted(world) == [("bot", "conv-a", "Hi, Maria here.", "Maria")]


def answered_by_maria(world):
    """conv-a handed over and answered by an agent (so no acknowledgement comes in the way):
    the worker, the handoff's id and when it opened."""
    worker = world.worker()
    worker.step()
    handoff_id, opened_at = open_for(world, "conv-a")
    with world.sessions.begin() as session:
        agent_says(session, session.get(Handoff, handoff_id), "Hello", "Maria")
    return worker, handoff_id, opened_at


def test_a_button_tapped_while_waiting_reaches_the_agent_as_its_words(world):
    worker, handoff_id, opened_at = answered_by_maria(world)
    world.tracker.user("conv-a", "/human_handoff", opened_at + 1, intent="human_handoff")
    world.tracker.user("conv-a", "/affirm", opened_at + 2, intent="affirm")  # an older "Yes" button
    world.tracker.user("conv-a", "/more_topics", opened_at + 3, intent="more_topics")
    worker.step()
    assert [m.text for m in handoff_of(world, handoff_id)[1] if m.direction == TO_AGENT] == [
        "Talk to a person", "Yes", "more topics"]


def test_a_return_photo_sent_while_waiting_reaches_the_agent_in_words(world):
    worker, handoff_id, opened_at = answered_by_maria(world)
    for at, (slot, check) in enumerate([("front", "accepted"), ("back", "too_dark")], start=1):
        world.tracker.user("conv-a", f'/photo_received{{"photo_slot": "{slot}", "photo_check": "{check}"}}',
                           opened_at + at, intent="photo_received",
                           entities=[("photo_slot", slot), ("photo_check", check)])
    worker.step()
    assert [m.text for m in handoff_of(world, handoff_id)[1] if m.direction == TO_AGENT] == [
        "Sent a return photo: Front (kept)", "Sent a return photo: Back (not kept: too dark)"]


# -- Asking again for a person ----------------------------------------------------------------------


def acknowledgements(world, conversation):
    """The service's own messages Rasa took for the customer: not an agent's (no name)."""
    return [event["text"] for request in world.rasa["requests"] if request["status"] == 200
            and request["conversation"] == conversation and request["endpoint"] == "tracker/events"
            for event in request["body"] if event["event"] == "bot" and "agent" not in event.get("metadata", {})]


def test_asking_again_for_a_person_while_waiting_is_acknowledged_at_most_every_few_minutes(world):
    worker = world.worker()
    worker.step()
    handoff_id, opened_at = open_for(world, "conv-a")
    world.tracker.handoff_opened("conv-a", opened_at + 0.5, wait="5")
    world.tracker.user("conv-a", "hello?? can I talk to someone", opened_at + 60, intent="human_handoff")
    worker.step()
    worker.step()
    assert acknowledgements(world, "conv-a") == [
        "You're in the queue: someone from our support team will answer you here in about 4 minutes. "
        "Your messages reach them."]
    # Rasa stores it as a bot event: read back, it is not stored a second time.
    assert [m.direction for m in handoff_of(world, handoff_id)[1]] == [FROM_ASSISTANT, TO_AGENT, ACKNOWLEDGEMENT]

    world.tracker.user("conv-a", "/human_handoff", opened_at + 120, intent="human_handoff")  # the button, soon after
    world.tracker.user("conv-a", "where is everyone", opened_at + 150)
    worker.step()
    assert len(acknowledgements(world, "conv-a")) == 1
    assert [m.text for m in handoff_of(world, handoff_id)[1] if m.direction == TO_AGENT] == [
        "hello?? can I talk to someone", "Talk to a person", "where is everyone"]  # all reach the agent

    world.tracker.user("conv-a", "/human_handoff", opened_at + 60 + 6 * 60, intent="human_handoff")
    worker.step()
    assert acknowledgements(world, "conv-a")[1] == (
        "You're in the queue: someone from our support team will answer you here as soon as they can. "
        "Your messages reach them.")  # the wait told is over: no number to promise


def test_out_of_hours_the_acknowledgement_says_when_the_team_is_back(world):
    worker = world.worker()
    worker.step()
    _, opened_at = open_for(world, "conv-a")
    world.tracker.handoff_opened("conv-a", opened_at + 0.5, state="closed", wait=None,
                                 back_when="tomorrow at 09:00 Paris time")
    world.tracker.user("conv-a", "/human_handoff", opened_at + 30, intent="human_handoff")
    worker.step()
    assert acknowledgements(world, "conv-a") == [
        "You're in the queue: our support team is back tomorrow at 09:00 Paris time, and they'll answer you "
        "here in this chat. Your messages reach them."]


def test_once_an_agent_answers_asking_for_a_person_goes_to_them_unacknowledged(world):
    worker = world.worker()
    worker.step()
    handoff_id, opened_at = open_for(world, "conv-a")
    world.tracker.handoff_opened("conv-a", opened_at + 0.5)
    say(world, handoff_id, "Maria here, one moment.")
    world.tracker.user("conv-a", "I want a person", opened_at + 30, intent="human_handoff")
    worker.step()
    assert acknowledgements(world, "conv-a") == []
    assert [m.text for m in handoff_of(world, handoff_id)[1] if m.direction == TO_AGENT] == ["I want a person"]


def test_an_acknowledgement_waits_for_rasa_like_an_agents_message(world):
    worker = world.worker()
    worker.step()
    handoff_id, opened_at = open_for(world, "conv-a")
    world.tracker.handoff_opened("conv-a", opened_at + 0.5)
    world.rasa["fail"] = lambda request: True
    world.tracker.user("conv-a", "someone please", opened_at + 30, intent="human_handoff")
    worker.step()
    [ack] = [m for m in handoff_of(world, handoff_id)[1] if m.direction == ACKNOWLEDGEMENT]
    assert ack.delivered_at is None and ack.attempts == 1
    world.rasa["fail"] = lambda request: False
    make_due(world)
    worker.step()
    assert len(acknowledgements(world, "conv-a")) == 1


# -- What agents write ----------------------------------------------------------------------------


def test_an_agents_message_reaches_rasa_as_a_bot_event_with_the_agents_name(world):
    conversation = "whatsapp:+15551234567"  # in the path as it is: Rasa reads it back whole
    handoff_id, _ = open_for(world, conversation)
    message_id = say(world, handoff_id, "Hi, I'm Maria. Let me look.")
    world.worker().step()

    [request] = world.rasa["requests"]
    assert request["status"] == 200
    assert (request["conversation"], request["endpoint"]) == (conversation, "tracker/events")
    assert request["query"] == {"token": TOKEN, "output_channel": "latest", "execute_side_effects": "true"}
    assert request["body"] == [{"event": "bot", "text": "Hi, I'm Maria. Let me look.", "metadata": {"agent": AGENT}}]
    [message] = handoff_of(world, handoff_id)[1]
    assert message.id == message_id and message.delivered_at is not None and message.attempts == 0
    # What Rasa then stores is the bot's, not the customer's: never read back as theirs.
    assert [(kind, event["text"]) for kind, event in world.tracker.rows(conversation)] == [
        ("bot", "Hi, I'm Maria. Let me look.")]


def test_on_a_channel_that_shows_no_names_the_agent_is_named_in_the_text(world):
    with world.sessions.begin() as session:
        handoff_id = open_handoff(session, {**ticket("tg-1"), "channel": "telegram"}, "desk").id
    say(world, handoff_id, "Your refund is on its way.")
    world.worker().step()
    assert accepted(world) == [("bot", "tg-1", "Maria (support team): Your refund is on its way.", "Maria")]
    assert handoff_of(world, handoff_id)[1][0].text == "Your refund is on its way."  # as the desk shows it


def test_while_rasa_fails_the_message_waits_and_is_delivered_when_it_is_back(world):
    worker = world.worker()
    handoff_id, _ = open_for(world, "conv-a")
    say(world, handoff_id, "Are you still there?")
    world.rasa["fail"] = lambda request: True
    before = now()
    worker.step()
    [message] = handoff_of(world, handoff_id)[1]
    assert message.delivered_at is None and message.attempts == 1 and not message.failed
    assert "500" in message.last_error
    backoff = message.next_attempt_at.replace(tzinfo=before.tzinfo) - before
    assert timedelta(seconds=1.5) < backoff < timedelta(seconds=3)

    worker.step()  # not due yet: Rasa isn't asked again
    assert len(world.rasa["requests"]) == 1

    world.rasa["fail"] = lambda request: False
    make_due(world)
    worker.step()
    worker.step()
    [message] = handoff_of(world, handoff_id)[1]
    assert message.delivered_at is not None
    assert accepted(world) == [("bot", "conv-a", "Are you still there?", "Maria")]
    assert [r["status"] for r in world.rasa["requests"]] == [500, 200]


@pytest.mark.parametrize("broken", ["wrong token", "unreachable"])
def test_a_rasa_that_refuses_or_is_gone_loses_nothing(world, broken):
    handoff_id, _ = open_for(world, "conv-a")
    say(world, handoff_id, "Hello")
    if broken == "wrong token":
        world.worker(token="not-the-token").step()
        assert [r["status"] for r in world.rasa["requests"]] == [401]
    else:
        world.worker(url="http://127.0.0.1:9").step()  # the discard port: nothing listens
    [message] = handoff_of(world, handoff_id)[1]
    assert message.delivered_at is None and message.attempts == 1 and message.last_error
    assert TOKEN not in message.last_error
    make_due(world)
    world.worker().step()
    assert accepted(world) == [("bot", "conv-a", "Hello", "Maria")]


def test_agents_messages_keep_their_order_in_each_conversation(world):
    worker = world.worker()
    a, _ = open_for(world, "conv-a")
    b, _ = open_for(world, "conv-b")
    say(world, a, "a1")
    say(world, a, "a2")
    say(world, b, "b1", name="Sam")
    world.rasa["fail"] = lambda request: bot_text(request) == "a1"
    worker.step()
    # a1 failed: a2 waits behind it; the other conversation goes on.
    assert accepted(world) == [("bot", "conv-b", "b1", "Sam")]

    world.rasa["fail"] = lambda request: False
    say(world, a, "a3")
    worker.step()  # a1 is not due yet: nothing of conv-a may overtake it
    assert accepted(world) == [("bot", "conv-b", "b1", "Sam")]

    make_due(world)
    worker.step()
    assert [said[2] for said in accepted(world) if said[1] == "conv-a"] == ["a1", "a2", "a3"]
    assert [m.text for m in handoff_of(world, a)[1] if m.delivered_at] == ["a1", "a2", "a3"]


# -- Handing back --------------------------------------------------------------------------------


HAND_BACK = [
    ("resume", "conv-a", None),
    ("slot", "conv-a", "handoff_outcome", "resolved"),
    ("slot", "conv-a", "handoff_agent", "Maria"),
    ("slot", "conv-a", "handoff_state", None),
    ("execute", "conv-a", "utter_handoff_back"),
    ("action", "conv-a", "action_listen"),
]


def test_an_ended_handoff_is_handed_back_after_the_agents_last_messages(world):
    worker = world.worker()
    worker.step()
    handoff_id, _ = open_for(world, "conv-a")
    say(world, handoff_id, "The refund is on its way.")
    finish(world, handoff_id)
    world.rasa["fail"] = lambda request: bot_text(request) is not None
    worker.step()
    worker.step()
    assert accepted(world) == []  # the last words first
    assert handoff_of(world, handoff_id)[0].resumed_at is None

    world.rasa["fail"] = lambda request: False
    make_due(world)
    worker.step()
    assert accepted(world) == [("bot", "conv-a", "The refund is on its way.", "Maria"), *HAND_BACK]
    execute = next(r for r in world.rasa["requests"] if r["endpoint"] == "execute")
    assert execute["query"] == {"token": TOKEN, "output_channel": "latest"}
    handoff, _ = handoff_of(world, handoff_id)
    assert handoff.resumed_at is not None and handoff.listening_at >= handoff.resumed_at

    # Done once: further rounds say nothing; the customer's rating is the assistant's to read.
    world.tracker.user("conv-a", "yes, thanks", time.time())
    worker.step()
    worker.step()
    assert len(accepted(world)) == 1 + len(HAND_BACK)
    assert handoff_of(world, handoff_id)[1][-1].text == "The refund is on its way."
    assert [t for t, _ in world.tracker.rows("conv-a")][-4:] == ["action", "bot", "action", "user"]


def test_a_handoff_given_back_without_a_name_is_handed_back_as_such(world):
    handoff_id, _ = open_for(world, "conv-a")
    finish(world, handoff_id, GIVEN_BACK, name=None)
    world.worker().step()
    assert accepted(world)[1:3] == [("slot", "conv-a", "handoff_outcome", "given_back"),
                                    ("slot", "conv-a", "handoff_agent", "Our support team")]


def test_a_failed_listen_is_retried_without_saying_the_hand_back_again(world):
    handoff_id, _ = open_for(world, "conv-a")
    finish(world, handoff_id)
    world.rasa["fail"] = lambda request: request["body"] == [{"event": "action", "name": "action_listen"}]
    world.worker().step()
    handoff, _ = handoff_of(world, handoff_id)
    assert handoff.resumed_at is not None and handoff.listening_at is None
    assert handoff.attempts == 1 and "500" in handoff.last_error
    assert accepted(world) == HAND_BACK[:-1]

    world.rasa["fail"] = lambda request: False
    make_due(world)
    world.worker().step()  # even from a restarted service
    assert accepted(world) == HAND_BACK
    assert [r["endpoint"] for r in world.rasa["requests"]].count("execute") == 1
    assert handoff_of(world, handoff_id)[0].listening_at is not None


# -- Restarts -------------------------------------------------------------------------------------


def test_a_restarted_worker_continues_where_the_last_stopped(world):
    first = world.worker()
    first.step()
    handoff_id, opened_at = open_for(world, "conv-a")
    world.tracker.user("conv-a", "before the restart", opened_at + 1)
    say(world, handoff_id, "Checking with the warehouse.")
    world.rasa["fail"] = lambda request: True
    first.step()
    del first  # the service stops; meanwhile the customer writes, and others talk to the assistant

    world.tracker.user("conv-a", "while it was down", opened_at + 2)
    world.tracker.noise(RESCAN + 50)
    world.rasa["fail"] = lambda request: False
    make_due(world)
    second = world.worker()
    second.step()
    second.step()

    assert [(m.direction, m.text, m.delivered_at is not None) for m in handoff_of(world, handoff_id)[1]] == [
        (TO_CUSTOMER, "Checking with the warehouse.", True), (TO_AGENT, "before the restart", True),
        (TO_AGENT, "while it was down", True)]
    assert accepted(world) == [("bot", "conv-a", "Checking with the warehouse.", "Maria")]


def test_the_worker_delivers_in_the_background_until_stopped(world):
    worker = world.worker()
    handoff_id, _ = open_for(world, "conv-a")
    stop = start(worker, poll_s=0.02)
    try:
        say(world, handoff_id, "Hello from the desk")
        deadline = time.monotonic() + 5
        while not accepted(world) and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        stop.set()
    assert accepted(world) == [("bot", "conv-a", "Hello from the desk", "Maria")]


# -- When something goes wrong for good ---------------------------------------------------------------

def test_what_the_customer_writes_after_the_agent_ended_but_before_the_hand_back_still_reaches_the_tool(world):
    handoff_id, opened = open_for(world, "late-writer")
    finish(world, handoff_id)
    world.rasa["fail"] = lambda request: True  # the hand-back can't happen yet
    worker = world.worker()
    worker.step()
    world.tracker.user("late-writer", "one more thing!", opened + 5)
    worker.step()
    _, messages = handoff_of(world, handoff_id)
    assert [(m.direction, m.text) for m in messages] == [(TO_AGENT, "one more thing!")]


def test_an_agents_message_rasa_refuses_for_good_is_marked_failed_and_the_hand_back_goes_on(world):
    handoff_id, _ = open_for(world, "refused")
    say(world, handoff_id, "hello")
    finish(world, handoff_id)
    world.rasa["fail"] = lambda request: 400 if bot_text(request) == "hello" else False
    world.worker().step()
    handoff, [message] = handoff_of(world, handoff_id)
    assert message.failed and message.delivered_at is None and "400" in message.last_error  # agents see it
    assert handoff.resumed_at is not None and handoff.listening_at is not None


class BrokenTool(DeskTool):
    """An adapter with a bug for one conversation."""

    def open(self, ticket):
        if ticket.conversation_id == "bug":
            raise KeyError("the adapter's own bug")
        return super().open(ticket)


def test_an_adapters_bug_with_one_handoff_holds_up_no_other(world):
    broken, _ = open_for(world, "bug")
    fine, _ = open_for(world, "fine")
    say(world, fine, "hi from Maria")
    world.worker(tool=BrokenTool()).step()
    assert handoff_of(world, broken)[0].external_id is None and "KeyError" in handoff_of(world, broken)[0].last_error
    handoff, [message] = handoff_of(world, fine)
    assert handoff.external_id == fine and message.delivered_at is not None


# -- The one reader of Rasa's storage ------------------------------------------------------------

def test_only_conversations_reads_rasas_tracker_store():
    """handoff/conversations.py is the service's interface to what customers write: no other
    module queries Rasa's tables or opens its store (settings and __main__ only pass the URL)."""
    service = Path(__file__).resolve().parent.parent
    rasa_tables = re.compile(r"(?i)\b(?:from|into|update|join)\s+events\b|Table\(\s*['\"]events['\"]")
    readers, connects = [], []
    for path in service.rglob("*.py"):
        if "tests" in path.relative_to(service).parts:
            continue
        source = path.read_text()
        if rasa_tables.search(source):
            readers.append(path.name)
        if "tracker_db_url" in source:
            connects.append(path.name)
    assert readers == ["conversations.py"]
    assert sorted(connects) == ["__main__.py", "conversations.py", "settings.py"]
