"""The return photos on the reference desk. An agent who opens a conversation about an order sees
that order's photos, in the checklist's order under their slots' names, served by the handoff
service from the real order backend (whose API token never leaves the service): thumbnails, and
the full-size photo, both inert. No other photo is served: not without logging in, not another
order's, not one of a conversation the desk no longer shows. With the order backend down the
desk still works and says the photos can't be shown now."""
import io
import logging
import uuid
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from PIL import Image

from common.photo_links import link_query
from handoff import agents
from handoff.app import create_app
from handoff.settings import Settings
from handoff.store import ENDED_ON_DESK, connect
from handoff.tools.desk import DeskTool
from tools.services import free_port, scratch_backend

PHOTOS = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "photos"
API_TOKEN = "api-token-for-tests"
BEARER = {"Authorization": f"Bearer {API_TOKEN}"}
# Seeded orders (backend/seed.yml): Ana's iPhone 12 return, Ben's return, Ana's MacBook (no return).
RETURNED, OTHER_RETURN, NO_RETURN = "40512360", "40512361", "40512348"
CANT_BE_SHOWN = "The return photos can't be shown right now: the order system isn't answering."


@pytest.fixture(scope="module")
def backend(tmp_path_factory):
    """The real order backend, migrated and seeded, on a free local port: (url, API token)."""
    with scratch_backend(tmp_path_factory.mktemp("backend")) as running:
        yield running


def upload(backend, order: str, slot: str, photo: str) -> str:
    """A real photo through the order's signed upload link, as the customer's browser sends it."""
    url, token = backend
    reply = httpx.put(f"{url}/orders/{order}/photos/{slot}", params=link_query(token, order, slot, "conv-photos"),
                      content=(PHOTOS / f"{photo}.jpg").read_bytes(), timeout=30)
    assert reply.status_code == 201, reply.text
    return reply.json()["photo"]["id"]


@pytest.fixture(scope="module")
def photos(backend):
    """The returned order's photos by slot, sent out of the checklist's order; and one of another order."""
    taken = {slot: upload(backend, RETURNED, slot, photo)
             for slot, photo in (("left", "brick"), ("front", "astronaut"), ("back", "camera"))}
    return taken, upload(backend, OTHER_RETURN, "front", "grass")


@pytest.fixture(scope="module")
def maria(tmp_path_factory):
    """The desk's agents file with one agent; her password (scrypt is slow: made once)."""
    path = tmp_path_factory.mktemp("agents") / "desk-agents.yml"
    return path, agents.add(path, "maria", "Maria")


def desk_for(tmp_path, maria, orders_api_url: str, orders_api_token) -> TestClient:
    settings = Settings(host="127.0.0.1", port=0, database_url=f"sqlite:///{tmp_path / 'handoff.db'}",
                        api_token=API_TOKEN, rasa_url="http://127.0.0.1:9", rasa_token="unused",
                        tracker_db_url=f"sqlite:///{tmp_path / 'rasa.db'}", tool="desk", tool_settings={},
                        agents_file=maria[0], poll_s=0.1, orders_api_url=orders_api_url,
                        orders_api_token=orders_api_token, orders_api_timeout_s=2)
    return TestClient(create_app(settings, connect(settings.database_url), DeskTool()))


def logged_in(client: TestClient, maria) -> TestClient:
    response = client.post("/desk/login", data={"login": "maria", "password": maria[1]}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/desk"
    return client


@pytest.fixture
def desk(tmp_path, maria, backend):
    """The desk, wired to the real order backend with its token; Maria logged in."""
    with desk_for(tmp_path, maria, *backend) as client:
        yield logged_in(client, maria)


def handed_over(client: TestClient, order=RETURNED) -> str:
    """A conversation handed to a person, about `order` (None: about no order); its handoff's id."""
    ticket = {"conversation_id": f"conv-{uuid.uuid4().hex}", "channel": "socketio", "reason": "customer_asked",
              "reason_text": "The customer asked for a person", "summary": "Ana Martin, logged in.",
              "customer": {"status": "logged_in", "id": "cus_ana", "verified_order": None, "name": "Ana Martin"},
              "order": {"number": order, "item": "iPhone 12 64GB"} if order else None, "topics": [], "transcript": []}
    response = client.post("/handoffs", json=ticket, headers=BEARER)
    assert response.status_code == 201, response.text
    return response.json()["id"]


def shown_photos(client: TestClient, handoff_id: str) -> dict:
    response = client.get(f"/desk/api/handoffs/{handoff_id}/photos")
    assert response.status_code == 200, response.text
    return response.json()


def picture(response) -> Image.Image:
    assert response.status_code == 200, response.text
    return Image.open(io.BytesIO(response.content))


def test_the_agent_sees_the_orders_photos_in_the_checklists_order_under_their_slots_names(desk, photos, backend):
    taken, _ = photos
    shown = shown_photos(desk, handed_over(desk))
    assert shown["note"] is None
    assert [(p["name"], p["id"]) for p in shown["photos"]] == [
        ("Front", taken["front"]), ("Back", taken["back"]), ("Left side", taken["left"])]
    assert shown["photos"][0]["label"] == "Front photo, full size, in a new tab"

    # Each as a thumbnail, and full size: the very photo the backend keeps.
    front = shown["photos"][0]
    assert max(picture(desk.get(front["thumbnail"])).size) == 320
    full = desk.get(front["full"])
    assert picture(full).size == (512, 512)
    url, token = backend
    assert full.content == httpx.get(f"{url}/photos/{taken['front']}", headers={"Authorization": f"Bearer {token}"}
                                     ).content


def test_a_photo_is_served_inert_and_the_desk_allows_only_its_own_images(desk, photos):
    handoff_id = handed_over(desk)
    for url in (p[kind] for p in shown_photos(desk, handoff_id)["photos"] for kind in ("full", "thumbnail")):
        served = desk.get(url)
        assert served.headers["content-type"] == "image/jpeg"
        assert served.headers["x-content-type-options"] == "nosniff"
        assert served.headers["content-disposition"].startswith("inline")
        assert served.headers["cache-control"] == "private, no-store"
        assert "sandbox" in served.headers["content-security-policy"]
    policy = desk.get("/desk").headers["content-security-policy"]
    assert "img-src 'self'" in policy and "default-src 'none'" in policy


def test_without_logging_in_no_photo_and_no_list_is_served(tmp_path, maria, backend, photos):
    taken, _ = photos
    with desk_for(tmp_path, maria, *backend) as client:
        handoff_id = handed_over(client)
        photo = f"/desk/photos/{taken['front']}?handoff={handoff_id}"
        assert client.get(photo).status_code == 401
        assert client.get(f"/desk/api/handoffs/{handoff_id}/photos").status_code == 401

        logged_in(client, maria)
        assert client.get(photo).status_code == 200
        client.post("/desk/logout")
        assert client.get(photo).status_code == 401


def test_a_photo_is_served_only_for_the_order_of_a_conversation_the_desk_shows(desk, photos):
    taken, other_orders = photos
    about_the_return, about_another = handed_over(desk), handed_over(desk, OTHER_RETURN)
    about_nothing, about_an_order_without_photos = handed_over(desk, None), handed_over(desk, NO_RETURN)

    def status(photo_id, handoff_id):
        return desk.get(f"/desk/photos/{photo_id}", params={"handoff": handoff_id}).status_code

    assert status(taken["front"], about_the_return) == 200
    assert status(other_orders, about_the_return) == 404  # a real photo, of another order
    assert status(taken["front"], about_another) == 404  # a real photo, of another conversation's order
    assert status(other_orders, about_another) == 200
    assert status(taken["front"], about_nothing) == 404
    assert status(taken["front"], about_an_order_without_photos) == 404
    assert status(taken["front"], uuid.uuid4().hex) == 404  # no such conversation
    assert status(uuid.uuid4().hex, about_the_return) == 404  # no such photo
    assert desk.get(f"/desk/photos/{taken['front']}").status_code == 422  # no conversation named
    assert desk.get("/desk/photos/..%2F..%2Forders%2F40512360", params={"handoff": about_the_return}
                    ).status_code in (404, 422)

    # Ended, and then pushed off the desk by the later ones: its photos are no longer served.
    assert desk.post(f"/desk/api/handoffs/{about_the_return}/resolve").status_code == 204
    assert status(taken["front"], about_the_return) == 200
    for _ in range(ENDED_ON_DESK):
        assert desk.post(f"/desk/api/handoffs/{handed_over(desk, None)}/resolve").status_code == 204
    assert status(taken["front"], about_the_return) == 404
    assert shown_photos(desk, about_the_return) == {"photos": [], "note": None}


def test_a_conversation_about_no_order_or_an_order_without_photos_says_nothing(desk, photos):
    for order in (None, NO_RETURN):
        assert shown_photos(desk, handed_over(desk, order)) == {"photos": [], "note": None}


@pytest.mark.parametrize("backend_answers", ["nobody listening", "a token it refuses"])
def test_with_the_order_backend_unavailable_the_desk_works_and_says_the_photos_cant_be_shown(
        tmp_path, maria, backend, photos, backend_answers):
    taken, _ = photos
    url, token = backend
    unavailable = (f"http://127.0.0.1:{free_port()}", token) if backend_answers == "nobody listening" \
        else (url, "not-the-backends-token")
    with desk_for(tmp_path, maria, *unavailable) as client:
        desk = logged_in(client, maria)
        handoff_id = handed_over(desk)
        assert desk.get("/desk/api/handoffs").status_code == 200
        assert desk.get(f"/desk/api/handoffs/{handoff_id}").json()["summary"] == "Ana Martin, logged in."
        assert shown_photos(desk, handoff_id) == {"photos": [], "note": CANT_BE_SHOWN}
        assert desk.get(f"/desk/photos/{taken['front']}", params={"handoff": handoff_id}).status_code == 503
        assert desk.post(f"/desk/api/handoffs/{handoff_id}/reply", json={"text": "Let me look."}).status_code == 201


def test_without_the_order_backends_token_the_desk_shows_no_photos_and_the_log_says_why(
        tmp_path, maria, backend, photos, caplog):
    taken, _ = photos
    with caplog.at_level(logging.WARNING, logger="handoff.app"):
        client = desk_for(tmp_path, maria, backend[0], None)
    assert "ORDERS_API_TOKEN is not set: the desk shows no return photos" in caplog.text
    with client:
        desk = logged_in(client, maria)
        handoff_id = handed_over(desk)
        assert shown_photos(desk, handoff_id) == {"photos": [], "note": None}
        assert desk.get(f"/desk/photos/{taken['front']}", params={"handoff": handoff_id}).status_code == 404


def test_the_service_finds_the_order_backend_in_its_environment_and_starts_without_its_token(monkeypatch):
    for name, value in {"HANDOFF_API_TOKEN": "t", "RASA_URL": "http://rasa", "RASA_API_TOKEN": "r",
                        "TRACKER_DB_URL": "sqlite://", "ORDERS_API_URL": "http://backend:8000/"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("ORDERS_API_TOKEN", raising=False)
    settings = Settings.from_environment()
    assert (settings.orders_api_url, settings.orders_api_token) == ("http://backend:8000", None)
    monkeypatch.setenv("ORDERS_API_TOKEN", "the-backends-token")
    assert Settings.from_environment().orders_api_token == "the-backends-token"
