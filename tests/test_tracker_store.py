"""The tracker store keeps no customer tokens (stores/tracker_store.py): they are a credential
to sign in as the customer, and Rasa's own SQL store keeps every message's."""
import json
import sqlite3
import subprocess
import time

import jwt
import pytest

from tools.services import RASA_VENV, ROOT

OURS = "stores.tracker_store.SQLTrackerStoreWithoutTokens"


def token(customer: str) -> str:
    claims = {"sub": customer, "aud": "refurb-support-assistant", "exp": int(time.time()) + 600}
    return jwt.encode(claims, "a-secret-for-this-test-only-0123456789", algorithm="HS256")


def saved_by(store_type: str, tmp_path) -> dict:
    """Two turns of a logged-in conversation saved by that tracker store, in Rasa's virtualenv."""
    done = subprocess.run(
        [str(RASA_VENV / "bin" / "python"), "tests/tracker_store_scenario.py", store_type,
         str(tmp_path / f"{store_type}.db"), token("cus_ana"), token("cus_ana")],
        cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def rasas_own(tmp_path_factory):
    return saved_by("SQL", tmp_path_factory.mktemp("rasa"))


@pytest.fixture(scope="module")
def ours(tmp_path_factory):
    return saved_by(OURS, tmp_path_factory.mktemp("ours"))


def tokens_in(rows) -> int:
    return json.dumps(rows).count("customer_token")


def test_rasas_own_store_keeps_every_token(rasas_own):
    # each message's metadata and its copy in the parse data, and the session_started_metadata slot
    assert rasas_own["store"] == "SQLTrackerStore" and tokens_in(rasas_own["rows"]) == 5


def test_ours_keeps_none_and_the_customer_id_they_claim(ours):
    assert ours["store"] == "SQLTrackerStoreWithoutTokens"
    assert tokens_in(ours["rows"]) == 0 and "eyJ" not in json.dumps(ours["rows"])
    user_messages = [row for row in ours["rows"] if row["event"] == "user"]
    claimed = {"claimed_customer_id": "cus_ana", "page": "/orders"}
    assert [(m["metadata"], m["parse_data"]["metadata"]) for m in user_messages] == [(claimed, claimed)] * 2
    session_slot = next(row for row in ours["rows"] if row.get("name") == "session_started_metadata")
    assert session_slot["value"] == {"claimed_customer_id": "cus_ana"}


def test_ours_stores_everything_else_as_rasa_does(rasas_own, ours):
    def without_metadata(rows):
        rows = json.loads(json.dumps(rows))
        for row in rows:
            row.pop("timestamp")
            for holder in (row, row.get("parse_data") or {}):
                holder.pop("metadata", None)
            if row.get("name") == "session_started_metadata":
                row.pop("value")
        return rows

    assert len(ours["rows"]) == len(rasas_own["rows"]) == 9
    assert without_metadata(ours["rows"]) == without_metadata(rasas_own["rows"])


def test_the_turn_being_answered_still_has_the_token_for_the_actions(ours):
    assert ours["turn_metadata"]["customer_token"].startswith("eyJ")  # saved, not changed in place


def test_a_later_turn_reads_the_conversation_back_without_tokens(ours):
    assert [e["event"] for e in ours["read_back"]] == [e["event"] for e in ours["rows"]]
    assert tokens_in(ours["read_back"]) == 0


@pytest.mark.e2e
def test_a_logged_in_conversation_leaves_no_token_in_the_database(assistant, chat):
    chat.log_in_as("cus_ana")
    # each answer needs that turn's token: personal, and about the order the customer names
    assert "MacBook Air 13 (2020) (order 40512348)" in chat.text("when will my macbook ship?")
    assert "Pixel 7 128GB (order 40512351)" in chat.text("and the pixel?")
    assert "Galaxy Watch4 (order 40512364)" in chat.text("the watch")
    sent = chat.metadata["customer_token"]
    with sqlite3.connect(assistant.tracker_db) as db:
        stored = [row[0] for row in db.execute("select data from events where sender_id = ?", (chat.sender,))]
        everything = "".join(row[0] for row in db.execute("select data from events"))
    assert len(stored) > 10 and any("claimed_customer_id" in data and "cus_ana" in data for data in stored)
    assert "customer_token" not in everything and sent not in everything
    assert sent.encode() not in assistant.tracker_db.read_bytes()
