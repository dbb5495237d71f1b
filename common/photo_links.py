"""Signed links to upload one return photo: for one order, one slot, one conversation, for a
few minutes. The action server mints them, once it knows the customer owns the order (logged
in, or verified in this conversation); the order backend accepts an upload only through one.

They are keyed with a key derived from the API token the two services already share (an HMAC
of it with this purpose's label), so a link can't be made without the token, the token itself
never travels, and a signature made for anything else never passes for a link.
"""
from datetime import datetime, timedelta, timezone
from typing import Dict, Optional

from common.signing import WINDOW, digest, hex_digest, same, unix_time

LIFETIME = timedelta(minutes=15)
# The photos the return checklist asks for, by step: step 1's seven (each side, and the screen
# on), step 5's sealed package with its return slip showing. In this order everywhere.
STEP_SLOTS = {"1": ("front", "back", "left", "right", "top", "bottom", "screen_on"), "5": ("package",)}
SLOTS = tuple(slot for slots in STEP_SLOTS.values() for slot in slots)
_PURPOSE = b"refurb-support: return photo upload link, v1"


def _key(api_token: str) -> str:
    return digest(api_token, _PURPOSE).hex()


def signature(api_token: str, order: str, slot: str, conversation: str, expires: int) -> str:
    return hex_digest(_key(api_token), f"{order}\n{slot}\n{conversation}\n{expires}".encode("utf-8"))


def link_query(api_token: str, order: str, slot: str, conversation: str,
               now: Optional[datetime] = None) -> Dict[str, str]:
    """The query string of an upload link (PUT /orders/{order}/photos/{slot}?...)."""
    expires = int(((now or datetime.now(timezone.utc)) + LIFETIME).timestamp())
    return {"conversation": conversation, "expires": str(expires),
            "signature": signature(api_token, order, slot, conversation, expires)}


def valid(api_token: str, order: str, slot: str, conversation: str, expires: str, given: Optional[str],
          now: Optional[datetime] = None) -> bool:
    """Whether a link was signed for exactly this order, slot and conversation and is still
    open (not past its expiry, nor further ahead than a link is ever made for)."""
    until = unix_time(expires or "")
    now = now or datetime.now(timezone.utc)
    if until is None or not now <= until <= now + LIFETIME + WINDOW:
        return False
    return same(signature(api_token, order, slot, conversation, int(expires)), given)
