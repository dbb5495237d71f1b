"""common/signing.py: HMAC signatures as the messaging channels and the agents' tools check them."""
import hashlib
import hmac
from datetime import datetime, timedelta, timezone

import pytest

from common.signing import WINDOW, digest, fresh, hex_digest, same, unix_time

SECRET = "webhook-secret-0123456789"
BODY = b'{"event": "resolved"}'


def test_the_digest_is_the_hmac_of_the_message_keyed_with_the_secret():
    expected = hmac.new(SECRET.encode(), BODY, hashlib.sha256)
    assert digest(SECRET, BODY) == expected.digest() and hex_digest(SECRET, BODY) == expected.hexdigest()
    # Another hash when a provider wants one (Twilio's SHA-1).
    assert hex_digest(SECRET, BODY, hashlib.sha1) == hmac.new(SECRET.encode(), BODY, hashlib.sha1).hexdigest()
    assert digest("sécret", BODY) == hmac.new("sécret".encode("utf-8"), BODY, hashlib.sha256).digest()


@pytest.mark.parametrize("given, matches", [
    ("sha256=abc123", True), ("sha256=abc124", False), ("sha256=abc12", False), ("", False), (None, False),
    ("sha256=abc123é", False),
])
def test_signatures_are_compared_whole_and_a_missing_one_never_matches(given, matches):
    assert same("sha256=abc123", given) is matches


def test_a_signed_timestamp_is_fresh_within_five_minutes_either_way():
    now = datetime(2024, 6, 1, 10, 0, tzinfo=timezone.utc)
    assert WINDOW == timedelta(minutes=5)
    assert fresh(now - WINDOW, now) and fresh(now + WINDOW, now)
    assert not fresh(now - WINDOW - timedelta(seconds=1), now) and not fresh(now + timedelta(minutes=6), now)
    assert fresh(datetime.now(timezone.utc))


@pytest.mark.parametrize("stamp, when", [
    ("1717236000", datetime(2024, 6, 1, 10, 0, tzinfo=timezone.utc)),
    ("", None), ("17172360.5", None), ("-1717236000", None), ("１７１７２３６０００", None),
    ("9" * 30, None),
])
def test_a_unix_timestamp_header_is_read_or_refused(stamp, when):
    assert unix_time(stamp) == when
