"""The return checklist of the help centre, walked one step at a time.

Steps are "1" to "6" (photos, data, account, note in the box, packing, drop-off), then
"done". A customer who leaves mid-way resumes where they stopped.
"""
from dataclasses import dataclass
from typing import Optional

STEPS = ("1", "2", "3", "4", "5", "6")
DONE = "done"


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
