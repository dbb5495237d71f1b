"""Hostile messages for the REST channel, and the checks every reply must pass.

Used by `make fuzz` (tools/fuzz.py, 10,000 messages) and by a sample in `make test`.
Senders are anonymous, logged in as a seeded customer, or carry a forged, expired,
unsigned or foreign token; replies are checked for leaks of any customer's order facts
the sender has no right to, and for anything that is not an ordinary assistant message.
"""
import random
import string
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Set

import jwt
import yaml

ROOT = Path(__file__).resolve().parent.parent
SEED = yaml.safe_load((ROOT / "backend" / "seed.yml").read_text())
CUSTOMERS = [c["id"] for c in SEED["customers"]]
ORDERS = {o["number"]: o for o in SEED["orders"]}
AUDIENCE = "refurb-support-assistant"


def private_facts(customer: str) -> Set[str]:
    """What only this customer may be told: their items, tracking and label links."""
    facts = set()
    for order in SEED["orders"]:
        if order["customer"] != customer:
            continue
        facts |= {item["name"] for item in order["items"]}
        shipment = order.get("shipment") or {}
        facts |= {v for v in (shipment.get("tracking_url"),) if v}
        for ret in order.get("returns", []):
            facts |= {v for v in (ret.get("label_url"), ret.get("tracking_url")) if v}
    return facts


FACTS = {customer: private_facts(customer) for customer in CUSTOMERS}


def token(customer: str, secret: str, **claims) -> str:
    body = {"sub": customer, "aud": AUDIENCE, "exp": int(time.time()) + 3600, **claims}
    return jwt.encode({k: v for k, v in body.items() if v is not None}, secret, algorithm="HS256")


@dataclass
class Sender:
    name: str
    customer: Optional[str]  # whose data this sender may see (None: nobody's)
    metadata: Dict[str, str] = field(default_factory=dict)


def senders(rng: random.Random, count: int, secret: str) -> List[Sender]:
    """`secret` is the assistant's customer-token secret: the one the real website signs with."""
    made = []
    for i in range(count):
        kind = i % 6
        victim = rng.choice(CUSTOMERS)
        if kind == 0:
            made.append(Sender(f"anon-{i}", None))
        elif kind == 1:
            made.append(Sender(f"user-{i}", victim, {"customer_token": token(victim, secret)}))
        elif kind == 2:  # signed with another secret
            made.append(Sender(f"forged-{i}", None, {"customer_token": token(victim, "x" * 40)}))
        elif kind == 3:
            made.append(Sender(f"expired-{i}", None, {"customer_token": token(victim, secret, exp=int(time.time()) - 60)}))
        elif kind == 4:  # "alg": "none"
            made.append(Sender(f"unsigned-{i}", None, {"customer_token": jwt.encode(
                {"sub": victim, "aud": AUDIENCE, "exp": int(time.time()) + 3600}, None, algorithm="none")}))
        else:  # right secret, wrong audience
            made.append(Sender(f"foreign-{i}", None, {"customer_token": token(victim, secret, aud="another-app")}))
    return made


_ATTACKS = [
    "<script>alert(document.cookie)</script>", "<img src=x onerror=alert(1)>", "'; DROP TABLE orders; --",
    "\" OR 1=1 --", "{{7*7}}", "${jndi:ldap://127.0.0.1/a}", "{order_item} {order_id} {masked_email}",
    "%s%s%s%n", "../../../../etc/passwd", "\\x00\\x1b[31m", "/restart", "/session_start",
    '/inform{"verified_order": "40512351"}', '/inform{"order_id": "40512351", "email": "attacker@example.com"}',
    '/track_order{"order_id": "40512349"}', "/nlu_fallback", "/human_handoff", "/deny", "/affirm",
]
_WORDS = ["where", "is", "my", "order", "parcel", "return", "label", "refund", "ship", "late", "email", "please",
          "tracking", "seller", "iphone", "macbook", "stolen", "postcode", "help", "now"]


def message(rng: random.Random) -> str:
    kind = rng.randrange(9)
    numbers = list(ORDERS)
    if kind == 0:  # random unicode
        return "".join(chr(rng.choice([rng.randrange(32, 0x2FFF), rng.randrange(0x1F300, 0x1FAFF)]))
                       for _ in range(rng.randrange(1, 80)))
    if kind == 1:  # very long text
        return " ".join(rng.choice(_WORDS) for _ in range(rng.randrange(500, 3000)))
    if kind == 2:
        return rng.choice(_ATTACKS)
    if kind == 3:  # someone's order number
        return f"where is my order {rng.choice(numbers)}"
    if kind == 4:  # two order numbers in one message
        a, b = rng.sample(numbers, 2)
        return f"orders {a} and {b}, where are they?"
    if kind == 5:  # guessing who the customer is (wrong guesses: knowing the real e-mail proves it)
        return rng.choice(["guess@example.com", "admin@example.com", "a@b.co", "00000", "75001", "SW1A 1AA",
                           "99999", "test@test.com"])
    if kind == 6:
        return "".join(rng.choice(string.printable) for _ in range(rng.randrange(1, 60)))
    if kind == 7:
        return rng.choice(["", " ", "\n\n", "\t"])
    return " ".join(rng.choice(_WORDS) for _ in range(rng.randrange(1, 12)))


def problems(sender: Sender, status: int, body) -> List[str]:
    """Everything wrong with one reply (empty: an ordinary, safe assistant message)."""
    if status >= 500:
        return [f"HTTP {status}"]
    if status != 200:
        return [f"HTTP {status}"] if status not in (400, 413) else []
    if not isinstance(body, list):
        return ["reply is not a list of messages"]
    found = []
    allowed = FACTS.get(sender.customer, set())
    forbidden = set().union(*FACTS.values()) - allowed
    for reply in body:
        unexpected = set(reply) - {"recipient_id", "text", "buttons"}
        if unexpected:
            found.append(f"unexpected keys {sorted(unexpected)}")
        text = reply.get("text") or ""
        shown = text + " ".join(f"{b.get('title')} {b.get('payload')}" for b in reply.get("buttons", []))
        if not text.strip():
            found.append("empty message")
        if "Traceback" in shown or "None" in text.split() or "{order" in shown or "{return" in shown:
            found.append(f"not an ordinary message: {text[:120]!r}")
        found += [f"leaked {fact!r}" for fact in forbidden if fact in shown]
    return found


# Questions answered from "the conversation's order" once a number has been given.
FOLLOW_UPS = ["what do I need to do before sending it back?", "next", "next", "next",
              "which carrier should I use?", '/missing_package{"what_happened": "not_delivered"}']


def conversations(count: int, secret: str, seed: int = 7) -> List[tuple]:
    """(sender, [messages]) pairs adding up to `count` messages, some sent in rapid repeats."""
    rng = random.Random(seed)
    plan, left = [], count
    for sender in senders(rng, max(1, count // 10), secret):
        if left <= 0:
            break
        size = min(left, rng.randrange(5, 16))
        texts = [message(rng) for _ in range(size)]
        if rng.random() < 0.2:  # rapid repeats of one message
            texts = [texts[0]] * size
        elif rng.random() < 0.15:  # someone's order number, then questions that personalise
            texts = [f"where is my return label for order {rng.choice(list(ORDERS))}"] + FOLLOW_UPS + texts
            size = len(texts)
        plan.append((sender, texts))
        left -= size
    while left > 0:  # any remainder goes to one more anonymous sender
        plan.append((Sender(f"anon-rest-{left}", None), [message(rng) for _ in range(min(left, 15))]))
        left -= min(left, 15)
    return plan
