"""What to ask when the assistant did not understand a message."""
from dataclasses import dataclass
from typing import Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

# The assistant's answers that say it did not understand: "did you mean ...?" and "Sorry, I
# lost track there" (a yes or no that answers nothing).
MISUNDERSTOOD_ANSWERS = frozenset({"utter_did_you_mean", "utter_default"})
# Answering "something else" to the suggestions is part of the same misunderstanding.
NEUTRAL_INTENTS = frozenset({"deny"})


@dataclass(frozen=True)
class Turn:
    """A customer's message as NLU read it, and what the assistant did in answer."""

    intent: Optional[str]
    answers: Tuple[str, ...] = ()


# Menu buttons that turn the menu's page rather than name a topic.
NOT_TOPICS = frozenset({"more_topics"})


def topics_from_buttons(buttons: Iterable[Mapping[str, str]]) -> Dict[str, str]:
    """Maps each topic intent to its button title, from a menu of `/intent` buttons."""
    topics = {}
    for button in buttons:
        payload = button.get("payload", "")
        if payload.startswith("/") and payload[1:] not in NOT_TOPICS:
            topics[payload[1:]] = button["title"]
    return topics


def suggest_topics(
    intent_ranking: Sequence[Mapping], topics: Sequence[str], count: int = 2
) -> List[str]:
    """The `count` likeliest topics according to NLU, most likely first.

    Only topics are suggested (never "greet" or "out_of_scope"); when the ranking has too
    few of them, the menu's first topics fill the gap.
    """
    ranked = [entry["name"] for entry in intent_ranking if entry.get("name") in topics]
    for topic in topics:
        if len(ranked) >= count:
            break
        if topic not in ranked:
            ranked.append(topic)
    return ranked[:count]


def misunderstandings_in_a_row(turns: Sequence[Turn]) -> int:
    """How many of the latest turns in a row the assistant did not understand: it answered
    "did you mean ...?" or "I lost track" (MISUNDERSTOOD_ANSWERS). "Something else" in answer
    to the suggestions is part of the same misunderstanding; any other turn ends the run."""
    count = 0
    for turn in reversed(turns):
        if MISUNDERSTOOD_ANSWERS & set(turn.answers):
            count += 1
        elif turn.intent not in NEUTRAL_INTENTS:
            break
    return count
