"""A seller sees the return photos of its own orders, with its own token, and nothing else
(backend/seller_tokens.py, backend/photo_routes.py)."""
import io
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from backend.app import create_app
from backend.photo_storage import LocalDisk
from backend.seller_tokens import issue, revoke
from backend.settings import Settings
from common.photo_links import link_query
from seeded import SEED, seeded_database

TOKEN = "test-token"
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)
PARIS_ORDER = "40512360"  # sold by sel_paris (backend/seed.yml)
ROOT = Path(__file__).parent.parent.parent


@pytest.fixture()
def world(tmp_path):
    url, engine = seeded_database(tmp_path, NOW)
    app = create_app(Settings(url, TOKEN, "127.0.0.1", 0, SEED), engine, clock=lambda: NOW,
                     photos=LocalDisk(tmp_path / "photos"))
    with TestClient(app, raise_server_exceptions=False) as client:
        photo = Image.open(ROOT / "tests" / "fixtures" / "photos" / "astronaut.jpg")
        out = io.BytesIO()
        photo.save(out, "JPEG")
        query = link_query(TOKEN, PARIS_ORDER, "front", "c1", now=NOW)
        photo_id = client.put(f"/orders/{PARIS_ORDER}/photos/front", params=query, content=out.getvalue()).json()["photo"]["id"]
        yield client, engine, url, photo_id


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def test_the_orders_seller_lists_and_opens_its_photos_with_its_token(world):
    client, engine, _, photo_id = world
    paris = issue(engine, "sel_paris", now=NOW)
    listed = client.get(f"/seller/orders/{PARIS_ORDER}/photos", headers=bearer(paris))
    assert [p["id"] for p in listed.json()] == [photo_id]
    served = client.get(f"/seller/photos/{photo_id}", headers=bearer(paris))
    assert served.status_code == 200 and served.headers["content-type"] == "image/jpeg"
    assert served.headers["x-content-type-options"] == "nosniff"


def test_another_seller_finds_nothing_there(world):
    client, engine, _, photo_id = world
    london = issue(engine, "sel_london", now=NOW)
    assert client.get(f"/seller/orders/{PARIS_ORDER}/photos", headers=bearer(london)).status_code == 404
    assert client.get(f"/seller/photos/{photo_id}", headers=bearer(london)).status_code == 404


def test_a_seller_token_opens_only_the_sellers_routes_and_the_api_token_not_those(world):
    client, engine, _, photo_id = world
    paris = issue(engine, "sel_paris", now=NOW)
    assert client.get(f"/orders/{PARIS_ORDER}/photos", headers=bearer(paris)).status_code == 401
    assert client.get(f"/photos/{photo_id}", headers=bearer(paris)).status_code == 401
    assert client.get(f"/seller/photos/{photo_id}", headers=bearer(TOKEN)).status_code == 401
    assert client.get(f"/seller/photos/{photo_id}").status_code == 401


def test_a_revoked_token_opens_nothing(world):
    client, engine, _, photo_id = world
    paris = issue(engine, "sel_paris", now=NOW)
    assert revoke(engine, "sel_paris") == 1
    assert client.get(f"/seller/photos/{photo_id}", headers=bearer(paris)).status_code == 401


def test_the_command_issues_a_token_once_for_a_known_seller_only(world):
    client, _, url, photo_id = world
    env = {"BACKEND_DATABASE_URL": url, "PATH": "/usr/bin:/bin"}
    run = [sys.executable, "-m", "backend.seller_tokens"]
    issued = subprocess.run(run + ["issue", "sel_paris"], capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)
    assert issued.returncode == 0, issued.stderr
    token = issued.stdout.strip()
    assert client.get(f"/seller/photos/{photo_id}", headers=bearer(token)).status_code == 200
    unknown = subprocess.run(run + ["issue", "sel_nowhere"], capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)
    assert unknown.returncode == 2 and "no seller" in unknown.stderr
