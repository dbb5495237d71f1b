"""The feed keeps only what the insights read, and no customer's identifier."""
import json

from insights.feed import key, minimal

TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjdXNfYW5hIn0.c2lnbmF0dXJl"


def test_a_customers_message_keeps_its_reading_but_not_their_identifiers():
    event = {"event": "user", "timestamp": 5.0, "input_channel": "socketio", "message_id": "m1",
             "text": "order 40512345, ana.martin@example.com, call +44 7700 900123",
             "metadata": {"claimed_customer_id": "cus_ana", "customer_token": TOKEN},
             "parse_data": {"intent": {"name": "track_order", "confidence": 0.91},
                            "entities": [{"entity": "order_id", "value": "40512345"}],
                            "intent_ranking": [{"name": n, "confidence": c} for n, c in
                                               (("track_order", 0.91), ("order_late", 0.05), ("greet", 0.02),
                                                ("deny", 0.01))],
                            "language": {"code": "en", "detected": "en"}}}
    kept = minimal(event)
    assert kept == {"event": "user", "timestamp": 5.0, "channel": "socketio", "language": "en", "logged_in": True,
                    "text": "order [order], [email], call [number]", "intent": "track_order", "confidence": 0.91,
                    "guesses": [["track_order", 0.91], ["order_late", 0.05], ["greet", 0.02]]}
    stored = json.dumps(kept)
    assert "40512345" not in stored and "cus_ana" not in stored and "eyJ" not in stored


def test_a_tapped_button_keeps_its_intent_not_its_entities():
    kept = minimal({"event": "user", "timestamp": 1.0, "text": '/photo_received{"photo_slot": "front"}',
                    "parse_data": {"intent": {"name": "photo_received", "confidence": 1.0}}})
    assert kept["text"] == "/photo_received" and not kept["logged_in"]


def test_slots_keep_only_the_values_records_read():
    assert minimal({"event": "slot", "timestamp": 1, "name": "email", "value": "ana@example.com"}) == \
        {"event": "slot", "timestamp": 1, "name": "email"}
    assert minimal({"event": "slot", "timestamp": 1, "name": "handoff_reason", "value": "misunderstood"})["value"] \
        == "misunderstood"
    state = {"order": "40512345", "verified_order": "40512345", "topic": "track_order"}
    assert minimal({"event": "slot", "timestamp": 1, "name": "order_conversation", "value": state})["value"] == \
        {"verified": True}


def test_the_assistants_words_are_redacted_and_a_persons_are_marked():
    said = minimal({"event": "bot", "timestamp": 2, "text": "Order 40512345 shipped",
                    "metadata": {"utter_action": "utter_order_status"}})
    assert said == {"event": "bot", "timestamp": 2, "text": "Order [order] shipped", "utter": "utter_order_status",
                    "person": False}
    assert minimal({"event": "bot", "timestamp": 3, "text": "Hi", "metadata": {"agent": {"name": "Maria"}}})["person"]


def test_the_same_event_from_the_broker_and_the_tracker_store_has_one_key():
    event = {"event": "slot", "timestamp": 1.5, "name": "handoff_state", "value": "open"}
    assert key(minimal(event)) == key(minimal(dict(event)))
    assert key(minimal(event)) != key(minimal({**event, "value": "closed"}))


def test_an_event_kept_already_is_kept_the_same():
    for event in ({"event": "user", "timestamp": 5.0, "input_channel": "rest", "text": "where is 40512345",
                   "metadata": {"claimed_customer_id": "cus_ana"},
                   "parse_data": {"intent": {"name": "track_order", "confidence": 0.9},
                                  "intent_ranking": [{"name": "track_order", "confidence": 0.9}],
                                  "language": {"code": "en"}}},
                  {"event": "bot", "timestamp": 6.0, "text": "It shipped", "metadata": {"utter_action": "utter_x"}},
                  {"event": "slot", "timestamp": 7.0, "name": "order_conversation", "value": {"verified_order": "1"}},
                  {"event": "slot", "timestamp": 7.0, "name": "email", "value": "ana@example.com"},
                  {"event": "action", "timestamp": 8.0, "name": "action_listen"}):
        assert minimal(minimal(event)) == minimal(event)


def test_nlu_fallback_is_no_guess():
    kept = minimal({"event": "user", "timestamp": 1.0, "text": "the thing with the stuff",
                    "parse_data": {"intent": {"name": "nlu_fallback", "confidence": 0.4},
                                   "intent_ranking": [{"name": "nlu_fallback", "confidence": 0.4},
                                                      {"name": "track_order", "confidence": 0.3}]}})
    assert kept["intent"] == "nlu_fallback" and kept["guesses"] == [["track_order", 0.3]]
