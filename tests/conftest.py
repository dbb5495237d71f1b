import tempfile
from pathlib import Path

import pytest

from customer_chat import Chat
from tools.services import DEVELOPMENT_TOKEN, backend_service, free_port, scratch_assistant


@pytest.fixture(scope="session")
def assistant():
    """The real Rasa server, action server and order backend on free local ports."""
    with scratch_assistant() as running:
        yield running


@pytest.fixture(scope="session")
def backend():
    """The real order backend alone, seeded, on a free local port: (url, token)."""
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        service = backend_service(port, Path(tmp) / "backend.db", Path(tmp) / "log")
        service.start()
        try:
            service.wait_ready(60)
            yield f"http://127.0.0.1:{port}", DEVELOPMENT_TOKEN
        finally:
            service.stop()


@pytest.fixture
def chat(assistant) -> Chat:
    return Chat(assistant.rest_webhook)
