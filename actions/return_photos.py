"""The return checklist's photos: which the step asks for, which are taken, which comes next,
and the signed links the customer's widget or messaging channel sends each one through.

Step 1 asks for seven (each side and the screen on), step 5 for the sealed package. The order
backend holds what is taken, so the progress belongs to the order: it resumes in another
conversation, channel or day. The links, one per slot, are kept in the `photo_links` slot as
JSON (the widget's photo card reads it, a messaging channel relays a photo through it;
channels/photo_relay.py) and minted afresh whenever the assistant speaks of the photos.
"""
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Collection, Optional, Tuple
from urllib.parse import urlencode

from common import photo_links

# photo_next once every photo of the step is taken (domain.yml's words differ).
DONE = {"1": "done", "5": "package_done"}


@dataclass(frozen=True)
class Progress:
    step: str
    taken: Tuple[str, ...]  # the step's slots that hold a photo, in order

    @property
    def slots(self) -> Tuple[str, ...]:
        return photo_links.STEP_SLOTS[self.step]

    @property
    def next(self) -> str:
        """The first slot still empty, or the step's DONE."""
        return next((slot for slot in self.slots if slot not in self.taken), DONE[self.step])

    @property
    def count(self) -> int:
        return len(self.taken)


def asks_photos(step: Optional[str]) -> bool:
    return step in photo_links.STEP_SLOTS


def progress(step: str, taken: Collection[str]) -> Progress:
    """The step's progress from the order's photos (any step's slots: only this one's count)."""
    return Progress(step, tuple(slot for slot in photo_links.STEP_SLOTS[step] if slot in taken))


def step_of(slot: Optional[str]) -> Optional[str]:
    return next((step for step, slots in photo_links.STEP_SLOTS.items() if slot in slots), None)


def links(progress: Progress, order: str, conversation: str, public_url: str, api_token: str,
          now: Optional[datetime] = None) -> str:
    """The `photo_links` slot: each of the step's slots with its signed link and whether it's taken."""
    base = public_url.rstrip("/")
    slots, expires = [], None
    for slot in progress.slots:
        query = photo_links.link_query(api_token, order, slot, conversation, now=now)
        expires = int(query["expires"])
        slots.append({"slot": slot, "taken": slot in progress.taken,
                      "url": f"{base}/orders/{order}/photos/{slot}?{urlencode(query)}"})
    return json.dumps({"order": order, "step": progress.step, "expires": expires, "slots": slots},
                      separators=(",", ":"))
