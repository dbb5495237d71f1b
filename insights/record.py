"""A conversation's record, from its events as the insights keep them (insights/feed.py).

Plain Python, no Rasa imports: `records_of(events, now)` takes one conversation id's events (every
session of it, oldest first) and gives a Record per session the customer wrote in, with the
messages the assistant misunderstood (ReviewItem). The definitions are the README's ("Insights"):

- topics: the contract's topic intents the customer's messages were read as;
- order lookups: the assistant's answers with where an order or a return stands, which it asked
  the order backend for (actions/situations.LOOKED_UP);
- misunderstood: a message NLU could not place (nlu_fallback), or that the assistant answered
  with "did you mean ...?" or "Sorry, I lost track" (actions/clarification.MISUNDERSTOOD_ANSWERS),
  unless it was read as out of scope, which the assistant rightly declined;
- a correction ("that's wrong"): a "no" that the assistant, having asked nothing, answered with
  "Sorry, I lost track": it rejects the answer before it;
- outcome: handed_over when a person took the conversation; resolved when the customer asked
  about at least one topic, nothing was corrected, no two messages in a row and not the last one
  were misunderstood, no handoff failed, and the same conversation id did not come back within
  24 hours on a topic already asked; ongoing while the session may still go on (less than
  SESSION_IDLE since its last event); else abandoned.
"""
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

from actions.clarification import MISUNDERSTOOD_ANSWERS, NEUTRAL_INTENTS
from actions.situations import LOOKED_UP

# The contract's topics (../shared/spec/intents.md, "Orders and delivery" and "Returns").
TOPICS = ("track_order", "shipping_time", "order_late", "order_not_confirmed", "missing_package",
          "contact_seller", "refund_status", "return_item", "return_label", "return_deadline",
          "return_checklist", "return_carrier", "return_status")
FALLBACK_INTENT = "nlu_fallback"
FALLBACK_ACTION = "action_default_fallback"
OUT_OF_SCOPE = "out_of_scope"
DENY = "deny"
LOST_TRACK = "utter_default"  # "Sorry, I lost track there"
HANDOFF_ACTION = "action_handoff"
SESSION_START = "action_session_start"  # runs before the session_started event it returns
WITH_A_PERSON = ("open", "closed")  # handoff_state once a person has the conversation
SESSION_IDLE = timedelta(minutes=60)  # domain.yml's session_expiration_time
CAME_BACK_WITHIN = timedelta(hours=24)

RESOLVED, HANDED_OVER, ABANDONED, ONGOING = "resolved", "handed_over", "abandoned", "ongoing"
LOGGED_IN, VERIFIED, ANONYMOUS = "logged_in", "verified", "anonymous"
# Review items' kinds, the strongest first: a message that led to a handoff is shown as such.
HANDOFF, WRONG, CLARIFICATION, FALLBACK = "handoff", "wrong", "clarification", "fallback"


@dataclass
class ReviewItem:
    at: datetime
    text: str
    kind: str
    guesses: List[List[Any]]
    language: Optional[str]
    channel: Optional[str]


@dataclass
class Record:
    session: int  # the conversation id's session number, from 0
    started_at: datetime
    ended_at: datetime
    channel: Optional[str]
    language: Optional[str]
    identity: str
    order_lookups: int
    outcome: str
    handoff_reason: Optional[str]
    csat: Optional[bool]
    misunderstandings: int
    corrections: int
    first_answer_ms: Optional[int]
    customer_messages: int
    topics: Tuple[str, ...]
    review: List[ReviewItem] = field(default_factory=list)


@dataclass
class _Turn:
    said: Dict[str, Any]  # the customer's event
    answers: List[str] = field(default_factory=list)  # the assistant's responses and actions

    @property
    def intent(self) -> Optional[str]:
        return self.said.get("intent")

    @property
    def misunderstood(self) -> bool:
        return self.intent != OUT_OF_SCOPE and not self.correction and (self.intent == FALLBACK_INTENT or self.clarified)

    @property
    def clarified(self) -> bool:
        return bool(MISUNDERSTOOD_ANSWERS & set(self.answers)) or FALLBACK_ACTION in self.answers

    @property
    def correction(self) -> bool:
        return self.intent == DENY and LOST_TRACK in self.answers


def _moment(timestamp: float) -> datetime:
    return datetime.fromtimestamp(timestamp, timezone.utc)


def _sessions(events: Sequence[Dict[str, Any]]) -> List[List[Dict[str, Any]]]:
    """The events of each session, without the slots carried over into it (set again by
    action_session_start before its first action_listen: they say nothing of this session)."""
    sessions: List[List[Dict[str, Any]]] = [[]]
    carrying = False
    for event in events:
        starts = event["event"] == "action" and event.get("name") == SESSION_START
        if starts or (event["event"] == "session_started" and not _just_started(sessions[-1])):
            sessions.append([])
            carrying = True
        elif carrying and event["event"] == "action" and event.get("name") == "action_listen":
            carrying = False
        if not (carrying and event["event"] in ("slot", "pause")):
            sessions[-1].append(event)
    return [session for session in sessions if any(e["event"] == "user" for e in session)]


def _just_started(session: Sequence[Dict[str, Any]]) -> bool:
    return bool(session) and session[-1]["event"] == "action" and session[-1].get("name") == SESSION_START


def _turns(session: Sequence[Dict[str, Any]]) -> List[_Turn]:
    turns: List[_Turn] = []
    for event in session:
        if event["event"] == "user":
            turns.append(_Turn(event))
        elif turns and event["event"] == "bot" and event.get("utter") and not event.get("person"):
            turns[-1].answers.append(event["utter"])
        elif turns and event["event"] == "action" and event.get("name") != "action_listen":
            turns[-1].answers.append(event["name"])
    return turns


def _slot_values(session: Sequence[Dict[str, Any]], name: str) -> List[Any]:
    return [e.get("value") for e in session if e["event"] == "slot" and e.get("name") == name]


def _repeated_misunderstanding(turns: Sequence[_Turn]) -> bool:
    """Two misunderstood messages in a row ("something else" between them is part of it)."""
    run = 0
    for turn in turns:
        if turn.misunderstood:
            run += 1
            if run >= 2:
                return True
        elif turn.intent not in NEUTRAL_INTENTS:
            run = 0
    return False


def _review(turns: Sequence[_Turn], handed_over_misunderstood: bool) -> List[ReviewItem]:
    """The messages to review: misunderstood ones (an out-of-scope one answered with "did you
    mean" too: NLU may have been wrong to call it so), and the message a "that's wrong" rejected
    the answer to."""
    items = []
    for index, turn in enumerate(turns):
        rejected = index + 1 < len(turns) and turns[index + 1].correction
        kind = (WRONG if rejected else None if turn.correction
                else CLARIFICATION if MISUNDERSTOOD_ANSWERS & set(turn.answers)
                else FALLBACK if turn.misunderstood else None)
        text = turn.said.get("text") or ""
        if kind is None or not text.strip() or text.startswith("/"):
            continue
        if handed_over_misunderstood and kind != WRONG:
            kind = HANDOFF
        guesses = [g for g in turn.said.get("guesses") or [] if g and g[0] != FALLBACK_INTENT]
        items.append(ReviewItem(_moment(turn.said["timestamp"]), text, kind, guesses,
                                turn.said.get("language"), turn.said.get("channel")))
    return items


def _first_answer_ms(session: Sequence[Dict[str, Any]]) -> Optional[int]:
    first_said = next((e["timestamp"] for e in session if e["event"] == "user"), None)
    answered = next((e["timestamp"] for e in session if e["event"] == "bot" and not e.get("person")
                     and first_said is not None and e["timestamp"] >= first_said), None)
    return None if answered is None else round((answered - first_said) * 1000)


def _record(number: int, session: List[Dict[str, Any]]) -> Record:
    said = [e for e in session if e["event"] == "user"]
    turns = _turns(session)
    handoff_states = _slot_values(session, "handoff_state")
    handed_over = any(state in WITH_A_PERSON for state in handoff_states)
    reasons = [r for r in _slot_values(session, "handoff_reason") if r]
    reason = reasons[-1] if handed_over and reasons else None
    ratings = [r for r in _slot_values(session, "handoff_solved") if r is not None]
    identity = (LOGGED_IN if any(e.get("logged_in") for e in said)
                else VERIFIED if any((v or {}).get("verified") for v in _slot_values(session, "order_conversation"))
                else ANONYMOUS)
    topics = tuple(dict.fromkeys(t.intent for t in turns if t.intent in TOPICS))
    record = Record(
        session=number, started_at=_moment(said[0]["timestamp"]), ended_at=_moment(session[-1]["timestamp"]),
        channel=next((e.get("channel") for e in said if e.get("channel")), None),
        language=next((e.get("language") for e in reversed(said) if e.get("language")), None),
        identity=identity, order_lookups=sum(1 for v in _slot_values(session, "order_situation") if v in LOOKED_UP),
        outcome=HANDED_OVER if handed_over else ABANDONED, handoff_reason=reason,
        csat=bool(ratings[-1]) if ratings else None,
        misunderstandings=sum(t.misunderstood for t in turns), corrections=sum(t.correction for t in turns),
        first_answer_ms=_first_answer_ms(session), customer_messages=len(said), topics=topics,
        review=_review(turns, handed_over and reason == "misunderstood"),
    )
    if not handed_over and topics and not record.corrections and not _repeated_misunderstanding(turns) \
            and not turns[-1].misunderstood and HANDOFF_ACTION not in {a for t in turns for a in t.answers}:
        record.outcome = RESOLVED
    return record


def records_of(events: Iterable[Dict[str, Any]], now: datetime) -> List[Record]:
    """The records of one conversation id's sessions (see the module), oldest first."""
    ordered = sorted(events, key=lambda e: e.get("timestamp") or 0)
    records = [_record(number, session) for number, session in enumerate(_sessions(ordered))]
    for index, record in enumerate(records):
        later = records[index + 1:]
        if not later and now - record.ended_at < SESSION_IDLE and record.outcome != HANDED_OVER:
            record.outcome = ONGOING
        elif record.outcome == RESOLVED and any(
                next_one.started_at - record.ended_at < CAME_BACK_WITHIN and set(next_one.topics) & set(record.topics)
                for next_one in later):
            record.outcome = ABANDONED
    return records
