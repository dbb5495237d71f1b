import os
import tempfile
from pathlib import Path

import pytest

from customer_chat import Chat
from tools.services import Secrets, backend_service, free_port, new_secret, scratch_assistant

# The action modules read their settings when imported (actions/settings.py), as the action
# server does, and refuse to load without secrets: the unit tests that import them get random
# ones. Servers started by the fixtures below get their own.
for _name, _value in Secrets.random().environment().items():
    os.environ.setdefault(_name, _value)


@pytest.fixture(scope="session")
def assistant():
    """The real Rasa server, action server and order backend on free local ports."""
    with scratch_assistant() as running:
        yield running


@pytest.fixture(scope="session")
def backend():
    """The real order backend alone, seeded, on a free local port: (url, token)."""
    with tempfile.TemporaryDirectory() as tmp:
        port, token = free_port(), new_secret()
        service = backend_service(port, Path(tmp) / "backend.db", Path(tmp) / "log", token=token,
                                  photo_dir=Path(tmp) / "photos")
        service.start()
        try:
            service.wait_ready(60)
            yield f"http://127.0.0.1:{port}", token
        finally:
            service.stop()


@pytest.fixture
def chat(assistant) -> Chat:
    return Chat(assistant.rest_webhook, assistant.secrets.customer_token_secret)
