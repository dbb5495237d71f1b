"""The return checklist of the help centre, walked one step at a time.

Steps are "1" to "6" (photos, data, account, note in the box, packing, drop-off), then
"done". A checklist left mid-way (stopped, or interrupted by another question) waits at its
step for its order: asking for it again in any words, or a "next", "carry on" or "go back"
that answers nothing else, picks it up there.
"""
from dataclasses import dataclass
from typing import Optional

STEPS = ("1", "2", "3", "4", "5", "6")
DONE = "done"

# What the customer's message does to the checklist shown just before it (`movement`).
FORWARD, BACK, PAUSE, START = "forward", "back", "pause", "start"
# "I'll do it later" (goodbye) at a step stops there, as "stop here" does: it waits at its step.
_AT_A_STEP = {"affirm": FORWARD, "previous_step": BACK, "deny": PAUSE, "goodbye": PAUSE}


@dataclass(frozen=True)
class Position:
    step: str
    resumed: bool = False


def start(saved: Optional[str]) -> Position:
    """Where to begin when the customer asks for the checklist."""
    if saved in STEPS[1:]:
        return Position(saved, resumed=True)
    return Position(STEPS[0])


def forward(current: Optional[str]) -> str:
    if current not in STEPS:
        return DONE if current == DONE else STEPS[0]
    index = STEPS.index(current)
    return STEPS[index + 1] if index + 1 < len(STEPS) else DONE


def back(current: Optional[str]) -> str:
    if current == DONE:
        return STEPS[-1]
    if current not in STEPS:
        return STEPS[0]
    return STEPS[max(STEPS.index(current) - 1, 0)]


def movement(intent: Optional[str], step_just_shown: bool) -> str:
    """What a message does: at a step its buttons' intents (next, back, stop) move through the
    checklist; anywhere else, asking for it (or carrying on) starts it or resumes it."""
    return _AT_A_STEP.get(intent or "", START) if step_just_shown else START


def waiting(saved: Optional[str]) -> bool:
    """Whether a checklist was left mid-way, so that it waits at its step."""
    return saved in STEPS


def carries_on(intent: Optional[str], saved: Optional[str]) -> bool:
    """Whether a message that answers no question ("next", "carry on", "ok let's continue",
    "go back") means the checklist left mid-way."""
    return waiting(saved) and intent in ("affirm", "previous_step")
