"""A customer's conversation over the REST channel, and the seeded customers' tokens: shared
by the conversation tests (a module of its own, since pytest's conftest modules can't be
imported by name once a subfolder has its own conftest)."""
import time
import uuid
from typing import List

import jwt
import requests
import yaml

from actions.settings import DEVELOPMENT_CUSTOMER_TOKEN_SECRET
from tools.services import ROOT

# Who owns each seeded order (backend/seed.yml), for conversations as that customer.
_SEED = yaml.safe_load((ROOT / "backend" / "seed.yml").read_text())
OWNER = {order["number"]: order["customer"] for order in _SEED["orders"]}
EMAIL = {customer["id"]: customer["email"] for customer in _SEED["customers"]}


def customer_token(customer: str, **claims) -> dict:
    """Message metadata as the website sends it for a logged-in customer."""
    body = {"sub": customer, "aud": "refurb-support-assistant", "exp": int(time.time()) + 600, **claims}
    return {"customer_token": jwt.encode(body, DEVELOPMENT_CUSTOMER_TOKEN_SECRET, algorithm="HS256")}


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
