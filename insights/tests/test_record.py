"""A conversation's record, by the README's definitions, from hand-written events as the feed
keeps them (insights/feed.py)."""
from datetime import datetime, timedelta, timezone

from insights.record import ABANDONED, HANDED_OVER, ONGOING, RESOLVED, records_of

T0 = datetime(2026, 12, 1, 9, tzinfo=timezone.utc).timestamp()
LONG_AFTER = datetime(2026, 12, 9, tzinfo=timezone.utc)


class Chat:
    """Events of one conversation id, a second apart unless told."""

    def __init__(self, start: float = T0, channel: str = "socketio", language: str = "en"):
        self.events, self.at, self.channel, self.language = [], start, channel, language
        self.new_session()

    def event(self, kind, **fields):
        self.at += 1
        self.events.append({"event": kind, "timestamp": self.at, **fields})
        return self

    def new_session(self, at=None, carried=None):
        if at is not None:
            self.at = at
        self.event("action", name="action_session_start").event("session_started")
        for name, value in (carried or {}).items():
            self.event("slot", name=name, value=value)
        return self.event("action", name="action_listen")

    def says(self, text, intent, logged_in=False, guesses=None):
        return self.event("user", text=text, intent=intent, channel=self.channel, language=self.language,
                          logged_in=logged_in, guesses=guesses or [[intent, 0.9]])

    def answers(self, utter, *actions, **slots):
        for action in actions:
            self.event("action", name=action)
        for name, value in slots.items():
            self.event("slot", name=name, value=value)
        return self.event("bot", text="...", utter=utter, person=False).event("action", name="action_listen")


def only(chat, now=LONG_AFTER):
    [record] = records_of(chat.events, now)
    return record


def test_a_question_answered_is_resolved_with_its_topic_and_first_answer_time():
    chat = Chat().says("where is my parcel", "track_order")
    chat.answers("utter_order_status", "action_order_status", order_situation="in_transit")
    record = only(chat)
    assert record.outcome == RESOLVED
    assert record.topics == ("track_order",) and record.order_lookups == 1
    assert record.first_answer_ms == 3000  # action, slot, then the answer: a second each
    assert (record.channel, record.language, record.identity) == ("socketio", "en", "anonymous")
    assert record.review == []


def test_a_handoff_keeps_its_reason_and_the_customers_rating():
    chat = Chat().says("i want a person", "human_handoff")
    chat.answers("utter_handoff", "action_handoff", handoff_state="open", handoff_reason="customer_asked")
    chat.event("bot", text="Maria here", utter=None, person=True)
    chat.says("yes", "affirm").answers("utter_handoff_rated", "action_rate_handoff", handoff_solved=True)
    record = only(chat)
    assert (record.outcome, record.handoff_reason, record.csat) == (HANDED_OVER, "customer_asked", True)


def test_a_handoff_that_failed_is_not_resolved():
    chat = Chat().says("where is my parcel", "track_order").answers("utter_order_status", "action_order_status")
    chat.says("a person please", "human_handoff").answers("utter_handoff_unreachable", "action_handoff",
                                                          handoff_state="unreachable", handoff_reason="customer_asked")
    record = only(chat)
    assert record.outcome == ABANDONED and record.handoff_reason is None


def test_two_misunderstandings_in_a_row_are_abandoned_and_queued_for_review():
    chat = Chat().says("wheres my stuff", "nlu_fallback", guesses=[["track_order", 0.3]])
    chat.answers("utter_did_you_mean", "action_clarify")
    chat.says("no", "deny").answers("utter_ask_rephrase")
    chat.says("my stuff!!", "nlu_fallback").answers("utter_did_you_mean", "action_clarify")
    chat.says("return label", "return_label").answers("utter_return_label")
    record = only(chat)
    assert record.outcome == ABANDONED and record.misunderstandings == 2
    assert [(item.text, item.kind) for item in record.review] == [("wheres my stuff", "clarification"),
                                                                  ("my stuff!!", "clarification")]
    assert record.review[0].guesses == [["track_order", 0.3]]


def test_that_s_wrong_is_a_correction_and_queues_the_message_it_rejected():
    chat = Chat().says("when do i get my money", "shipping_time").answers("utter_shipping_time")
    chat.says("no that's wrong", "deny").answers("utter_default")
    record = only(chat)
    assert (record.outcome, record.corrections, record.misunderstandings) == (ABANDONED, 1, 0)
    assert [(item.text, item.kind) for item in record.review] == [("when do i get my money", "wrong")]


def test_misunderstood_messages_before_a_misunderstood_handoff_are_marked_so():
    chat = Chat().says("blah", "nlu_fallback").answers("utter_did_you_mean", "action_clarify")
    chat.says("blah blah", "nlu_fallback").answers("utter_did_you_mean", "action_clarify")
    chat.says("/human_handoff", "human_handoff").answers(
        "utter_handoff", "action_handoff", handoff_state="open", handoff_reason="misunderstood")
    record = only(chat)
    assert record.handoff_reason == "misunderstood"
    assert [(item.text, item.kind) for item in record.review] == [("blah", "handoff"), ("blah blah", "handoff")]


def test_out_of_scope_declined_is_not_a_misunderstanding_but_is_reviewed():
    chat = Chat().says("what's the weather", "out_of_scope").answers("utter_did_you_mean", "action_clarify")
    record = only(chat)
    assert record.misunderstandings == 0 and record.outcome == ABANDONED  # no topic: nothing resolved
    assert [item.kind for item in record.review] == ["clarification"]


def test_coming_back_on_the_same_topic_within_a_day_undoes_resolved():
    chat = Chat().says("where is my parcel", "track_order").answers("utter_order_status", "action_order_status")
    chat.new_session(at=chat.at + 5 * 3600, carried={"handoff_state": None})
    chat.says("it's still not here", "track_order").answers("utter_order_status", "action_order_status")
    first, second = records_of(chat.events, LONG_AFTER)
    assert (first.outcome, second.outcome) == (ABANDONED, RESOLVED)


def test_coming_back_a_day_later_or_on_another_topic_keeps_resolved():
    for gap, topic in ((25 * 3600, "track_order"), (2 * 3600, "return_label")):
        chat = Chat().says("where is my parcel", "track_order").answers("utter_order_status", "action_order_status")
        chat.new_session(at=chat.at + gap)
        chat.says("next question", topic).answers("utter_answer")
        assert [r.outcome for r in records_of(chat.events, LONG_AFTER)] == [RESOLVED, RESOLVED]


def test_slots_carried_into_a_new_session_say_nothing_of_it():
    chat = Chat().says("person please", "human_handoff").answers(
        "utter_handoff", "action_handoff", handoff_state="open", handoff_reason="customer_asked")
    chat.new_session(at=chat.at + 48 * 3600, carried={"handoff_state": "open", "handoff_reason": "customer_asked",
                                                     "handoff_solved": True})
    chat.says("where is my parcel", "track_order").answers("utter_order_status", "action_order_status")
    first, second = records_of(chat.events, LONG_AFTER)
    assert first.outcome == HANDED_OVER
    assert (second.outcome, second.handoff_reason, second.csat) == (RESOLVED, None, None)


def test_a_session_still_going_on_is_ongoing_and_one_without_a_message_has_no_record():
    chat = Chat().says("where is my parcel", "track_order").answers("utter_order_status", "action_order_status")
    assert only(chat, now=datetime.fromtimestamp(chat.at, timezone.utc) + timedelta(minutes=10)).outcome == ONGOING
    assert only(chat, now=datetime.fromtimestamp(chat.at, timezone.utc) + timedelta(minutes=61)).outcome == RESOLVED
    assert records_of(Chat().events, LONG_AFTER) == []  # the widget opened, nothing was said


def test_who_the_customer_was():
    logged_in = Chat().says("where is my parcel", "track_order", logged_in=True).answers("utter_order_status")
    verified = Chat().says("where is my parcel", "track_order").answers(
        "utter_order_status", "action_order_status", order_conversation={"verified": True})
    assert only(logged_in).identity == "logged_in" and only(verified).identity == "verified"


def test_the_assistants_own_events_may_arrive_out_of_order():
    chat = Chat().says("where is my parcel", "track_order").answers("utter_order_status", "action_order_status")
    assert records_of(list(reversed(chat.events)), LONG_AFTER) == records_of(chat.events, LONG_AFTER)
