"""HMAC signatures, made and checked one way in every service: the messaging channels' webhooks
(channels/: Facebook's X-Hub-Signature-256, Telegram's secret token) and the agents' tools'
callbacks to the handoff service (handoff/tools/: Chatwoot, Zendesk, the generic webhook).

Each provider says what it signs and how it writes the signature (hex, base64, a "sha256="
prefix, which timestamp header); the pieces are the same:

    expected = "sha256=" + hex_digest(secret, timestamp.encode() + b"." + body)
    same(expected, given_signature) and fresh(unix_time(timestamp))
"""
import hashlib
import hmac
from datetime import datetime, timedelta, timezone
from typing import Callable, Optional

# How old (or how far ahead) a signed timestamp may be: a captured request cannot be replayed
# later, and clocks a little apart still agree.
WINDOW = timedelta(minutes=5)


def digest(secret: str, message: bytes, algorithm: Callable = hashlib.sha256) -> bytes:
    """The HMAC of the message, keyed with the secret (UTF-8): SHA-256 unless told otherwise."""
    return hmac.new(secret.encode("utf-8"), message, algorithm).digest()


def hex_digest(secret: str, message: bytes, algorithm: Callable = hashlib.sha256) -> str:
    return digest(secret, message, algorithm).hex()


def same(expected: str, given: Optional[str]) -> bool:
    """Whether the given signature (or secret token) is the expected one, compared in constant
    time so that a forger cannot learn it byte by byte; a missing or empty one never matches."""
    return bool(given) and hmac.compare_digest(expected.encode("utf-8"), given.encode("utf-8"))


def fresh(sent_at: datetime, now: Optional[datetime] = None, window: timedelta = WINDOW) -> bool:
    """Whether a signed timestamp is within the window of now (aware datetimes)."""
    now = now or datetime.now(timezone.utc)
    return abs(now - sent_at) <= window


def unix_time(stamp: str) -> Optional[datetime]:
    """A timestamp header in Unix seconds ("1718000000"), as a time; None for anything else
    (not ASCII digits, or a number no calendar holds)."""
    try:
        if stamp.isascii() and stamp.isdigit():
            return datetime.fromtimestamp(int(stamp), timezone.utc)
    except (OverflowError, OSError, ValueError):
        pass
    return None
