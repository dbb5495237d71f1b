"""Failed e-mail or postcode checks (POST /verifications): a guessing conversation is stopped
for that order, a stranger can only delay the real customer by a short pause, and the counts
live in the database. On a fresh seeded SQLite database with a clock the tests move."""
from datetime import datetime, timedelta, timezone

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backend.app import create_app
from backend.models import FailedVerification
from backend.settings import Settings, SettingsError, VerificationLimits
from seeded import SEED, seeded_database

TOKEN = "test-token"
START = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)
ORDER = "40512353"  # Cleo's
RIGHT = "cleo.evans@example.co.uk"
LIMITS = VerificationLimits()  # the defaults: 5 per conversation and order, 10 per order, an hour, 5 minutes


class Clock:
    def __init__(self):
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def database(tmp_path):
    return seeded_database(tmp_path, START)


@pytest.fixture
def clock():
    return Clock()


def replica(database, clock, limits=LIMITS) -> TestClient:
    """One backend process on the shared database (a restart or another replica is another one)."""
    url, engine = database
    client = TestClient(create_app(Settings(url, TOKEN, "127.0.0.1", 0, SEED, limits), engine, clock),
                        raise_server_exceptions=False)
    client.headers["Authorization"] = f"Bearer {TOKEN}"
    return client


@pytest.fixture
def backend(database, clock):
    return replica(database, clock)


def check(backend, email, conversation, order=ORDER):
    return backend.post("/verifications", json={"order_number": order, "email": email, "conversation": conversation})


def guess(backend, conversation, times, order=ORDER):
    """Wrong e-mails from one conversation; the last answer."""
    for n in range(times):
        answer = check(backend, f"guess{n}@example.com", conversation, order)
        assert answer.status_code == 200 and answer.json()["verified"] is False
    return answer.json()


def test_five_wrong_emails_stop_that_conversation_for_that_order_for_the_window(backend, clock):
    assert guess(backend, "attacker", 4) == {"verified": False, "retry_after_s": None}  # may try again
    assert guess(backend, "attacker", 1) == {"verified": False, "retry_after_s": 3600}  # that was the last
    refused = check(backend, RIGHT, "attacker")  # not even the right one is checked now
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "3600"
    assert refused.json() == {"error": "too_many_attempts", "retry_after_s": 3600,
                              "message": "too many failed attempts for this order from this conversation"}
    clock.advance(1800)
    assert check(backend, RIGHT, "attacker").headers["Retry-After"] == "1800"
    clock.advance(1800)  # the first failure left the window
    assert check(backend, RIGHT, "attacker").json() == {"verified": True, "retry_after_s": None}


def test_the_stopped_conversation_may_still_check_another_order(backend):
    guess(backend, "attacker", 5)
    assert check(backend, "ana.martin@example.com", "attacker", order="40512351").json()["verified"] is True


def test_the_right_email_in_another_conversation_gets_in_at_once(backend):
    guess(backend, "attacker", 5)
    assert check(backend, RIGHT, "the owner").json() == {"verified": True, "retry_after_s": None}


def test_many_conversations_guessing_pause_the_order_for_minutes_never_an_hour(backend, clock):
    guess(backend, "attacker 1", 5)
    assert guess(backend, "attacker 2", 4) == {"verified": False, "retry_after_s": None}
    assert guess(backend, "attacker 2", 1) == {"verified": False, "retry_after_s": 3600}  # its own 5th
    paused = check(backend, RIGHT, "the owner")  # the order's 11th check
    assert paused.status_code == 429 and paused.headers["Retry-After"] == "300"
    assert paused.json()["error"] == "verifications_paused"
    clock.advance(299)
    assert check(backend, RIGHT, "the owner").headers["Retry-After"] == "1"
    clock.advance(1)
    assert check(backend, RIGHT, "the owner").json()["verified"] is True


def test_an_order_under_attack_gets_one_guess_per_pause(backend, clock):
    guess(backend, "attacker 1", 5)
    guess(backend, "attacker 2", 5)
    clock.advance(300)
    # the pause is over: one more guess is checked, and starts the next pause
    assert guess(backend, "attacker 3", 1) == {"verified": False, "retry_after_s": 300}
    assert check(backend, "guess@example.com", "attacker 4").json()["error"] == "verifications_paused"
    clock.advance(3600)  # the window forgets them all
    assert guess(backend, "attacker 5", 1)["retry_after_s"] is None


def test_paused_checks_are_not_counted(backend, clock):
    guess(backend, "attacker 1", 5)
    guess(backend, "attacker 2", 5)
    for _ in range(20):
        assert check(backend, "guess@example.com", "attacker 3").status_code == 429
    clock.advance(300)
    assert check(backend, RIGHT, "the owner").json()["verified"] is True


def test_an_unknown_order_number_is_limited_like_a_real_one(backend):
    # the limits never tell whether an order exists
    for order in (ORDER, "99999997"):
        assert guess(backend, "attacker", 5, order) == {"verified": False, "retry_after_s": 3600}
        assert check(backend, RIGHT, "attacker", order).json()["error"] == "too_many_attempts"


def test_callers_without_a_conversation_share_one_limit(backend):
    for n in range(5):
        backend.post("/verifications", json={"order_number": ORDER, "email": f"guess{n}@example.com"})
    assert backend.post("/verifications", json={"order_number": ORDER, "email": RIGHT}).status_code == 429
    assert check(backend, RIGHT, "a conversation").json()["verified"] is True


def test_the_counts_survive_a_restart_and_are_shared_by_replicas(database, clock):
    guess(replica(database, clock), "attacker", 5)
    another = replica(database, clock)  # a restarted process, or a second replica: nothing in memory
    assert check(another, RIGHT, "attacker").status_code == 429
    assert check(another, RIGHT, "the owner").json()["verified"] is True


def test_failures_are_kept_for_the_window_only_and_conversation_ids_never(backend, database, clock):
    guess(backend, "telegram:123456789", 3)
    clock.advance(3600)
    guess(backend, "telegram:123456789", 1)  # recording a failure deletes those out of the window
    with Session(database[1]) as db:
        sources = db.scalars(select(FailedVerification.source)).all()
        assert len(sources) == 1 and "123456789" not in sources[0]
        assert db.scalar(select(func.count()).select_from(FailedVerification)) == 1


def test_the_limits_are_settings(database, clock, monkeypatch):
    short = replica(database, clock, VerificationLimits(window_s=60, per_conversation=2, per_order=3, pause_s=5))
    assert guess(short, "attacker", 2)["retry_after_s"] == 60
    assert guess(short, "attacker 2", 1)["retry_after_s"] == 5
    monkeypatch.setenv("BACKEND_API_TOKEN", TOKEN)
    monkeypatch.setenv("BACKEND_VERIFICATION_PAUSE_S", "2")
    monkeypatch.setenv("BACKEND_VERIFICATION_ORDER_LIMIT", "6")
    assert Settings.from_environment().verification == VerificationLimits(3600, 5, 6, 2)
    monkeypatch.setenv("BACKEND_VERIFICATION_PAUSE_S", "0")
    with pytest.raises(SettingsError, match="BACKEND_VERIFICATION_PAUSE_S"):
        Settings.from_environment()
