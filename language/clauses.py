"""The questions inside one message: "my order is late and can i just return it instead?"
holds two. Plain Python (no Rasa imports); the intent classifier classifies each part, and
two_questions says which leads.

A message splits at sentence ends and at "and", "also", "but" or "plus" between two parts
of three words or more ("where and when" stays whole; "thanks and bye" too).
"""
import re
from typing import Any, Dict, List, Optional, Tuple

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


Ranked = Dict[str, Any]  # {"name": intent, "confidence": probability}


def two_questions(ranking: List[Ranked], asked: List[Ranked], unsure_below: float = 0.0,
                  out_of_scope: str = "out_of_scope") -> Tuple[List[Ranked], Optional[Ranked]]:
    """The intent ranking of a whole message given the topics its parts ask (in order), and
    the topic also asked besides the one that leads.

    Read as a whole, a message of two questions sits between its two topics and would be
    asked to clarify; read part by part, each is clear. So the whole message's favourite of
    the two leads (else the first asked), as sure as its own part is. Likewise a long story
    that ends in one clear question ("... and nobody tells me anything. So where is my
    order?"): read as a whole it is unclear or out of scope, and its question leads."""
    if len(asked) == 1 and asked[0]["name"] != ranking[0]["name"] and (
            ranking[0]["name"] == out_of_scope or ranking[0]["confidence"] < unsure_below):
        return [asked[0]] + [r for r in ranking if r["name"] != asked[0]["name"]], None
    if len(asked) < 2:
        return ranking, next((a for a in asked if a["name"] != ranking[0]["name"]), None)
    by_name = {a["name"]: a for a in asked}
    lead = ranking[0]["name"] if ranking[0]["name"] in by_name else asked[0]["name"]
    whole = next((r["confidence"] for r in ranking if r["name"] == lead), 0.0)
    led = [{"name": lead, "confidence": max(whole, by_name[lead]["confidence"])}]
    return led + [r for r in ranking if r["name"] != lead], next(a for a in asked if a["name"] != lead)
