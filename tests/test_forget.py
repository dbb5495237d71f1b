"""Erasure and retention of conversations in the real tracker store (`make forget`)."""
import os
import sqlite3
import subprocess
import time

import pytest

from customer_chat import Chat
from tools.services import RASA_VENV, ROOT

pytestmark = pytest.mark.e2e


def forget(assistant, *args):
    env = {**os.environ, "TRACKER_DB": str(assistant.tracker_db),
           "HANDOFF_DATABASE_URL": f"sqlite:///{assistant.handoff_db}",
           "INSIGHTS_DB_URL": f"sqlite:///{assistant.insights_db}"}
    done = subprocess.run([str(RASA_VENV / "bin" / "python"), "-m", "tools.forget", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def stored(assistant, sender):
    with sqlite3.connect(assistant.tracker_db) as db:
        return db.execute("select count(*) from events where sender_id = ?", (sender,)).fetchone()[0]


def handoffs_of(assistant, sender):
    with sqlite3.connect(assistant.handoff_db) as db:
        return db.execute("select count(*) from handoffs h join messages m on m.handoff_id = h.id "
                          "where h.conversation_id = ?", (sender,)).fetchone()[0] + \
            db.execute("select count(*) from handoffs where conversation_id = ?", (sender,)).fetchone()[0]


def insights_of(assistant, sender):
    """The conversation's events in the insights' feed, and its records."""
    with sqlite3.connect(assistant.insights_db) as db:
        return db.execute("select count(*) from events where sender_id = ?", (sender,)).fetchone()[0] + \
            db.execute("select count(*) from conversation_records r join insights_conversations c "
                       "on r.conversation = c.id where c.sender_id = ?", (sender,)).fetchone()[0]


def test_erasure_by_email_order_number_or_customer_id_and_retention(assistant, chat):
    anonymous, other = chat, Chat(assistant.rest_webhook)
    logged_in = Chat(assistant.rest_webhook, assistant.secrets.customer_token_secret)
    anonymous.say("where is order 40512351")
    anonymous.say("ana.martin@example.com")
    anonymous.say("I'd like to talk to a person")
    anonymous.say("it's about my parcel")  # reaches the agent, stored with the handoff
    time.sleep(2)
    # The handoff, what the assistant told the customer after it (the wait), and their message.
    assert handoffs_of(assistant, anonymous.sender) == 3
    logged_in.log_in_as("cus_ben")
    logged_in.say("where is my order?")
    other.say("hello")
    assert all(stored(assistant, c.sender) for c in (anonymous, logged_in, other))

    assert insights_of(assistant, anonymous.sender) > 1  # its feed, and its record once read
    assert "Deleted 1 conversation(s) mentioning 1 identifier(s), 1 handoff(s) to a person and 1 insights record(s)" \
        in forget(assistant, "Ana.Martin@example.com")
    assert stored(assistant, anonymous.sender) == 0 and stored(assistant, logged_in.sender) > 0
    assert handoffs_of(assistant, anonymous.sender) == 0 and insights_of(assistant, anonymous.sender) == 0
    # a logged-in customer is found by the customer id their tokens claimed, stored in their place
    forget(assistant, "cus_ben")
    assert stored(assistant, logged_in.sender) == 0 and stored(assistant, other.sender) > 0

    forget(assistant, "--older-than-days", "1")
    assert stored(assistant, other.sender) > 0  # recent: kept
    forget(assistant, "--older-than-days", "0")
    assert stored(assistant, other.sender) == 0 and insights_of(assistant, other.sender) == 0
