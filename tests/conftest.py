import tempfile
import uuid
from pathlib import Path
from typing import List

import pytest
import requests

from tools.services import Assistant, free_port


@pytest.fixture(scope="session")
def assistant():
    """The real Rasa server and action server on free local ports, with a scratch tracker store."""
    with tempfile.TemporaryDirectory() as tmp:
        running = Assistant(rasa_port=free_port(), action_port=free_port(),
                            tracker_db=Path(tmp) / "tracker.db", log_dir=Path(tmp) / "log")
        running.start()
        try:
            yield running
        finally:
            running.stop()


class Chat:
    """One customer's conversation over the REST channel."""

    def __init__(self, webhook: str):
        self.webhook = webhook
        self.sender = f"test-{uuid.uuid4().hex[:12]}"
        self.session = requests.Session()

    def say(self, message: str) -> List[dict]:
        reply = self.session.post(self.webhook, json={"sender": self.sender, "message": message}, timeout=30)
        reply.raise_for_status()
        return reply.json()

    def text(self, message: str) -> str:
        """Everything the assistant answers to `message`, as one string."""
        return "\n".join(r.get("text", "") for r in self.say(message))


@pytest.fixture
def chat(assistant) -> Chat:
    return Chat(assistant.rest_webhook)
