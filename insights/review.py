"""The review queue: the customers' messages the assistant misunderstood (insights/record.py
says which), grouped by similarity, each with NLU's guesses, for an agent to label with the
intent it should have been, or out of scope, or to discard.

    queue(connection)                          -> {"groups": [...], "open": 12, "labelled": 30}
    label(connection, [3, 4], "track_order", "maria")
    labelled(connection)                       -> [Labelled("where is my stuff", "track_order", "en"), ...]
    assistant_intents(Path("domain.yml"))      -> ["track_order", ...]: the labels an agent may give

Grouping is by the messages' words, with the standard library's difflib (the ratio of matching
characters): the queue holds hundreds of messages, not millions, and a message joins the first
group of its language whose first message is that close.
"""
import json
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any, Collection, Dict, List, Optional

import sqlalchemy as sa
import yaml

from insights.store import aware, now, review_items

DISCARDED = "discarded"  # not something to teach the assistant (a test, gibberish)
SIMILAR = 0.72  # difflib ratio from which two messages are grouped
SHOWN = 500  # the newest unlabelled messages the queue groups


class ReviewError(ValueError):
    """A label the queue can't take (an unknown intent, no messages): said to the agent."""


@dataclass(frozen=True)
class Labelled:
    text: str
    label: str
    language: Optional[str]


def _normal(text: str) -> str:
    return " ".join(text.lower().split())


def _close(a: str, b: str) -> bool:
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    return matcher.real_quick_ratio() >= SIMILAR and matcher.quick_ratio() >= SIMILAR and matcher.ratio() >= SIMILAR


def _guesses(items: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """NLU's likeliest intents for the group's messages: by how many messages had each first,
    then second, with its mean confidence."""
    ranked: Counter = Counter()
    confidences: Dict[str, List[float]] = {}
    for item in items:
        for rank, (intent, confidence) in enumerate(item["guesses"][:2]):
            ranked[intent] += 2 - rank
            confidences.setdefault(intent, []).append(confidence)
    return [{"intent": intent, "confidence": round(sum(confidences[intent]) / len(confidences[intent]), 2)}
            for intent, _ in ranked.most_common(3)]


def queue(connection: sa.engine.Connection, language: Optional[str] = None) -> Dict[str, Any]:
    """The unlabelled messages, newest first, in groups of similar ones (the largest first)."""
    query = sa.select(review_items).where(review_items.c.label.is_(None))
    if language:
        query = query.where(review_items.c.language == language)
    rows = connection.execute(query.order_by(review_items.c.at.desc()).limit(SHOWN)).all()
    groups: List[Dict[str, Any]] = []
    for row in rows:
        item = {"id": row.id, "text": row.text, "kind": row.kind, "at": aware(row.at).isoformat(),
                "channel": row.channel, "language": row.language, "guesses": json.loads(row.guesses)}
        words = _normal(row.text)
        group = next((g for g in groups if g["language"] == row.language and _close(g["words"], words)), None)
        if group is None:
            groups.append({"words": words, "language": row.language, "items": [item]})
        else:
            group["items"].append(item)
    groups.sort(key=lambda g: -len(g["items"]))
    counts = dict(connection.execute(sa.select(review_items.c.label.is_(None), sa.func.count())
                                     .group_by(review_items.c.label.is_(None))).all())
    return {
        "groups": [{"id": group["items"][0]["id"], "language": group["language"], "size": len(group["items"]),
                    "guesses": _guesses(group["items"]),
                    "items": [{k: v for k, v in item.items() if k != "guesses"} for item in group["items"]]}
                   for group in groups],
        "open": counts.get(True, 0), "labelled": counts.get(False, 0),
    }


def label(connection: sa.engine.Connection, item_ids: Collection[int], intent: str, who: str,
          intents: Collection[str]) -> int:
    """Labels the messages with the intent (one of `intents`, the assistant's) or DISCARDED;
    returns how many were labelled."""
    if intent not in intents and intent != DISCARDED:
        raise ReviewError(f"unknown intent: {intent}")
    if not item_ids:
        raise ReviewError("no messages to label")
    return connection.execute(review_items.update().where(review_items.c.id.in_(list(item_ids))).values(
        label=intent, labelled_by=who, labelled_at=now())).rowcount


def labelled(connection: sa.engine.Connection) -> List[Labelled]:
    """Every labelled message but the discarded ones, oldest label first."""
    rows = connection.execute(sa.select(review_items.c.text, review_items.c.label, review_items.c.language)
                              .where(review_items.c.label.is_not(None), review_items.c.label != DISCARDED)
                              .order_by(review_items.c.labelled_at, review_items.c.id)).all()
    return [Labelled(text, intent, language) for text, intent, language in rows]


def assistant_intents(domain_file: Path) -> List[str]:
    """The assistant's intents, in domain.yml's order (an entry may be a name or a one-key
    mapping with its properties): what a message may be labelled with."""
    entries = (yaml.safe_load(domain_file.read_text()) or {}).get("intents") or []
    return [next(iter(entry)) if isinstance(entry, dict) else str(entry) for entry in entries]
