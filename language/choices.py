"""Which offered button a typed reply means: "2", "#2", "option 2", "the second one", or the
button's own title. Channels that can't show buttons list them as "1. Title" lines
(channels/numbered_choices.py), and customers anywhere may type instead of clicking.

Plain Python (no Rasa imports): the NLU component in numbered_choice_resolver.py applies it.
"""
import re
from typing import Dict, List, Optional

MAX_TITLE = 100
_NUMBER = re.compile(r"(?:#|no\.?|number|option|choice)?\s*(\d{1,2})\s*[.)]?", re.IGNORECASE)
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6}
_ORDINAL = re.compile(r"(?:the\s+)?(first|second|third|fourth|fifth|sixth|last)(?:\s+(?:one|option|choice))?",
                      re.IGNORECASE)


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().strip(".!").strip().casefold()


def chosen_button(reply: str, buttons: List[Dict]) -> Optional[Dict]:
    """The button `reply` picks out of `buttons` (as offered, in order), or None."""
    # Longer than any title (order titles hold product names): a sentence, not a choice.
    if not buttons or not isinstance(reply, str) or len(reply) > MAX_TITLE:
        return None
    text = reply.strip()
    position = None
    if match := _NUMBER.fullmatch(text):
        position = int(match.group(1))
    elif match := _ORDINAL.fullmatch(text.rstrip(".!")):
        word = match.group(1).lower()
        position = len(buttons) if word == "last" else _ORDINALS[word]
    if position is not None:
        return buttons[position - 1] if 1 <= position <= len(buttons) else None
    titles = [button for button in buttons if _plain(str(button.get("title", ""))) == _plain(text)]
    return titles[0] if len(titles) == 1 else None
