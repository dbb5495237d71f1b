"""The tracker store keeps the trackers it saved (stores/tracker_store.py) instead of
rebuilding each conversation from the database on every message, and never hands out one
that differs from what the database holds (tests/kept_trackers_scenario.py)."""
import json
import subprocess
import time

import jwt
import pytest

from tools.services import RASA_VENV, ROOT


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    token = jwt.encode({"sub": "cus_ana", "aud": "refurb-support-assistant", "exp": int(time.time()) + 600},
                       "a-secret-for-this-test-only-0123456789", algorithm="HS256")
    done = subprocess.run(
        [str(RASA_VENV / "bin" / "python"), "tests/kept_trackers_scenario.py",
         str(tmp_path_factory.mktemp("kept") / "tracker.db"), token],
        cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_next_message_gets_the_saved_tracker_without_rebuilding_it(results):
    assert results["turn_after_session_start_loads"] == ["ana"]
    assert results["second_turn_same_tracker"]
    assert results["second_turn_loads"] == []


def test_a_kept_tracker_is_what_the_database_holds_without_the_customers_token(results):
    assert results["kept_equals_database"]
    assert results["kept_holds_no_token"]


def test_a_turn_answered_by_another_replica_is_read_from_the_database(results):
    assert results["after_other_replica_loads"] == ["ana"]
    assert results["after_other_replica_equals_database"]


def test_a_turn_that_failed_before_saving_leaves_nothing_behind(results):
    assert results["after_failed_turn_loads"] == ["ana"]
    assert results["after_failed_turn_equals_database"]
    assert results["failed_message_absent"]


def test_two_callers_never_share_a_tracker(results):
    assert results["second_caller_gets_own_copy"]


def test_an_erased_conversation_is_gone_at_once(results):
    assert results["after_erasure"] is None


def test_every_event_is_written_once_in_order(results):
    assert results["ben_texts"] == ["where is my order?", "one", "two", "three"]
    # The session's tracker, and before it what opened the conversation (action_listen, the
    # session's metadata, action_session_start), stored once.
    assert results["ben_tracker_events"] == 5 + 3 * 4
    assert results["ben_rows"] == 3 + results["ben_tracker_events"]
