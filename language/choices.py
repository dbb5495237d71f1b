"""Which offered button a typed reply means: "2", "#2", "option 2", "the second one", or the
button's own title. Channels that can't show buttons list them as "1. Title" lines
(channels/numbered_choices.py), and customers anywhere may type instead of clicking.

Plain Python (no Rasa imports): the NLU component in numbered_choice_resolver.py applies it.
"""
import re
from functools import lru_cache
from typing import Dict, List, Optional, Tuple

from language.languages import load as languages, plain

MAX_TITLE = 100
_NUMBER = re.compile(r"(?:#|no\.?|nr\.?|n°|number|option|choice|numero|nummer|numéro|número)?\s*(\d{1,2})\s*[.)]?",
                     re.IGNORECASE)
# "the second one", "le deuxième", "die zweite", "el segundo", "il secondo": every language's
# ordinals (language/languages.yml), with the words around them in any of them.
_AROUND = r"(?:the|le|la|les|l|der|die|das|den|el|los|las|il|lo|gli|i|un|una|uno)"
_AFTER = r"(?:one|option|choice|choix|bouton|eine|einer|opcion|opzione|scelta)"


def offered_in(data: Dict) -> List[Dict]:
    """The buttons of one of the assistant's messages (a BotUttered's data): its own, or those of
    the widget's card (a custom payload's buttons or quick replies)."""
    custom = data.get("custom") if isinstance(data.get("custom"), dict) else {}
    return data.get("buttons") or custom.get("buttons") or custom.get("quick_replies") or []


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().strip(".!").strip().casefold()


@lru_cache(maxsize=1)
def _ordinal_pattern() -> Tuple[re.Pattern, Dict[str, int]]:
    ordinals = languages().ordinals()
    words = "|".join(sorted(ordinals, key=len, reverse=True))
    return re.compile(rf"(?:{_AROUND}\s+)?({words})(?:\s+{_AFTER})?"), ordinals


def _ordinal(text: str) -> Optional[int]:
    """The place an ordinal reply names (1, 2 ... or -1 for "the last"), else None."""
    pattern, ordinals = _ordinal_pattern()
    match = pattern.fullmatch(plain(text.rstrip(".!?")))
    return ordinals[match.group(1)] if match else None


def chosen_button(reply: str, buttons: List[Dict]) -> Optional[Dict]:
    """The button `reply` picks out of `buttons` (as offered, in order), or None."""
    # Longer than any title (order titles hold product names): a sentence, not a choice.
    if not buttons or not isinstance(reply, str) or len(reply) > MAX_TITLE:
        return None
    text = reply.strip()
    position = None
    if match := _NUMBER.fullmatch(text):
        position = int(match.group(1))
    else:
        place = _ordinal(text)
        position = None if place is None else (len(buttons) if place == -1 else place)
    if position is not None:
        return buttons[position - 1] if 1 <= position <= len(buttons) else None
    titles = [button for button in buttons if _plain(str(button.get("title", ""))) == _plain(text)]
    return titles[0] if len(titles) == 1 else None
