import os
import tempfile
from pathlib import Path

import pytest

from customer_chat import Chat
from tools.services import Secrets, scratch_assistant, scratch_backend

# The action modules read their settings when imported (actions/settings.py), as the action
# server does, and refuse to load without secrets: the unit tests that import them get random
# ones. Servers started by the fixtures below get their own.
for _name, _value in Secrets.random().environment().items():
    os.environ.setdefault(_name, _value)


# The insights' reader reads the feed often and compares it with the tracker store every 2 s,
# leaving the broker 5 s (in production: every second, every minute and 30 s), so that the tests
# of the insights (tests/test_insights_conversations.py, tests/test_forget.py) wait seconds.
FAST_INSIGHTS = {"INSIGHTS_POLL_S": "0.2", "INSIGHTS_RECONCILE_S": "2", "INSIGHTS_GRACE_S": "5"}


@pytest.fixture(scope="session")
def assistant():
    """The real Rasa server, action server and order backend on free local ports."""
    with scratch_assistant(FAST_INSIGHTS) as running:
        yield running


@pytest.fixture(scope="session")
def backend():
    """The real order backend alone, seeded, on a free local port: (url, token)."""
    with tempfile.TemporaryDirectory() as tmp, scratch_backend(Path(tmp)) as running:
        yield running


@pytest.fixture
def chat(assistant) -> Chat:
    return Chat(assistant.rest_webhook, assistant.secrets.customer_token_secret)
