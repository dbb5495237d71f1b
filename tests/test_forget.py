"""Erasure and retention of conversations in the real tracker store (`make forget`)."""
import os
import sqlite3
import subprocess

import pytest

from customer_chat import Chat, customer_token
from tools.services import RASA_VENV, ROOT

pytestmark = pytest.mark.e2e


def forget(assistant, *args):
    env = {**os.environ, "TRACKER_DB": str(assistant.tracker_db)}
    done = subprocess.run([str(RASA_VENV / "bin" / "python"), "-m", "tools.forget", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def stored(assistant, sender):
    with sqlite3.connect(assistant.tracker_db) as db:
        return db.execute("select count(*) from events where sender_id = ?", (sender,)).fetchone()[0]


def test_erasure_by_email_order_number_or_customer_id_and_retention(assistant, chat):
    anonymous, logged_in, other = chat, Chat(assistant.rest_webhook), Chat(assistant.rest_webhook)
    anonymous.say("where is order 40512351")
    anonymous.say("ana.martin@example.com")
    logged_in.metadata = customer_token("cus_ben")
    logged_in.say("where is my order?")
    other.say("hello")
    assert all(stored(assistant, c.sender) for c in (anonymous, logged_in, other))

    assert "Deleted 1 conversation" in forget(assistant, "Ana.Martin@example.com")
    assert stored(assistant, anonymous.sender) == 0 and stored(assistant, logged_in.sender) > 0
    # a logged-in customer is found by the customer id in the tokens their messages carried
    forget(assistant, "cus_ben")
    assert stored(assistant, logged_in.sender) == 0 and stored(assistant, other.sender) > 0

    forget(assistant, "--older-than-days", "1")
    assert stored(assistant, other.sender) > 0  # recent: kept
    forget(assistant, "--older-than-days", "0")
    assert stored(assistant, other.sender) == 0
