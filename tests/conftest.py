import tempfile
import uuid
from pathlib import Path
from typing import List

import pytest
import requests
import yaml

from tools.services import DEVELOPMENT_TOKEN, ROOT, backend_service, free_port, scratch_assistant

# Who owns each seeded order (backend/seed.yml), for conversations as that customer.
_SEED = yaml.safe_load((ROOT / "backend" / "seed.yml").read_text())
OWNER = {order["number"]: order["customer"] for order in _SEED["orders"]}
EMAIL = {customer["id"]: customer["email"] for customer in _SEED["customers"]}


def customer_token(customer: str, **claims) -> dict:
    """Message metadata as the website sends it for a logged-in customer."""
    import time

    import jwt

    from actions.settings import DEVELOPMENT_CUSTOMER_TOKEN_SECRET
    body = {"sub": customer, "aud": "refurb-support-assistant", "exp": int(time.time()) + 600, **claims}
    return {"customer_token": jwt.encode(body, DEVELOPMENT_CUSTOMER_TOKEN_SECRET, algorithm="HS256")}


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


class Chat:
    """One customer's conversation over the REST channel."""

    def __init__(self, webhook: str):
        self.webhook = webhook
        self.sender = f"test-{uuid.uuid4().hex[:12]}"
        self.session = requests.Session()
        self.metadata: dict = {}  # sent with every message, as the website widget does

    def say(self, message: str) -> List[dict]:
        body = {"sender": self.sender, "message": message}
        if self.metadata:
            body["metadata"] = self.metadata
        reply = self.session.post(self.webhook, json=body, timeout=30)
        reply.raise_for_status()
        return reply.json()

    def log_in_as_owner_of(self, number: str) -> None:
        self.metadata = customer_token(OWNER[number])

    def text(self, message: str) -> str:
        """Everything the assistant answers to `message`, as one string."""
        return "\n".join(r.get("text", "") for r in self.say(message))


@pytest.fixture
def chat(assistant) -> Chat:
    return Chat(assistant.rest_webhook)
