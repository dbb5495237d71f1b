"""A customer's conversation over the REST channel, and the seeded customers' tokens: shared
by the conversation tests (a module of its own, since pytest's conftest modules can't be
imported by name once a subfolder has its own conftest)."""
import time
import uuid
from typing import List, Optional

import jwt
import requests
import yaml

from tools.services import ROOT

# Who owns each seeded order (backend/seed.yml), for conversations as that customer.
_SEED = yaml.safe_load((ROOT / "backend" / "seed.yml").read_text())
OWNER = {order["number"]: order["customer"] for order in _SEED["orders"]}
EMAIL = {customer["id"]: customer["email"] for customer in _SEED["customers"]}


def customer_token(customer: str, secret: str, **claims) -> dict:
    """Message metadata as the website sends it for a logged-in customer, signed with the
    assistant's secret (`assistant.secrets.customer_token_secret`)."""
    body = {"sub": customer, "aud": "refurb-support-assistant", "exp": int(time.time()) + 600, **claims}
    return {"customer_token": jwt.encode(body, secret, algorithm="HS256")}


class Chat:
    """One customer's conversation over the REST channel; `customer_token_secret` is the
    assistant's, for conversations of logged-in customers."""

    def __init__(self, webhook: str, customer_token_secret: Optional[str] = None):
        self.webhook = webhook
        self.customer_token_secret = customer_token_secret
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

    def log_in_as(self, customer: str, **claims) -> None:
        """Every later message carries this customer's token, as on the website's pages."""
        assert self.customer_token_secret, "Chat(webhook, customer_token_secret) to log in"
        self.metadata = customer_token(customer, self.customer_token_secret, **claims)

    def log_in_as_owner_of(self, number: str) -> None:
        self.log_in_as(OWNER[number])

    def text(self, message: str) -> str:
        """Everything the assistant answers to `message`, as one string."""
        return "\n".join(r.get("text", "") for r in self.say(message))
