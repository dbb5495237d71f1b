"""The backend's HTTP contract, on a fresh seeded SQLite database."""
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from backend import seed
from backend.__main__ import migrate
from backend.app import create_app
from backend.settings import Settings

SEED = Path(__file__).parent.parent / "seed.yml"
TOKEN = "test-token"
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'orders.db'}"
    migrate(url)  # the real migrations, not create_all
    engine = create_engine(url)
    with Session(engine) as db:
        assert seed.load(db, SEED, now=NOW) == 15
        assert seed.load(db, SEED, now=NOW) == 0  # seeds an empty database only
    settings = Settings(url, TOKEN, "127.0.0.1", 0, SEED)
    with TestClient(create_app(settings, engine), raise_server_exceptions=False) as test_client:
        test_client.headers["Authorization"] = f"Bearer {TOKEN}"
        yield test_client


def test_relative_seed_times():
    assert seed.relative("-2d3h", NOW) == NOW - timedelta(days=2, hours=3)
    assert seed.relative("+1d", NOW) == NOW + timedelta(days=1)
    assert seed.relative("-10m", NOW) == NOW - timedelta(minutes=10)
    with pytest.raises(ValueError):
        seed.relative("yesterday", NOW)


def test_an_order_with_its_shipment_in_utc(client):
    order = client.get("/orders/40512351").json()
    assert order["seller"] == {"name": "Munich Tech", "country": "DE", "subdivision": "BY", "timezone": "Europe/Berlin"}
    assert order["shipment"]["carrier"] == "UPS"
    assert order["shipment"]["shipped_at"] == "2026-11-24T12:00:00Z"
    assert [e["status"] for e in order["shipment"]["events"]] == ["Picked up by UPS", "In transit"]
    assert order["items"] == [{"name": "Pixel 7 128GB", "device_kind": "smartphone", "large_device": False}]


def test_a_return_with_its_refund(client):
    (ret,) = client.get("/orders/40512365").json()["returns"]
    assert (ret["refund_state"], ret["refund_amount"], ret["refund_currency"]) == ("refunded", "349.00", "EUR")


def test_personal_data_never_leaves_the_backend(client):
    body = client.get("/orders/40512345").text
    for secret in ("Ana Martin", "Oberkampf", "75011", "+33", "ana.martin@example.com"):
        assert secret not in body


def test_a_customers_orders_newest_first(client):
    numbers = [o["number"] for o in client.get("/customers/cus_ana/orders").json()]
    assert numbers[0] == "40512345" and set(numbers) == {"40512345", "40512348", "40512351", "40512360", "40512364"}


def test_a_customers_name_for_the_agent_who_takes_over_and_nothing_else(client):
    assert client.get("/customers/cus_ana").json() == {"id": "cus_ana", "name": "Ana Martin"}


@pytest.mark.parametrize("path, status, code", [
    ("/orders/99999999", 404, "not_found"),
    ("/orders/1234", 422, "invalid"),
    ("/orders/4051234x", 422, "invalid"),
    ("/orders/%3Cscript%3E", 422, "invalid"),
    ("/customers/nobody/orders", 404, "not_found"),
    ("/customers/nobody", 404, "not_found"),
])
def test_bad_requests_get_a_4xx_with_a_json_error(client, path, status, code):
    response = client.get(path)
    assert (response.status_code, response.json()["error"]) == (status, code)


@pytest.mark.parametrize("authorization", [None, "Bearer wrong", TOKEN, f"Basic {TOKEN}"])
def test_the_api_token_is_required(client, authorization):
    anonymous = TestClient(client.app)
    headers = {"Authorization": authorization} if authorization else {}
    for path in ("/orders/40512351", "/customers/cus_ana"):
        response = anonymous.get(path, headers=headers)
        assert response.status_code == 401 and response.json()["error"] == "unauthorized"


def test_health_needs_no_token(client):
    assert TestClient(client.app).get("/health").json() == {"status": "ok"}


def test_the_openapi_document_describes_the_contract(client):
    spec = client.get("/openapi.json").json()
    assert {"/orders/{number}", "/customers/{customer_id}/orders", "/health"} <= set(spec["paths"])
    assert "OrderView" in spec["components"]["schemas"]


@pytest.mark.parametrize("body, verified", [
    ({"order_number": "40512345", "email": "ana.martin@example.com"}, True),
    ({"order_number": "40512345", "email": "  Ana.Martin@Example.com "}, True),
    ({"order_number": "40512345", "postcode": "75011"}, True),
    ({"order_number": "40512347", "postcode": "sw1a 2hq"}, True),
    ({"order_number": "40512345", "email": "ben.carter@example.com"}, False),  # someone else's e-mail
])
def test_verification_answers_only_yes_or_no(client, body, verified):
    response = client.post("/verifications", json=body)
    assert response.status_code == 200 and response.json() == {"verified": verified, "retry_after_s": None}


def test_an_unknown_order_and_a_wrong_email_get_the_same_answer(client):
    unknown = client.post("/verifications", json={"order_number": "99999998", "email": "ana.martin@example.com"})
    wrong = client.post("/verifications", json={"order_number": "40512346", "email": "nobody@example.com"})
    assert (unknown.status_code, unknown.json()) == (wrong.status_code, wrong.json()) == (
        200, {"verified": False, "retry_after_s": None})


@pytest.mark.parametrize("body", [
    {"order_number": "1234", "email": "a@b.c"}, {"email": "a@b.c"}, {"order_number": "40512345", "email": "x" * 300},
    # nothing to check: a mistake, not a failed attempt
    {"order_number": "40512345"}, {"order_number": "40512345", "email": " ", "postcode": ""},
    {"order_number": "40512345", "email": "a@b.c", "conversation": "x" * 201},
])
def test_malformed_verifications_are_a_422(client, body):
    response = client.post("/verifications", json=body)
    assert response.status_code == 422 and response.json()["error"] == "invalid"
