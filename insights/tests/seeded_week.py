"""A week of conversations as the insights' feed holds them (insights/feed.py's form), for the
tests that check the insights' figures against SQL counts (insights/tests/test_figures.py) and
walk a team lead through the desk (tests/browser/test_insights_desk.py).

Standard library only: the assistant's tests (no SQLAlchemy there) write it into the feed with
sqlite3, the insights' own tests through SQLAlchemy.

    week(end=date(2026, 12, 6))  -> {"seed-0": [event, ...], ...}   7 days ending on `end`
    write_feed(sqlite3_connection, week(...))                       the broker's rows

Every conversation is built from a few kinds (who asked what, what the assistant did), spread
over the days, channels and languages by a fixed rule, so the figures are the same on every run.
"""
import json
import sqlite3
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Dict, List

CHANNELS = ("socketio", "rest", "telegram", "twilio")
LANGUAGES = ("en", "en", "fr", "de", "es", "it")
TOPICS = ("track_order", "return_label", "refund_status", "shipping_time", "return_deadline", "order_late")
# Messages the assistant misunderstood, as customers wrote them (redacted as the feed keeps them).
UNCLEAR = ("wheres my stuff", "wheres my stuff??", "the thing i bought is broken what now",
           "can i swap it for a blue one", "my [order] never came", "asdfgh")


class _Conversation:
    def __init__(self, start: datetime, channel: str, language: str, logged_in: bool = False):
        self.events: List[Dict[str, Any]] = []
        self.at = start.timestamp()
        self.channel, self.language, self.logged_in = channel, language, logged_in
        self.add("action", name="action_session_start")
        self.add("session_started")
        self.add("action", name="action_listen")

    def add(self, kind: str, **fields: Any) -> None:
        self.at += 0.25
        self.events.append({"event": kind, "timestamp": round(self.at, 6), **fields})

    def says(self, text: str, intent: str, confidence: float = 0.9, guesses=None) -> None:
        self.at += 20  # the customer takes their time
        self.add("user", text=text, channel=self.channel, intent=intent, confidence=confidence,
                 guesses=guesses or [[intent, confidence]], language=self.language, logged_in=self.logged_in)

    def answers(self, utter: str, *actions: str, slots: Dict[str, Any] = None) -> None:
        for action in actions:
            self.add("action", name=action)
        for name, value in (slots or {}).items():
            self.add("slot", name=name, value=value)
        self.add("action", name=utter)
        self.add("bot", text=f"({utter})", utter=utter, person=False)
        self.add("action", name="action_listen")


def _conversation(n: int, start: datetime) -> _Conversation:
    chat = _Conversation(start, CHANNELS[n % len(CHANNELS)], LANGUAGES[n % len(LANGUAGES)], logged_in=n % 3 == 0)
    topic = TOPICS[n % len(TOPICS)]
    kind = n % 10
    if kind in (0, 1, 2, 3):  # asked, answered, thanked: resolved
        chat.says(f"question about {topic}", topic)
        chat.answers("utter_order_status", "action_order_status", slots={"order_situation": "in_transit"})
        chat.says("thanks", "thank")
        chat.answers("utter_you_are_welcome")
    elif kind == 4:  # verified an order in the chat, then answered: resolved
        chat.says(f"question about {topic}", topic)
        chat.answers("utter_ask_email", "action_order_status")
        chat.says("[email]", "inform")
        chat.answers("utter_order_status", "action_order_status",
                     slots={"order_conversation": {"verified": True}, "order_situation": "delivered"})
    elif kind == 5:  # misunderstood twice, handed over, rated
        unclear = UNCLEAR[n % len(UNCLEAR)]
        chat.says(unclear, "nlu_fallback", 0.3, [["track_order", 0.3], ["return_item", 0.2]])
        chat.answers("utter_did_you_mean", "action_clarify")
        chat.says(UNCLEAR[(n + 1) % len(UNCLEAR)], "nlu_fallback", 0.25, [["return_label", 0.25]])
        chat.answers("utter_did_you_mean", "action_clarify")
        chat.says("/human_handoff", "human_handoff", 1.0)
        chat.answers("utter_handoff", "action_handoff", slots={"handoff_state": "open", "handoff_reason": "misunderstood"})
        chat.add("bot", text="Hello, Maria here", utter=None, person=True)
        chat.says("yes it was", "affirm")
        chat.answers("utter_handoff_rated", "action_rate_handoff", slots={"handoff_solved": n % 20 == 5})
    elif kind == 6:  # asked for a person about a topic
        chat.says(f"question about {topic}", topic)
        chat.answers("utter_order_status", "action_order_status", slots={"order_situation": "shipping_overdue"})
        chat.says("i want to talk to a person", "human_handoff")
        chat.answers("utter_handoff", "action_handoff", slots={"handoff_state": "open", "handoff_reason": "customer_asked"})
        chat.says("no", "deny")
        chat.answers("utter_handoff_rated", "action_rate_handoff", slots={"handoff_solved": False})
    elif kind == 7:  # answered, then "that's wrong": abandoned
        chat.says(f"question about {topic}", topic, 0.6, [[topic, 0.6], ["track_order", 0.3]])
        chat.answers("utter_order_status", "action_order_status", slots={"order_situation": "in_transit"})
        chat.says("no that's wrong", "deny")
        chat.answers("utter_default")
    elif kind == 8:  # greeted and left: abandoned
        chat.says("hello", "greet")
        chat.answers("utter_greet")
    else:  # out of scope, declined: abandoned
        chat.says("what's the weather tomorrow", "out_of_scope")
        chat.answers("utter_did_you_mean", "action_clarify")
    return chat


def week(end: date, per_day: int = 10) -> Dict[str, List[Dict[str, Any]]]:
    """Conversations over the 7 days ending on `end` (UTC), `per_day` a day; each id's events."""
    conversations = {}
    for day in range(7):
        midnight = datetime.combine(end - timedelta(days=6 - day), time(8), tzinfo=timezone.utc)
        for slot in range(per_day + day % 3):  # not every day as busy
            n = day * 100 + slot
            conversations[f"seed-{n}"] = _conversation(n, midnight + timedelta(minutes=37 * slot)).events
    return conversations


def write_feed(connection: sqlite3.Connection, conversations: Dict[str, List[Dict[str, Any]]]) -> None:
    """The event broker's rows (Rasa's SQL broker table), as stores/event_broker.py writes them."""
    connection.execute("CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255), data TEXT)")
    connection.executemany("INSERT INTO events (sender_id, data) VALUES (?, ?)",
                           [(sender, json.dumps(event)) for sender, events in conversations.items() for event in events])
    connection.commit()


def read_into_records(database, end: date):
    """The week written into the feed of the SQLite file `database`, and read by the insights'
    own reader two days later, every session ended: an SQLAlchemy engine on it. For the tests in
    the handoff service's virtualenv (SQLAlchemy imported here, not at the top)."""
    from insights import store
    from insights.ingest import Ingest

    with sqlite3.connect(database) as connection:
        write_feed(connection, week(end))
    engine = store.connect(f"sqlite:///{database}")
    Ingest(engine, clock=lambda: datetime.combine(end + timedelta(days=2), time(0), tzinfo=timezone.utc)).ingest()
    return engine
