"""Return photos in a messaging conversation: real photos and their bad copies, the return
checklist asking for photos (the tracker's `photo_links` slot, as the action server sets it,
with links signed with the test assistant's API token), and what the order backend then keeps.
"""
import json
import subprocess
from datetime import datetime, timedelta, timezone
from typing import Iterable, List, Optional
from urllib.parse import urlencode

import requests

from common.photo_links import LIFETIME, link_query
from tools.services import BACKEND_VENV, ROOT

PHOTOS = ROOT / "tests" / "fixtures" / "photos"
# The photos each step of the return checklist asks for, in order (backend/photo_checks.yml).
STEP_SLOTS = {"1": ["front", "back", "left", "right", "top", "bottom", "screen_on"], "5": ["package"]}
# Not an image, whatever a file's name says: the backend judges by content.
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def photo(name: str) -> bytes:
    """A real photo (tests/fixtures/photos/, public domain and CC0), as a phone sends it: JPEG."""
    return (PHOTOS / f"{name}.jpg").read_bytes()


def blurred(name: str) -> bytes:
    """The photo out of focus, as the photo checks' calibration blurs it (a Gaussian blur of
    radius 3, tools/photo_calibration.py), made in the backend's virtualenv: the one with Pillow."""
    script = ("import io, sys\nfrom PIL import Image\nfrom tools.photo_calibration import BAD\n"
              "image = BAD['out of focus (radius 3)'][1](Image.open(sys.argv[1]).convert('RGB'))\n"
              "out = io.BytesIO()\nimage.save(out, 'JPEG', quality=92)\nsys.stdout.buffer.write(out.getvalue())\n")
    return subprocess.run([str(BACKEND_VENV / "bin" / "python"), "-c", script, str(PHOTOS / f"{name}.jpg")],
                          cwd=ROOT, check=True, capture_output=True).stdout


def backend_url(messaging) -> str:
    return f"http://{messaging.host}:{messaging.backend_port}"


def tracker_url(messaging, conversation: str) -> str:
    # Not percent-encoded: Rasa 3.6's server (Sanic 21.12) takes the id from the path as written,
    # so "whatsapp:%2B1555..." would be another conversation than "whatsapp:+1555...".
    return f"{messaging.url}/conversations/{conversation}/tracker"


def photos_asked(messaging, conversation: str, order: str, step: str = "1", taken: Iterable[str] = (),
                 minted: Optional[datetime] = None) -> dict:
    """The checklist at `step` for `order`: the `photo_links` slot set in the conversation's
    tracker through Rasa's HTTP API, with links minted at `minted` (now by default)."""
    minted = minted or datetime.now(timezone.utc)
    token = messaging.secrets.orders_api_token
    links = {"order": order, "step": step, "expires": int((minted + LIFETIME).timestamp()), "slots": [
        {"slot": slot, "taken": slot in taken,
         "url": f"{backend_url(messaging)}/orders/{order}/photos/{slot}?"
                + urlencode(link_query(token, order, slot, conversation, now=minted))}
        for slot in STEP_SLOTS[step]]}
    set_slot = requests.post(f"{tracker_url(messaging, conversation)}/events",
                             params={"token": messaging.rasa_api_token}, timeout=60,
                             json=[{"event": "slot", "name": "photo_links", "value": json.dumps(links)}])
    assert set_slot.status_code == 200, set_slot.text
    return links


def expired_an_hour_ago() -> datetime:
    return datetime.now(timezone.utc) - LIFETIME - timedelta(hours=1)


def kept(messaging, order: str) -> List[str]:
    """The slots the order backend holds a photo for, in the checklist's order."""
    listed = requests.get(f"{backend_url(messaging)}/orders/{order}/photos", timeout=10,
                          headers={"Authorization": f"Bearer {messaging.secrets.orders_api_token}"})
    assert listed.status_code == 200, listed.text
    return [photo["slot"] for photo in listed.json()]


def user_messages(messaging, conversation: str) -> List[dict]:
    """The customer's messages in the conversation's tracker, as Rasa received them."""
    tracker = requests.get(tracker_url(messaging, conversation),
                           params={"token": messaging.rasa_api_token}, timeout=30)
    assert tracker.status_code == 200, tracker.text
    return [event for event in tracker.json()["events"] if event["event"] == "user"]


def said(messaging, conversation: str) -> List[str]:
    return [event["text"] for event in user_messages(messaging, conversation)]


def photo_received(check: str, slot: Optional[str] = None) -> str:
    """The message a channel hands Rasa for a photo (the contract's format, written out)."""
    if slot is None:
        return '/photo_received{"photo_check": "%s"}' % check
    return '/photo_received{"photo_slot": "%s", "photo_check": "%s"}' % (slot, check)
