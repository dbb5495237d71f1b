"""The questions inside one message: "my order is late and can i just return it instead?"
holds two. Plain Python (no Rasa imports); the intent classifier classifies each part.

A message splits at sentence ends and at "and", "also", "but" or "plus" between two parts
of three words or more ("where and when" stays whole; "thanks and bye" too).
"""
import re
from typing import List

_SENTENCES = re.compile(r"(?<=[?!.;])\s+|\s*\?+\s*")
_JOINS = re.compile(r",?\s+\b(?:and|also|but|plus|and also)\b\s+", re.IGNORECASE)
_LEADING_JOIN = re.compile(r"^(?:and|also|but|plus)\s+", re.IGNORECASE)
MIN_WORDS = 3


def clauses(text: str) -> List[str]:
    """The message's parts, in order; the whole message when it doesn't split."""
    parts = []
    for sentence in filter(None, (_LEADING_JOIN.sub("", s.strip(" ,.!?;")) for s in _SENTENCES.split(text))):
        pieces = _JOINS.split(sentence)
        merged = [pieces[0]]
        for piece in pieces[1:]:
            if len(piece.split()) >= MIN_WORDS and len(merged[-1].split()) >= MIN_WORDS:
                merged.append(piece)
            else:
                merged[-1] = f"{merged[-1]} and {piece}"
        parts.extend(p.strip() for p in merged if p.strip())
    return parts or [text]
