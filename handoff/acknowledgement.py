"""A customer who asks for a person again while none has answered yet is told they are in the
queue, and how long is left of the wait the assistant promised: otherwise a second "Talk to a
person" meets silence, since the assistant is paused. At most once every few minutes, so it
never spams; the message itself still reaches the agent.

Plain Python: the wait told (the slots action_handoff set), the times and the wording in;
whether to answer, and the words, out."""
import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Dict, Optional

from handoff.assistant_contract import CLOSED, HANDOFF_BACK_WHEN, HANDOFF_STATE, HANDOFF_WAIT, OPEN
from handoff.wording import words_in


@dataclass(frozen=True)
class WaitTold:
    state: Optional[str]  # OPEN: about `minutes`; CLOSED: back `back_when`
    minutes: Optional[int]
    back_when: Optional[str]

    @classmethod
    def from_slots(cls, slots: Dict[str, Any]) -> "WaitTold":
        """From the slots the assistant set (assistant_contract.SLOTS_READ)."""
        minutes = str(slots.get(HANDOFF_WAIT) or "")
        return cls(slots.get(HANDOFF_STATE), int(minutes) if minutes.isdigit() else None,
                   slots.get(HANDOFF_BACK_WHEN) or None)


def due(asked_at: datetime, last_acknowledged_at: Optional[datetime], every: timedelta) -> bool:
    return last_acknowledged_at is None or asked_at - last_acknowledged_at >= every


def acknowledgement(wait: WaitTold, opened_at: datetime, asked_at: datetime, language: Optional[str] = None) -> str:
    """In the customer's language (the ticket's)."""
    words = words_in(language)["acknowledgement"]
    if wait.state == CLOSED and wait.back_when:
        return words["closed"].format(back_when=wait.back_when)
    if wait.state == OPEN and wait.minutes:
        left = math.ceil(round(wait.minutes - (asked_at - opened_at).total_seconds() / 60, 6))
        if left >= 2:  # "about 1 minutes" reads wrong, and a minute is "as soon as they can"
            return words["open"].format(minutes=left)
    return words["unknown"]
