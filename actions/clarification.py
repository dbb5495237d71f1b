"""What to ask when the assistant did not understand a message."""
from typing import Dict, Iterable, List, Mapping, Sequence

FALLBACK_INTENT = "nlu_fallback"
# Answering "something else" to the suggestions is part of the same misunderstanding.
NEUTRAL_INTENTS = frozenset({"deny"})
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


def misunderstandings_in_a_row(user_intents: Sequence[str]) -> int:
    """How many of the latest messages in a row the assistant could not understand."""
    count = 0
    for intent in reversed(user_intents):
        if intent == FALLBACK_INTENT:
            count += 1
        elif intent not in NEUTRAL_INTENTS:
            break
    return count
