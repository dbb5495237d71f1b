"""The handoff service's HTTP API, as its three callers use it: the action server (bearer
token) opens handoffs and stores ratings, agents work on the reference desk (login, session
cookie), and an agents' tool calls back (signed, checked by its adapter; here the generic
webhook, against a local receiver). A real SQLite file holds the state throughout."""
import asyncio
import hashlib
import hmac
import json
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from handoff import agents
from handoff.app import SESSION_COOKIE, create_app
from handoff.settings import Settings
from handoff.store import FROM_ASSISTANT, TO_AGENT, TO_CUSTOMER, DeskSession, Handoff, Message, connect, now
from handoff.tools.desk import DeskTool
from handoff.tools.webhook import WebhookTool
from handoff.worker import Worker
from local_server import send_json, serving

API_TOKEN = "api-token-for-tests"
BEARER = {"Authorization": f"Bearer {API_TOKEN}"}
SECRET = "webhook-secret-for-tests"


def ticket(conversation_id="conv-1", **changes):
    """A ticket as actions/dialogue/handoff.py sends it."""
    return {
        "conversation_id": conversation_id, "channel": "socketio", "reason": "missing_package",
        "reason_text": "The package is marked delivered but never arrived",
        "summary": f"Logged-in customer C-1001 ({conversation_id}) has not received order RB-10452.",
        "customer": {"status": "logged_in", "id": "C-1001", "verified_order": None},
        "order": {"number": "RB-10452", "status": "delivered", "carrier": "DHL", "delivered_on": "2026-05-02"},
        "topics": ["where_is_my_order", "missing_package"],
        "transcript": [
            {"author": "customer", "text": "where is my order?", "at": "2026-05-04T09:28:00+00:00"},
            {"author": "assistant", "text": "It was delivered on 2 May.", "at": "2026-05-04T09:28:01+00:00"},
            {"author": "customer", "text": "I never got it, I want a person", "at": "2026-05-04T09:29:00+00:00"},
        ],
        **changes,
    }


def settings_for(tmp_path, agents_file, tool="desk"):
    return Settings(host="127.0.0.1", port=0, database_url=f"sqlite:///{tmp_path / 'handoff.db'}",
                    api_token=API_TOKEN, rasa_url="http://127.0.0.1:9", rasa_token="unused",
                    tracker_db_url=f"sqlite:///{tmp_path / 'rasa.db'}", tool=tool, tool_settings={},
                    agents_file=agents_file, poll_s=0.1)


@pytest.fixture(scope="module")
def maria(tmp_path_factory):
    """The desk's agents file with one agent; her password (scrypt is slow: made once)."""
    path = tmp_path_factory.mktemp("agents") / "desk-agents.yml"
    password = agents.add(path, "maria", "Maria")
    return path, password


@pytest.fixture
def sessions(tmp_path):
    return connect(f"sqlite:///{tmp_path / 'handoff.db'}")


@pytest.fixture
def desk_app(tmp_path, maria, sessions):
    return create_app(settings_for(tmp_path, maria[0]), sessions, DeskTool())


@pytest.fixture
def client(desk_app):
    with TestClient(desk_app) as test_client:
        yield test_client


@pytest.fixture
def desk(client, maria):
    """The client, logged in as Maria."""
    response = client.post("/desk/login", data={"login": "maria", "password": maria[1]}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/desk"
    return client


def open_one(client, conversation_id="conv-1", **changes):
    response = client.post("/handoffs", json=ticket(conversation_id, **changes), headers=BEARER)
    assert response.status_code == 201, response.text
    return response.json()


def stored(sessions, handoff_id):
    with sessions() as session:
        handoff = session.get(Handoff, handoff_id)
        return handoff, list(handoff.messages)


def count(sessions, model):
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(model))


# -- The action server ----------------------------------------------------------------------


@pytest.mark.parametrize("authorization", [None, "", "Bearer wrong-token", f"Token {API_TOKEN}", API_TOKEN,
                                           f"Bearer {API_TOKEN}x"])
def test_opening_a_handoff_needs_the_action_servers_token(client, sessions, authorization):
    headers = {} if authorization is None else {"Authorization": authorization}
    response = client.post("/handoffs", json=ticket(), headers=headers)
    assert response.status_code == 401
    assert count(sessions, Handoff) == 0


def test_a_new_handoff_is_stored_and_says_how_many_wait_ahead(client, sessions):
    first = open_one(client, "conv-1")
    second = open_one(client, "conv-2")
    assert first["waiting_ahead"] == 0 and second["waiting_ahead"] == 1
    assert first["id"] != second["id"]

    handoff, messages = stored(sessions, first["id"])
    assert (handoff.conversation_id, handoff.channel, handoff.reason, handoff.status, handoff.tool) == (
        "conv-1", "socketio", "missing_package", "waiting", "desk")
    assert handoff.external_id is None and messages == []  # the worker opens it in the tool
    data = handoff.ticket_data()
    assert data["handoff_id"] == first["id"]
    assert data["order"]["number"] == "RB-10452"
    assert [line["text"] for line in data["transcript"]][-1] == "I never got it, I want a person"


def test_asking_again_while_a_handoff_is_open_returns_the_same_one(client, desk, sessions):
    first = open_one(client, "conv-1")
    open_one(client, "conv-0")  # opened later: not ahead of conv-1
    again = open_one(client, "conv-1", summary="asked a second time")
    assert again == first
    assert count(sessions, Handoff) == 2
    assert stored(sessions, first["id"])[0].ticket_data()["summary"].startswith("Logged-in customer")

    # Ended, it holds the conversation until the assistant has it back; then asking again is new.
    assert desk.post(f"/desk/api/handoffs/{first['id']}/resolve").status_code == 204
    assert open_one(client, "conv-1")["id"] == first["id"]
    with sessions.begin() as session:
        session.get(Handoff, first["id"]).resumed_at = now()
    assert open_one(client, "conv-1")["id"] != first["id"]


@pytest.mark.parametrize("broken", [
    {"conversation_id": ""},
    {"conversation_id": None},
    {"summary": "x" * 5_001},
    {"customer": "C-1001"},
    {"transcript": [{"author": "robot", "text": "hi", "at": "2026-05-04T09:28:00+00:00"}]},
    {"transcript": [{"author": "customer", "text": "hi"}]},
])
def test_an_invalid_ticket_is_refused(client, sessions, broken):
    response = client.post("/handoffs", json=ticket(**broken), headers=BEARER)
    assert response.status_code == 422
    assert count(sessions, Handoff) == 0


def test_a_ticket_without_its_reason_is_refused(client, sessions):
    body = ticket()
    del body["reason"]
    assert client.post("/handoffs", json=body, headers=BEARER).status_code == 422
    assert client.post("/handoffs", content=b"not json", headers={**BEARER, "Content-Type": "application/json"}
                       ).status_code == 422
    assert count(sessions, Handoff) == 0


@pytest.mark.parametrize("at", ["yesterday", "", "2026-05-04T09:28:00Z"])
def test_a_transcript_time_the_worker_could_not_read_is_refused(client, sessions, at):
    """The worker reads the times back with datetime.fromisoformat (service.ticket_of): a time
    it can't read would make every round of deliveries fail, for every conversation."""
    bad = ticket(transcript=[{"author": "customer", "text": "hi", "at": at}])
    assert client.post("/handoffs", json=bad, headers=BEARER).status_code == 422
    assert count(sessions, Handoff) == 0


def test_the_customers_rating_is_stored(client, desk):
    opened = open_one(client)
    assert client.post(f"/handoffs/{opened['id']}/rating", json={"solved": True}).status_code == 401
    assert desk.get(f"/desk/api/handoffs/{opened['id']}").json()["solved"] is None

    response = client.post(f"/handoffs/{opened['id']}/rating", json={"solved": True}, headers=BEARER)
    assert response.status_code == 204 and response.content == b""
    assert desk.get(f"/desk/api/handoffs/{opened['id']}").json()["solved"] is True
    assert client.post(f"/handoffs/{opened['id']}/rating", json={"solved": "maybe"}, headers=BEARER
                       ).status_code == 422
    assert client.post(f"/handoffs/{opened['id']}/rating", json={"solved": False}, headers=BEARER
                       ).status_code == 204
    assert [h["solved"] for h in desk.get("/desk/api/handoffs").json()] == [False]


def test_rating_an_unknown_handoff_is_refused_with_a_reason(client):
    response = client.post("/handoffs/0123456789abcdef/rating", json={"solved": True}, headers=BEARER)
    assert response.status_code == 409
    assert response.json() == {"error": "no such handoff"}


def asgi_post(app, path, body, content_type, headers, on_answer):
    """Sends one POST straight to the ASGI app and calls on_answer() the moment the response
    starts, as a real server would send it: what the caller can see at that instant."""
    seen = {}

    async def receive():
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message):
        if message["type"] == "http.response.start":
            seen["status"], seen["headers"] = message["status"], dict(message["headers"])
            seen["then"] = on_answer()

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
             "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
             "headers": [(b"host", b"testserver"), (b"content-type", content_type.encode()),
                         *((k.lower().encode(), v.encode()) for k, v in headers.items())],
             "server": ("testserver", 80), "client": ("127.0.0.1", 50000)}
    asyncio.run(app(scope, receive, send))
    return seen


def test_what_the_service_answers_is_already_stored(desk_app, sessions, maria):
    """The action server rates the handoff by the id it was answered, and the browser follows
    the login's redirect at once: neither may arrive before the commit (nor be told "201" for
    a handoff a failed commit would then lose)."""
    opened = asgi_post(desk_app, "/handoffs", json.dumps(ticket()).encode(), "application/json", BEARER,
                       on_answer=lambda: count(sessions, Handoff))
    assert opened["status"] == 201 and opened["then"] == 1

    login = asgi_post(desk_app, "/desk/login", f"login=maria&password={maria[1]}".encode(),
                      "application/x-www-form-urlencoded", {}, on_answer=lambda: count(sessions, DeskSession))
    assert login["status"] == 303 and login["then"] == 1


# -- The desk: logging in ---------------------------------------------------------------------


def test_the_desk_needs_a_login(client, sessions):
    assert client.get("/health").json() == {"status": "ok", "tool": "desk"}  # for monitoring: open
    assert client.get("/", follow_redirects=False).headers["location"] == "/desk"
    response = client.get("/desk", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/desk/login"
    login_page = client.get("/desk/login")
    assert login_page.status_code == 200 and 'action="/desk/login"' in login_page.text
    assert "Wrong login" not in login_page.text

    handoff_id = open_one(client)["id"]
    for method, path in [("get", "/desk/api/me"), ("get", "/desk/api/handoffs"),
                         ("get", f"/desk/api/handoffs/{handoff_id}"),
                         ("post", f"/desk/api/handoffs/{handoff_id}/resolve"),
                         ("post", f"/desk/api/handoffs/{handoff_id}/give-back")]:
        assert getattr(client, method)(path).status_code == 401, path
    assert client.post(f"/desk/api/handoffs/{handoff_id}/reply", json={"text": "hello"}).status_code == 401
    client.cookies.set(SESSION_COOKIE, "made-up-token")
    assert client.get("/desk/api/handoffs").status_code == 401
    handoff, messages = stored(sessions, handoff_id)
    assert handoff.status == "waiting" and messages == []


@pytest.mark.parametrize("login, password", [("maria", "not-her-password"), ("nobody", "whatever"), ("maria", "")])
def test_a_wrong_password_goes_back_to_the_login_with_an_error(client, sessions, login, password):
    response = client.post("/desk/login", data={"login": login, "password": password}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/desk/login?error=1"
    assert "Wrong login or password." in client.get(response.headers["location"]).text
    assert SESSION_COOKIE not in response.headers.get("set-cookie", "")
    assert count(sessions, DeskSession) == 0
    assert client.get("/desk/api/me").status_code == 401


def test_logging_in_sets_a_strict_httponly_cookie_and_opens_the_desk(client, maria, sessions):
    response = client.post("/desk/login", data={"login": "maria", "password": maria[1]}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/desk"
    cookie = response.headers["set-cookie"]
    attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")}
    assert cookie.startswith(f"{SESSION_COOKIE}=")
    assert {"httponly", "samesite", "max-age", "path"} <= attributes
    assert "samesite=strict" in cookie.lower()
    token = cookie.split(";")[0].split("=", 1)[1]
    assert len(token) >= 40
    with sessions() as session:
        assert session.get(DeskSession, token) is None  # only the token's hash is stored
        assert session.get(DeskSession, hashlib.sha256(token.encode()).hexdigest()).agent_login == "maria"

    page = client.get("/desk")
    assert page.status_code == 200 and "<html" in page.text.lower()
    assert client.get("/desk/api/me").json() == {"login": "maria", "name": "Maria", "role": "agent"}
    assert client.get("/desk/api/handoffs").json() == []
    assert client.get("/desk/static/desk.js").status_code == 200
    assert client.get("/desk/static/app.py").status_code == 404


def test_logging_out_ends_the_session(desk, sessions):
    token = desk.cookies[SESSION_COOKIE]
    response = desk.post("/desk/logout", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/desk/login"
    assert count(sessions, DeskSession) == 0
    desk.cookies.set(SESSION_COOKIE, token)  # the old cookie, kept or stolen
    assert desk.get("/desk/api/handoffs").status_code == 401
    assert desk.get("/desk", follow_redirects=False).headers["location"] == "/desk/login"


def test_an_expired_session_no_longer_opens_the_desk(desk, sessions):
    with sessions.begin() as session:
        session.scalars(select(DeskSession)).one().expires_at = now() - timedelta(seconds=1)
    assert desk.get("/desk/api/me").status_code == 401


# -- The desk: working on handoffs ----------------------------------------------------------------


def test_the_queue_lists_open_handoffs_oldest_first_then_the_ended_ones(client, desk):
    first = open_one(client, "conv-a", reason_text="Wants a refund", summary="Summary A")
    second = open_one(client, "conv-b", reason_text="Missing package", summary="Summary B")
    third = open_one(client, "conv-c", reason_text="Asked for a person", summary="Summary C")
    assert desk.post(f"/desk/api/handoffs/{second['id']}/resolve").status_code == 204
    assert desk.post(f"/desk/api/handoffs/{third['id']}/reply", json={"text": "Hello!"}).status_code == 201

    queue = desk.get("/desk/api/handoffs").json()
    assert [(h["id"], h["status"], h["reason"], h["summary"]) for h in queue] == [
        (first["id"], "waiting", "Wants a refund", "Summary A"),
        (third["id"], "active", "Asked for a person", "Summary C"),
        (second["id"], "resolved", "Missing package", "Summary B"),
    ]
    assert queue[0]["channel"] == "socketio" and queue[0]["agent"] is None
    assert queue[1]["agent"] == "Maria" and queue[2]["agent"] == "Maria"


def test_the_conversation_shows_the_ticket_and_the_messages(client, desk, sessions):
    handoff_id = open_one(client)["id"]
    with sessions.begin() as session:  # what the worker stores when the customer writes
        session.add(Message(handoff_id=handoff_id, direction=TO_AGENT, text="Are you there?", source_id="m-1"))
    assert desk.post(f"/desk/api/handoffs/{handoff_id}/reply", json={"text": "Yes, looking now."}).status_code == 201

    view = desk.get(f"/desk/api/handoffs/{handoff_id}").json()
    assert view["summary"] == ticket()["summary"]
    assert view["ticket"]["order"] == ticket()["order"]
    assert view["ticket"]["customer"]["id"] == "C-1001"
    assert [line["text"] for line in view["ticket"]["transcript"]] == [
        "where is my order?", "It was delivered on 2 May.", "I never got it, I want a person"]
    assert [(m["from"], m["author"], m["text"], m["delivered"]) for m in view["messages"]] == [
        ("customer", None, "Are you there?", False), ("agent", "Maria", "Yes, looking now.", False)]
    assert view["customer_messages"] == 1
    assert desk.get("/desk/api/handoffs/no-such-id").status_code == 404


def test_a_reply_goes_to_the_customer_with_the_agents_name(client, desk, sessions):
    handoff_id = open_one(client)["id"]
    response = desk.post(f"/desk/api/handoffs/{handoff_id}/reply", json={"text": "  Hi, I'm on it.  "})
    assert response.status_code == 201

    handoff, messages = stored(sessions, handoff_id)
    assert (handoff.status, handoff.agent_name) == ("active", "Maria")
    [message] = messages
    assert message.id == response.json()["id"]
    assert (message.direction, message.author, message.text) == (TO_CUSTOMER, "Maria", "Hi, I'm on it.")
    assert message.delivered_at is None  # the worker delivers it


@pytest.mark.parametrize("text, status", [("", 422), ("   ", 409), ("x" * 5_001, 422)])
def test_an_empty_or_overlong_reply_is_refused(client, desk, sessions, text, status):
    handoff_id = open_one(client)["id"]
    response = desk.post(f"/desk/api/handoffs/{handoff_id}/reply", json={"text": text})
    assert response.status_code == status
    handoff, messages = stored(sessions, handoff_id)
    assert handoff.status == "waiting" and messages == []


@pytest.mark.parametrize("action, status", [("resolve", "resolved"), ("give-back", "given_back")])
def test_resolving_or_giving_back_ends_the_handoff(client, desk, sessions, action, status):
    handoff_id = open_one(client)["id"]
    assert desk.post(f"/desk/api/handoffs/{handoff_id}/{action}").status_code == 204
    handoff, _ = stored(sessions, handoff_id)
    assert (handoff.status, handoff.agent_name) == (status, "Maria")
    assert handoff.ended_at is not None and handoff.resumed_at is None  # the worker hands back

    # Ending it again changes nothing; replying is refused and stores nothing.
    assert desk.post(f"/desk/api/handoffs/{handoff_id}/resolve").status_code == 204
    assert stored(sessions, handoff_id)[0].status == status
    response = desk.post(f"/desk/api/handoffs/{handoff_id}/reply", json={"text": "one more thing"})
    assert response.status_code == 409
    assert response.json() == {"error": "this conversation is back with the assistant"}
    assert stored(sessions, handoff_id)[1] == []
    assert desk.post("/desk/api/handoffs/no-such-id/resolve").status_code == 404


ANA = {"customer": {"status": "logged_in", "id": "cus_ana", "verified_order": None, "name": "Ana Martin"},
       "order": {"number": "40512348", "item": "MacBook Air 13 (2020)", "situation": "awaiting_shipment"},
       "reason": "customer_asked", "reason_text": "The customer asked for a person"}
GUEST = {"customer": {"status": "anonymous", "id": None, "verified_order": None, "name": None}, "order": None,
         "reason": "misunderstood", "reason_text": "The assistant misunderstood the customer twice in a row"}


def opened_minutes_ago(sessions, handoff_id, minutes):
    with sessions.begin() as session:
        session.get(Handoff, handoff_id).created_at = now() - timedelta(minutes=minutes, seconds=5)


def customer_wrote(sessions, handoff_id, text, minutes_ago=0):
    """What the worker stores when the customer writes (from Rasa's tracker store)."""
    with sessions.begin() as session:
        session.add(Message(handoff_id=handoff_id, direction=TO_AGENT, text=text, source_id=text,
                            created_at=now() - timedelta(minutes=minutes_ago)))


def test_the_queue_tells_conversations_apart(client, desk, sessions):
    ana = open_one(client, "conv-ana", **ANA)["id"]
    guest = open_one(client, "conv-guest", **GUEST)["id"]
    opened_minutes_ago(sessions, ana, 4)

    queue = desk.get("/desk/api/handoffs").json()
    assert [(h["who"], h["about"], h["reason"], h["waiting"], h["channel_name"]) for h in queue] == [
        ("Ana Martin", "40512348, MacBook Air 13 (2020)", "The customer asked for a person", "waiting 4 min",
         "website chat"),
        ("Guest", None, "The assistant misunderstood the customer twice in a row", "waiting under a minute",
         "website chat"),
    ]
    assert [h["status_name"] for h in queue] == ["waiting", "waiting"]


def test_the_queue_says_who_is_answering_and_how_long_a_customer_has_waited_since_the_agents_reply(
        client, desk, sessions):
    ana = open_one(client, "conv-ana", **ANA)["id"]
    assert desk.post(f"/desk/api/handoffs/{ana}/reply", json={"text": "Hi Ana"}).status_code == 201
    [item] = desk.get("/desk/api/handoffs").json()
    assert (item["status_name"], item["waiting"]) == ("answering", "Maria is answering")

    with sessions.begin() as session:  # Maria replied 12 minutes ago; the customer wrote twice since
        [reply] = [m for m in session.get(Handoff, ana).messages if m.direction == TO_CUSTOMER]
        reply.created_at = now() - timedelta(minutes=12)
    customer_wrote(sessions, ana, "hello?", minutes_ago=5.1)
    customer_wrote(sessions, ana, "hello??", minutes_ago=2)
    assert desk.get("/desk/api/handoffs").json()[0]["waiting"] == "waiting 5 min"

    assert desk.post(f"/desk/api/handoffs/{ana}/resolve").status_code == 204
    [item] = desk.get("/desk/api/handoffs").json()
    assert (item["status_name"], item["waiting"]) == ("resolved", "resolved by Maria")


def test_a_long_wait_is_said_in_hours_and_minutes(client, desk, sessions):
    ana = open_one(client, "conv-ana", **ANA)["id"]
    opened_minutes_ago(sessions, ana, 125)
    assert desk.get("/desk/api/handoffs").json()[0]["waiting"] == "waiting 2 h 5 min"


def test_the_last_message_is_the_latest_the_customer_wrote(client, desk, sessions):
    handoff_id = open_one(client)["id"]
    view = desk.get(f"/desk/api/handoffs/{handoff_id}").json()
    assert view["last_message"] == "I never got it, I want a person"  # the ticket's, when nothing came since

    customer_wrote(sessions, handoff_id, "hello?? is anyone there")
    assert desk.post(f"/desk/api/handoffs/{handoff_id}/reply", json={"text": "Yes, Maria here."}).status_code == 201
    assert desk.get(f"/desk/api/handoffs/{handoff_id}").json()["last_message"] == "hello?? is anyone there"


def test_the_facts_are_in_words_with_the_channel_and_the_rating(client, desk):
    details = [{"label": "Customer", "text": "Ana Martin"}, {"label": "Proved", "text": "logged in to their account"},
               {"label": "Return label valid", "text": "until Tuesday, 8 December"}]
    handoff_id = open_one(client, **ANA, details=details)["id"]
    facts = desk.get(f"/desk/api/handoffs/{handoff_id}").json()["facts"]
    assert facts == [["Customer", "Ana Martin"], ["Proved", "logged in to their account"],
                     ["Return label valid", "until Tuesday, 8 December"], ["Channel", "website chat"]]
    assert client.post(f"/handoffs/{handoff_id}/rating", json={"solved": False}, headers=BEARER).status_code == 204
    assert desk.get(f"/desk/api/handoffs/{handoff_id}").json()["facts"][-1] == ["Customer's rating", "not solved"]


def test_what_the_assistant_said_after_the_handoff_is_in_the_conversation_in_time_order(client, desk, sessions):
    handoff_id = open_one(client)["id"]
    with sessions.begin() as session:  # what the worker stores from Rasa's tracker store
        session.add(Message(handoff_id=handoff_id, direction=FROM_ASSISTANT, source_id="bot-1",
                            text="Someone will answer you here in about 5 minutes.",
                            created_at=now() - timedelta(seconds=30), delivered_at=now()))
    customer_wrote(sessions, handoff_id, "ok thanks", minutes_ago=0.25)
    view = desk.get(f"/desk/api/handoffs/{handoff_id}").json()
    assert [(m["from"], m["text"]) for m in view["messages"]] == [
        ("assistant", "Someone will answer you here in about 5 minutes."), ("customer", "ok thanks")]


def test_the_conversation_reads_as_one_transcript_with_where_the_person_took_over(client, desk, sessions):
    handoff_id = open_one(client)["id"]
    with sessions.begin() as session:
        session.add(Message(handoff_id=handoff_id, direction=FROM_ASSISTANT, source_id="bot-1",
                            text="Someone will answer you here in about 5 minutes.",
                            created_at=now() - timedelta(seconds=30), delivered_at=now()))
    customer_wrote(sessions, handoff_id, "ok thanks", minutes_ago=0.25)
    assert desk.post(f"/desk/api/handoffs/{handoff_id}/reply", json={"text": "Maria here."}).status_code == 201
    lines = desk.get(f"/desk/api/handoffs/{handoff_id}").json()["lines"]
    assert [(line["author"], line["name"], line["text"], line["note"]) for line in lines] == [
        ("customer", "Customer", "where is my order?", None),
        ("assistant", "Assistant", "It was delivered on 2 May.", None),
        ("customer", "Customer", "I never got it, I want a person", None),
        ("event", None, "Handed over to a person", None),
        ("assistant", "Assistant", "Someone will answer you here in about 5 minutes.", None),
        ("customer", "Customer", "ok thanks", None),
        ("agent", "Maria", "Maria here.", "not delivered yet"),
    ]


def test_the_desk_takes_no_callbacks(client, sessions):
    handoff_id = open_one(client)["id"]
    body = json.dumps({"event": "resolved", "external_id": handoff_id}).encode()
    assert client.post("/callbacks/zendesk", content=body).status_code == 404
    assert client.post("/callbacks/desk", content=body).status_code == 401
    assert stored(sessions, handoff_id)[0].status == "waiting"


# -- Callbacks from a real adapter: the generic signed webhook ----------------------------------------


class Receiver(BaseHTTPRequestHandler):
    """The other team's end of the webhook: answers handoff.opened with its own case id."""

    def log_message(self, *args):
        pass

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.received.append(body)
        send_json(self, 200, {"id": f"CASE-{len(self.server.received)}"})


@pytest.fixture(scope="module")
def receiver():
    with serving(Receiver) as httpd:
        yield httpd


@pytest.fixture
def webhook_service(tmp_path, maria, sessions, receiver):
    """The service with the webhook tool, and one handoff the worker has opened there."""
    receiver.received = []
    tool = WebhookTool(f"http://127.0.0.1:{receiver.server_port}/cases", SECRET, timeout_s=2)
    with TestClient(create_app(settings_for(tmp_path, maria[0], tool="webhook"), sessions, tool)) as client:
        handoff_id = open_one(client)["id"]
        Worker(sessions, tool, rasa=None, conversations=None).open_in_tool()
        assert [(r["event"], r["handoff"]["handoff_id"]) for r in receiver.received] == [("handoff.opened", handoff_id)]
        assert stored(sessions, handoff_id)[0].external_id == "CASE-1"
        yield client, handoff_id


def signed(payload, secret=SECRET, at=None):
    """A callback signed as the webhook contract says, computed here independently."""
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    stamp = str(int(at if at is not None else time.time()))
    digest = hmac.new(secret.encode(), stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return {"content": body, "headers": {"Content-Type": "application/json", "X-Handoff-Timestamp": stamp,
                                         "X-Handoff-Signature": f"sha256={digest}"}}


def agent_message(text="I've asked DHL to trace it.", event_id="evt-1", external_id="CASE-1"):
    return {"event": "agent_message", "external_id": external_id, "text": text,
            "agent": {"name": "Sam from support"}, "event_id": event_id}


def test_a_signed_agent_message_reaches_the_handoff(webhook_service, sessions):
    client, handoff_id = webhook_service
    response = client.post("/callbacks/webhook", **signed(agent_message()))
    assert response.status_code == 200 and response.json() == {"received": 1}
    handoff, messages = stored(sessions, handoff_id)
    assert (handoff.status, handoff.agent_name) == ("active", "Sam from support")
    assert [(m.direction, m.author, m.text, m.source_id) for m in messages] == [
        (TO_CUSTOMER, "Sam from support", "I've asked DHL to trace it.", "evt-1")]
    assert client.get("/desk").status_code == 404  # no desk with another tool


def test_the_same_event_sent_twice_is_stored_once(webhook_service, sessions):
    client, handoff_id = webhook_service
    for _ in range(2):
        assert client.post("/callbacks/webhook", **signed(agent_message())).status_code == 200
    assert client.post("/callbacks/webhook", **signed(agent_message("And a new one.", "evt-2"))).status_code == 200
    assert [m.text for m in stored(sessions, handoff_id)[1]] == ["I've asked DHL to trace it.", "And a new one."]


@pytest.mark.parametrize("event, status", [("resolved", "resolved"), ("given_back", "given_back")])
def test_the_tool_ending_the_conversation_ends_the_handoff(webhook_service, sessions, event, status):
    client, handoff_id = webhook_service
    payload = {"event": event, "external_id": "CASE-1", "agent": {"name": "Sam"}, "event_id": "evt-9"}
    assert client.post("/callbacks/webhook", **signed(payload)).status_code == 200
    handoff, _ = stored(sessions, handoff_id)
    assert (handoff.status, handoff.agent_name) == (status, "Sam") and handoff.ended_at is not None
    # A late message after the end is not stored: the assistant has the conversation.
    assert client.post("/callbacks/webhook", **signed(agent_message(event_id="evt-10"))).status_code == 200
    assert stored(sessions, handoff_id)[1] == []


@pytest.mark.parametrize("spoil", ["other secret", "stale", "no signature", "no timestamp", "body changed"])
def test_a_callback_not_signed_as_agreed_is_refused_and_changes_nothing(webhook_service, sessions, spoil):
    client, handoff_id = webhook_service
    request = signed({"event": "resolved", "external_id": "CASE-1"},
                     secret="guessed" if spoil == "other secret" else SECRET,
                     at=time.time() - 600 if spoil == "stale" else None)
    if spoil == "no signature":
        del request["headers"]["X-Handoff-Signature"]
    if spoil == "no timestamp":
        del request["headers"]["X-Handoff-Timestamp"]
    if spoil == "body changed":
        request["content"] = json.dumps({"event": "resolved", "external_id": "CASE-1", "x": 1}).encode()
    assert client.post("/callbacks/webhook", **request).status_code == 401
    handoff, messages = stored(sessions, handoff_id)
    assert handoff.status == "waiting" and handoff.ended_at is None and messages == []


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]",
                                  json.dumps({"event": "agent_message", "external_id": "CASE-1"}),
                                  json.dumps({"event": "resolved"})])
def test_a_signed_but_malformed_callback_is_a_bad_request(webhook_service, sessions, body):
    client, handoff_id = webhook_service
    request = signed(body.encode() if isinstance(body, str) else body)
    assert client.post("/callbacks/webhook", **request).status_code == 400
    handoff, messages = stored(sessions, handoff_id)
    assert handoff.status == "waiting" and messages == []


def test_a_callback_about_another_conversation_changes_nothing(webhook_service, sessions):
    client, handoff_id = webhook_service
    assert client.post("/callbacks/webhook", **signed(agent_message(external_id="CASE-404"))).status_code == 200
    assert client.post("/callbacks/webhook", **signed({"event": "agent_typing", "external_id": "CASE-1"})
                       ).json() == {"received": 0}
    handoff, messages = stored(sessions, handoff_id)
    assert handoff.status == "waiting" and messages == []


def test_a_conversation_id_goes_to_rasa_as_rasa_reads_it():
    """Rasa's server doesn't decode %-escapes in its paths (tests/test_handoff_conversations.py
    shows it): a WhatsApp or SMS sender's id must go as it is, or the agent's words would go to
    another, empty, conversation."""
    from handoff.rasa_api import _path

    assert _path("whatsapp:+15551234567") == "whatsapp:+15551234567"
    assert _path("3f2a9c0e5b7d4e1f8a6b2c9d0e1f2a3b") == "3f2a9c0e5b7d4e1f8a6b2c9d0e1f2a3b"
    assert _path("a b?c#d%") == "a%20b%3Fc%23d%25"  # what a path can't hold is still escaped
