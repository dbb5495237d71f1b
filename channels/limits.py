"""Bounds on what one message and one sender can make the assistant do, on every channel.

A message over `max_message_characters` is answered at once with a request for a shorter one,
before any NLU: reading 100,000 characters took a minute of the server's only event loop, and
every other conversation waited. More than `messages_per_minute` from one sender get a "slow
down" answer. Both answers go out through the message's own channel; the numbers and words
are in channels/limits.yml. Request bodies are bounded before this, by the Rasa server
(SANIC_REQUEST_MAX_SIZE, tools/services.py).

The per-sender counts live in this process: with several Rasa servers, the proxy keeps a
sender on one of them (README, "Scaling out"), so each sender is counted in one place.
"""
import time
from collections import OrderedDict, deque
from functools import lru_cache
from pathlib import Path
from typing import Any, Awaitable, Callable, Deque, Dict, Text

import yaml
from rasa.core.channels.channel import UserMessage

from language.languages import load as load_languages
from translations.catalogs import translate

LIMITS_FILE = Path(__file__).with_name("limits.yml")
WINDOW_S = 60
# Senders remembered at most (the least recently active are forgotten first).
MAX_SENDERS = 100_000


@lru_cache(maxsize=1)
def limits() -> Dict[Text, Any]:
    return yaml.safe_load(LIMITS_FILE.read_text())


class SenderRates:
    """Messages per sender in a sliding window, in bounded memory."""

    def __init__(self, per_window: int, window_s: float = WINDOW_S, clock=time.monotonic):
        self.per_window, self.window_s, self.clock = per_window, window_s, clock
        self._seen: "OrderedDict[Text, Deque[float]]" = OrderedDict()

    def allow(self, sender: Text) -> bool:
        now = self.clock()
        times = self._seen.pop(sender, None) or deque()
        while times and times[0] <= now - self.window_s:
            times.popleft()
        allowed = len(times) < self.per_window
        if allowed:
            times.append(now)
        self._seen[sender] = times
        while len(self._seen) > MAX_SENDERS:
            self._seen.popitem(last=False)
        return allowed


_RATES = SenderRates(limits()["messages_per_minute"])

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


def limited(on_new_message: OnNewMessage, rates: SenderRates = _RATES) -> OnNewMessage:
    """`on_new_message`, behind the bounds: what a channel hands its blueprint."""
    words = limits()

    async def handle(message: UserMessage) -> Any:
        # Refused before NLU reads it: said in the language the channel hints at, if any
        # (translations/catalogs.py; English otherwise).
        hint = (message.metadata or {}).get("language") if isinstance(message.metadata, dict) else None
        language = load_languages().known(hint)
        if len(message.text or "") > words["max_message_characters"]:
            return await message.output_channel.send_text_message(
                message.sender_id, translate(words["too_long"], language).format(**words))
        if not rates.allow(message.sender_id):
            return await message.output_channel.send_text_message(
                message.sender_id, translate(words["slow_down"], language))
        return await on_new_message(message)

    return handle
