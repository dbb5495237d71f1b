"""Which of a customer's orders they mean when they name what they bought: "my iPhone 13",
"the watch", "the macbook", or "the 12" when asked to pick between two iPhones.

Plain Python: the customer's words (and the device entities NLU found in them) and their
orders as the backend lists them in; the orders that fit out. Kinds of device ("phone",
"watch") are data in actions/device_kinds.yml.
"""
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Optional, Sequence

import yaml

from actions.orders_client import Order, OrderSummary
from actions.replies import words

KINDS_FILE = Path(__file__).with_name("device_kinds.yml")
# Shorter words would match too much as the start of a product name ("ip", "mac").
_SHORTEST_PREFIX = 4


@lru_cache(maxsize=1)
def _kinds() -> Dict[str, str]:
    """Each word for a kind of device -> the backend's device_kind."""
    return {word: kind for kind, said in yaml.safe_load(KINDS_FILE.read_text()).items() for word in said}


def _kind(phrase: str) -> Optional[str]:
    kinds = _kinds()
    return kinds.get(phrase) or kinds.get(phrase[:-1] if phrase.endswith("s") else phrase)


def _same_word(said: str, item: str) -> bool:
    """"watch" fits "watch4", "iphones" fits "iphone"; "13" fits only "13"."""
    if said == item or (said.endswith("s") and said[:-1] == item):
        return True
    return said.isalpha() and len(said) >= _SHORTEST_PREFIX and item.startswith(said)


def fits(phrase: str, order: OrderSummary) -> bool:
    """Whether something the customer named ("iPhone 13", "watch", "macbook air") is in the order."""
    said = words(phrase)
    if not said:
        return False
    if _kind(said) in order.item_kinds:
        return True
    return any(all(any(_same_word(w, i) for i in words(name).split()) for w in said.split())
               for name in order.item_names)


def _product_words(text: str, orders: Sequence[OrderSummary]) -> List[str]:
    """Product lines named in the text without NLU's help: an item name's first word ("samsung")."""
    said = set(words(text).split())
    firsts = {words(name).split()[0] for order in orders for name in order.item_names if words(name)}
    return sorted(firsts & said)


def orders_named(text: str, devices: Sequence[str], orders: Sequence[OrderSummary]) -> Optional[List[OrderSummary]]:
    """The orders the message names, in the given order; None when it names no device at all
    (an empty list: it names one that is in none of these orders)."""
    named = list(devices) or _product_words(text, orders)
    if not named:
        return None
    return [order for order in orders if any(fits(phrase, order) for phrase in named)]


def order_picked(text: str, devices: Sequence[str], offered: Sequence[OrderSummary]) -> Optional[OrderSummary]:
    """The one offered order a reply picks out: by what it is, or by a word only its items have."""
    named = orders_named(text, devices, offered)
    if named is not None and len(named) == 1:
        return named[0]
    said = set(words(text).split())
    own = {order.number: {w for name in order.item_names for w in words(name).split()} for order in offered}
    picked = [order for order in offered
              if said & own[order.number] - set().union(*(own[n] for n in own if n != order.number))]
    return picked[0] if len(picked) == 1 else None


def things_of(order: Order) -> List[str]:
    """What an order holds, remembered so that naming another product switches orders."""
    return [item.name for item in order.items] + [item.device_kind for item in order.items]
