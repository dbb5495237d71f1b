"""Return photos through the API: uploaded only through a signed link for that order, slot and
conversation, checked, kept once per slot, and served to the API token only, as inert JPEGs."""
import io
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from PIL import Image, ImageFilter
from backend.app import create_app
from backend.photo_storage import LocalDisk, StorageError
from backend.settings import PhotoKeeping, Settings
from common.photo_links import link_query
from seeded import SEED, seeded_database

PHOTOS = Path(__file__).parent.parent.parent / "tests" / "fixtures" / "photos"
TOKEN = "test-token"
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)
ORDER, OTHER_ORDER = "40512360", "40512345"
INERT_HEADERS = ("content-type", "x-content-type-options", "content-disposition", "content-security-policy",
                 "cache-control")


@pytest.fixture()
def world(tmp_path):
    url, engine = seeded_database(tmp_path, NOW)
    storage = LocalDisk(tmp_path / "photos")
    app = create_app(Settings(url, TOKEN, "127.0.0.1", 0, SEED), engine, clock=lambda: NOW, photos=storage)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client, tmp_path / "photos"


def jpeg(name="astronaut", blur=0):
    image = Image.open(PHOTOS / f"{name}.jpg").convert("RGB")
    if blur:
        image = image.filter(ImageFilter.GaussianBlur(blur))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def upload(client, data, slot="front", order=ORDER, link_for=None, conversation="conv-1", now=NOW):
    query = link_query(TOKEN, *(link_for or (order, slot)), conversation, now=now)
    return client.put(f"/orders/{order}/photos/{slot}", params=query, content=data)


def kept_files(folder: Path):
    return sorted(folder.rglob("*.jpg")) if folder.exists() else []


def test_a_good_photo_is_kept_and_the_slots_filled_are_said(world):
    client, folder = world
    reply = upload(client, jpeg())
    assert reply.status_code == 201
    assert reply.json()["photo"]["slot"] == "front"
    assert reply.json()["slots_filled"] == ["front"]
    assert upload(client, jpeg("camera"), "back").json()["slots_filled"] == ["front", "back"]
    assert len(kept_files(folder)) == 2


def test_a_retake_replaces_the_slots_photo_and_its_file(world):
    client, folder = world
    first = upload(client, jpeg()).json()["photo"]["id"]
    second = upload(client, jpeg("camera")).json()["photo"]["id"]
    assert first != second
    listed = client.get(f"/orders/{ORDER}/photos", headers={"Authorization": f"Bearer {TOKEN}"}).json()
    assert [(p["slot"], p["id"]) for p in listed] == [("front", second)]
    assert [f.stem for f in kept_files(folder)] == [second]


def test_a_refused_photo_says_why_and_leaves_nothing_behind(world):
    client, folder = world
    reply = upload(client, jpeg(blur=3))
    assert reply.status_code == 422
    assert reply.json()["error"] == "photo_refused" and reply.json()["reason"] == "blurry"
    assert upload(client, b"<svg onload='alert(1)'/>").json()["reason"] == "not_an_image"
    assert kept_files(folder) == []


def test_the_same_photo_in_another_slot_is_refused_as_a_duplicate(world):
    client, _ = world
    upload(client, jpeg())
    assert upload(client, jpeg(), "back").json()["reason"] == "duplicate"


@pytest.mark.parametrize("tampered", [
    {"link_for": (OTHER_ORDER, "front")},                # a link for another order
    {"link_for": (ORDER, "back")},                       # for another slot
    {"now": NOW - timedelta(hours=1)},                   # expired
])
def test_an_upload_needs_a_link_for_this_order_and_slot_still_open(world, tampered):
    client, folder = world
    reply = upload(client, jpeg(), **tampered)
    assert reply.status_code == 403 and reply.json()["error"] == "link_invalid"
    assert kept_files(folder) == []


def test_a_link_cant_be_made_without_the_api_token_nor_reused_for_another_conversation(world):
    client, _ = world
    forged = link_query("a guessed token", ORDER, "front", "conv-1", now=NOW)
    assert client.put(f"/orders/{ORDER}/photos/front", params=forged, content=jpeg()).status_code == 403
    query = link_query(TOKEN, ORDER, "front", "conv-1", now=NOW)
    query["conversation"] = "conv-2"
    assert client.put(f"/orders/{ORDER}/photos/front", params=query, content=jpeg()).status_code == 403
    assert client.put(f"/orders/{ORDER}/photos/front", content=jpeg()).status_code == 403


def test_a_file_over_the_limit_is_refused_before_it_is_read(world):
    client, folder = world
    reply = upload(client, b"\xff\xd8" + b"\0" * (15 * 1024 * 1024 + 1))
    assert reply.status_code == 413 and reply.json()["error"] == "too_large"
    assert kept_files(folder) == []


def test_photos_are_served_to_the_api_token_only_as_inert_jpegs(world):
    client, _ = world
    photo_id = upload(client, jpeg()).json()["photo"]["id"]
    assert client.get(f"/photos/{photo_id}").status_code == 401
    assert client.get(f"/orders/{ORDER}/photos").status_code == 401
    served = client.get(f"/photos/{photo_id}", headers={"Authorization": f"Bearer {TOKEN}"})
    assert served.status_code == 200
    assert served.headers["content-type"] == "image/jpeg"
    assert served.headers["x-content-type-options"] == "nosniff"
    assert served.headers["content-disposition"].startswith("inline")
    assert "default-src 'none'" in served.headers["content-security-policy"]
    assert "no-store" in served.headers["cache-control"]
    assert Image.open(io.BytesIO(served.content)).format == "JPEG"


def test_the_customers_own_link_shows_that_slots_photo_and_nothing_else(world):
    client, _ = world
    upload(client, jpeg())
    link = link_query(TOKEN, ORDER, "front", "conv-1", now=NOW)
    shown = client.get(f"/orders/{ORDER}/photos/front", params=link)
    assert shown.status_code == 200 and shown.headers["content-type"] == "image/jpeg"
    assert shown.headers["x-content-type-options"] == "nosniff" and "no-store" in shown.headers["cache-control"]
    # The front's link opens neither the back nor another order's front; an empty slot is a 404.
    assert client.get(f"/orders/{ORDER}/photos/back", params=link).status_code == 403
    assert client.get(f"/orders/{OTHER_ORDER}/photos/front", params=link).status_code == 403
    back = link_query(TOKEN, ORDER, "back", "conv-1", now=NOW)
    assert client.get(f"/orders/{ORDER}/photos/back", params=back).status_code == 404
    expired = link_query(TOKEN, ORDER, "front", "conv-1", now=NOW - timedelta(minutes=16))
    assert client.get(f"/orders/{ORDER}/photos/front", params=expired).status_code == 403


def test_the_widgets_pages_may_upload_from_the_browser_and_no_other_page_may(tmp_path):
    url, engine = seeded_database(tmp_path, NOW)
    settings = Settings(url, TOKEN, "127.0.0.1", 0, SEED, photo_origins=("http://shop.example",))
    app = create_app(settings, engine, clock=lambda: NOW, photos=LocalDisk(tmp_path / "photos"))
    preflight = {"Access-Control-Request-Method": "PUT", "Access-Control-Request-Headers": "content-type"}
    with TestClient(app) as client:
        allowed = client.options(f"/orders/{ORDER}/photos/front", headers={"Origin": "http://shop.example", **preflight})
        assert allowed.status_code == 200
        assert allowed.headers["access-control-allow-origin"] == "http://shop.example"
        assert "PUT" in allowed.headers["access-control-allow-methods"]
        assert "access-control-allow-credentials" not in allowed.headers
        other = client.options(f"/orders/{ORDER}/photos/front", headers={"Origin": "http://evil.example", **preflight})
        assert "access-control-allow-origin" not in other.headers


def test_a_thumbnail_is_a_small_inert_jpeg_of_the_same_photo(world):
    client, _ = world
    photo_id = upload(client, jpeg()).json()["photo"]["id"]
    auth = {"Authorization": f"Bearer {TOKEN}"}
    full = client.get(f"/photos/{photo_id}", headers=auth)
    thumb = client.get(f"/photos/{photo_id}", params={"size": "thumb"}, headers=auth)
    assert thumb.status_code == 200
    assert {name: thumb.headers[name] for name in INERT_HEADERS} == {name: full.headers[name] for name in INERT_HEADERS}
    small, large = Image.open(io.BytesIO(thumb.content)), Image.open(io.BytesIO(full.content))
    assert small.format == "JPEG" and max(small.size) == 320 and large.size == (512, 512)
    assert len(thumb.content) < len(full.content) / 2
    assert client.get(f"/photos/{photo_id}", params={"size": "huge"}, headers=auth).status_code == 422
    assert client.get(f"/photos/{photo_id}", params={"size": "thumb"}).status_code == 401


def test_a_photo_id_that_isnt_one_is_a_404_and_never_a_path(world):
    client, _ = world
    auth = {"Authorization": f"Bearer {TOKEN}"}
    assert client.get("/photos/" + "0" * 32, headers=auth).status_code == 404
    assert client.get("/photos/..%2F..%2Fetc%2Fpasswd", headers=auth).status_code in (404, 422)


class BrokenStore:
    def put(self, key, jpeg):
        raise StorageError("the photo store failed: ServiceUnavailable")

    def get(self, key):
        raise StorageError("no such photo")

    def delete(self, key):
        pass


def test_a_store_that_fails_is_a_503_and_the_order_keeps_no_row(tmp_path):
    url, engine = seeded_database(tmp_path, NOW)
    app = create_app(Settings(url, TOKEN, "127.0.0.1", 0, SEED), engine, clock=lambda: NOW, photos=BrokenStore())
    with TestClient(app, raise_server_exceptions=False) as client:
        reply = upload(client, jpeg())
        assert reply.status_code == 503 and reply.json()["error"] == "store_unavailable"
        assert client.get(f"/orders/{ORDER}/photos", headers={"Authorization": f"Bearer {TOKEN}"}).json() == []


def test_uploads_are_limited_per_conversation_and_per_order_and_say_when_to_try_again(tmp_path):
    url, engine = seeded_database(tmp_path, NOW)
    keeping = PhotoKeeping(url, tmp_path / "photos", uploads_per_conversation=2, uploads_per_order=3)
    app = create_app(Settings(url, TOKEN, "127.0.0.1", 0, SEED, photos=keeping), engine, clock=lambda: NOW)
    with TestClient(app, raise_server_exceptions=False) as client:
        assert upload(client, jpeg()).status_code == 201
        assert upload(client, b"not a photo").status_code == 422  # refused uploads count too
        third = upload(client, jpeg("camera"), "back")
        assert third.status_code == 429 and third.json()["error"] == "too_many_attempts"
        assert third.headers["Retry-After"] == "3600"
        assert upload(client, jpeg("camera"), "back", conversation="conv-2").status_code == 201
        assert upload(client, jpeg("grass"), "left", conversation="conv-3").status_code == 429  # the order's limit


# A stand-in for ClamAV's clamdscan with its exit statuses, run as the real hook runs it: it
# finds the EICAR test signature, the string every anti-virus reports as infected.
SCANNER = ("python3 -c \"import sys; data = sys.stdin.buffer.read(); "
           "sys.exit(1 if b'EICAR-STANDARD-ANTIVIRUS-TEST-FILE' in data else 0)\"")
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


@pytest.mark.parametrize("command, clean, infected", [
    (SCANNER, 201, (422, "infected")),
    ("python3 -c 'import sys; sys.exit(2)'", 503, (503, None)),  # the scanner fails: nothing kept unscanned
    ("/no/such/scanner -", 503, (503, None)),
])
def test_every_upload_goes_through_the_virus_scan_command_first(tmp_path, command, clean, infected):
    url, engine = seeded_database(tmp_path, NOW)
    keeping = PhotoKeeping(url, photo_dir=tmp_path / "photos", scan_command=command)
    settings = Settings(url, TOKEN, "127.0.0.1", 0, SEED, photos=keeping)
    app = create_app(settings, engine, clock=lambda: NOW, photos=LocalDisk(tmp_path / "photos"))
    with TestClient(app, raise_server_exceptions=False) as client:
        assert upload(client, jpeg()).status_code == clean
        # A photo with the test signature appended: Pillow would read it, the scanner refuses it.
        reply = upload(client, jpeg("camera") + EICAR, "back")
        assert (reply.status_code, reply.json().get("reason")) == infected
