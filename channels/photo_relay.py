"""Return photos sent on Telegram, WhatsApp (Twilio) or Messenger, put in the return's photo slots.

The action server sets the conversation's `photo_links` slot while the return checklist asks
for photos (the contract: README, "Return photos"): the order, the step's slots in order, each
with whether it is taken and its signed upload link. A channel that receives a photo hands it
here with the conversation's tracker store; `PhotoRelay.relay` picks the first free slot, PUTs
the photo to its link, and returns the message the channel then hands to Rasa as if the customer
had typed it:

    /photo_received{"photo_slot": "front", "photo_check": "accepted"}

photo_check is "accepted", the backend's refusal reason (blurry, not_an_image ...), "too_large",
"too_many", "link_expired", "unavailable", "not_asked" (no photo asked for: no photo_slot) or
"status" (every photo the step asks for is there: the assistant says so, and what comes next).

A photo is downloaded only once a slot is waiting for it, and never past `photo_max_bytes`
(channels/limits.yml, the backend's own limit). Photos from one conversation go one at a time:
an album arrives as several photos at once, and the tracker's `taken` flags are refreshed only
after Rasa answers each, so the slots this relay has just filled (the backend's `slots_filled`)
are remembered for a while. Nothing of a photo, its link or its file name is logged: the outcome
only.
"""
import asyncio
import json
import logging
import time
import weakref
from collections import OrderedDict
from dataclasses import dataclass
from typing import Awaitable, Callable, FrozenSet, List, Optional, Tuple, Union

import aiohttp
from rasa.core.tracker_store import TrackerStore

from channels.limits import limits

logger = logging.getLogger(__name__)

PHOTO_LINKS_SLOT = "photo_links"
INTENT = "photo_received"
# Bounds on each call to a provider or to the order backend: a photo that can't be had within
# these is "unavailable", and the customer can send it again.
DOWNLOAD_TIMEOUT_S = 30
UPLOAD_TIMEOUT_S = 30
# The slots just filled are remembered as long as a link lives (common/photo_links.py).
REMEMBER_S = 15 * 60
MAX_SENDERS = 10_000

KEPT = 201  # the backend's answer to a photo it kept
ACCEPTED, TOO_LARGE, TOO_MANY, STATUS = "accepted", "too_large", "too_many", "status"
LINK_EXPIRED, UNAVAILABLE, NOT_ASKED = "link_expired", "unavailable", "not_asked"


class PhotoRelayError(Exception):
    """A photo could not be had from its provider (unreachable, refused, timed out). The
    message says what failed and never holds a URL: Telegram's carry the bot's token."""


class TooLarge:
    """What a download gives instead of bytes past `photo_max_bytes`."""


TOO_LARGE_FILE = TooLarge()
Photo = Union[bytes, TooLarge]
# Gets the photo from the provider (raising PhotoRelayError), once a slot waits for it.
Fetch = Callable[[], Awaitable[Photo]]


def max_bytes() -> int:
    return int(limits()["photo_max_bytes"])


def declared_too_large(declared_size: object) -> bool:
    """Whether the size a provider declares for a file is past `photo_max_bytes`."""
    return isinstance(declared_size, int) and declared_size > max_bytes()


async def download(url: str, declared_size: Optional[int] = None,
                   auth: Optional[aiohttp.BasicAuth] = None) -> Photo:
    """The file at `url`, or TOO_LARGE_FILE when the provider declares it (or it turns out)
    larger than `photo_max_bytes`: then nothing more is read."""
    if declared_too_large(declared_size):
        return TOO_LARGE_FILE
    largest = max_bytes()
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=DOWNLOAD_TIMEOUT_S)) as session:
            # aiohttp drops `auth` on a redirect to another host (Twilio's media go to a CDN).
            async with session.get(url, auth=auth) as answer:
                if answer.status != 200:
                    raise PhotoRelayError(f"the provider answered {answer.status}")
                if (answer.content_length or 0) > largest:
                    return TOO_LARGE_FILE
                data = bytearray()
                async for chunk in answer.content.iter_chunked(64 * 1024):
                    data += chunk
                    if len(data) > largest:
                        return TOO_LARGE_FILE
                return bytes(data)
    except (aiohttp.ClientError, asyncio.TimeoutError) as error:
        raise PhotoRelayError(f"download failed: {type(error).__name__}") from None


@dataclass(frozen=True)
class Slot:
    slot: str
    taken: bool
    url: str


@dataclass(frozen=True)
class PhotoLinks:
    """The `photo_links` slot's value."""

    order: str
    expires: int
    slots: Tuple[Slot, ...]

    @classmethod
    def parsed(cls, value: object) -> Optional["PhotoLinks"]:
        """None for no value; None, logged, for one that isn't as the contract says."""
        if value in (None, ""):
            return None
        try:
            links = json.loads(value) if isinstance(value, str) else value
            return cls(str(links["order"]), int(links["expires"]),
                       tuple(Slot(str(s["slot"]), s["taken"] is True, str(s["url"])) for s in links["slots"]))
        except (ValueError, TypeError, KeyError):
            logger.warning("The %s slot holds no readable links: no photo slot filled", PHOTO_LINKS_SLOT)
            return None


def message(check: str, slot: Optional[str] = None) -> str:
    """The user message for Rasa: /photo_received{"photo_slot": ..., "photo_check": ...}."""
    entities = {"photo_slot": slot, "photo_check": check} if slot else {"photo_check": check}
    return f"/{INTENT}{json.dumps(entities)}"


class _Filled:
    """The slots the backend said were filled after this relay's last upload, by conversation:
    (order, slots, when), in bounded memory."""

    def __init__(self) -> None:
        self._by_sender: "OrderedDict[str, Tuple[str, FrozenSet[str], float]]" = OrderedDict()

    def of(self, sender_id: str, order: str) -> FrozenSet[str]:
        remembered = self._by_sender.get(sender_id)
        if remembered is None or remembered[0] != order or time.monotonic() - remembered[2] > REMEMBER_S:
            return frozenset()
        return remembered[1]

    def remember(self, sender_id: str, order: str, slots: List[str]) -> None:
        self._by_sender.pop(sender_id, None)
        self._by_sender[sender_id] = (order, frozenset(slots), time.monotonic())
        while len(self._by_sender) > MAX_SENDERS:
            self._by_sender.popitem(last=False)


class PhotoRelay:
    """One per Rasa server process, shared by the channels (a conversation is one sender id)."""

    def __init__(self) -> None:
        self._locks: "weakref.WeakValueDictionary[str, asyncio.Lock]" = weakref.WeakValueDictionary()
        self._filled = _Filled()

    async def relay(self, tracker_store: TrackerStore, sender_id: str, fetch: Fetch) -> str:
        """The message to hand to Rasa for this photo, once it is put in its slot (or not)."""
        lock = self._locks.setdefault(sender_id, asyncio.Lock())
        async with lock:
            slot, check = await self._relay(tracker_store, sender_id, fetch)
        logger.info("Return photo from a chat: %s%s", check, f" ({slot})" if slot else "")
        return message(check, slot)

    async def _relay(self, tracker_store: TrackerStore, sender_id: str, fetch: Fetch) -> Tuple[Optional[str], str]:
        # Read as Rasa's GET /conversations/<id>/tracker reads it: `retrieve` would take the kept
        # tracker (stores/tracker_store.py) away from the turn that may be holding it.
        tracker = await tracker_store.retrieve_full_tracker(sender_id)
        links = PhotoLinks.parsed(tracker.get_slot(PHOTO_LINKS_SLOT)) if tracker else None
        if links is None:
            return None, NOT_ASKED
        filled = self._filled.of(sender_id, links.order)
        free = [s for s in links.slots if not s.taken and s.slot not in filled]
        if not free:
            return None, STATUS  # every photo this step asks for is there
        slot = free[0]
        if links.expires <= time.time():
            return slot.slot, LINK_EXPIRED
        try:
            photo = await fetch()
        except PhotoRelayError as error:
            logger.warning("Return photo not downloaded: %s", error)
            return slot.slot, UNAVAILABLE
        if isinstance(photo, TooLarge):
            return slot.slot, TOO_LARGE
        check, slots_filled = await self._upload(slot.url, photo)
        if slots_filled is not None:
            self._filled.remember(sender_id, links.order, slots_filled)
        return slot.slot, check

    @staticmethod
    async def _upload(url: str, photo: bytes) -> Tuple[str, Optional[List[str]]]:
        """PUT to the signed link: the photo_check, and once kept the order's filled slots."""
        try:
            async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=UPLOAD_TIMEOUT_S)) as session:
                async with session.put(url, data=photo, headers={"Content-Type": "application/octet-stream"}) as answer:
                    body = await answer.json(content_type=None) if answer.status in (KEPT, 422) else {}
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
            logger.warning("Return photo not uploaded: %s", type(error).__name__)
            return UNAVAILABLE, None
        if answer.status == KEPT and isinstance(body, dict) and isinstance(body.get("slots_filled"), list):
            return ACCEPTED, [str(slot) for slot in body["slots_filled"]]
        if answer.status == 422 and isinstance(body, dict) and isinstance(body.get("reason"), str):
            return body["reason"], None
        check = {413: TOO_LARGE, 429: TOO_MANY, 403: LINK_EXPIRED}.get(answer.status, UNAVAILABLE)
        if check == UNAVAILABLE:
            logger.warning("Return photo not uploaded: the order backend answered %s", answer.status)
        return check, None


# The Rasa server's one relay: channels/telegram.py, twilio.py and facebook.py share it.
RELAY = PhotoRelay()
