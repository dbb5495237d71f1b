"""The Rasa actions, run as the action server runs them, on rasa-sdk trackers."""
import asyncio
from pathlib import Path

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.dialogue.fallback import ActionClarify, ActionMoreTopics
from actions.dialogue.returns import ActionReturnCarrier, ActionReturnChecklist
from actions.order_conversation import ORDER_NUMBER, VERIFICATION, State

DOMAIN = yaml.safe_load((Path(__file__).parent.parent / "domain.yml").read_text())


def user(intent, entities=(), ranking=(), text="..."):
    return {"event": "user", "text": text, "parse_data": {"text": text,
        "intent": {"name": intent}, "entities": list(entities),
        "intent_ranking": [{"name": n, "confidence": c} for n, c in ranking]}}


def asked(situation):
    """The assistant's question (utter_order_status) before the customer's reply."""
    return {"event": "action", "name": "utter_order_status"}, {"event": "slot", "name": "order_situation",
                                                               "value": situation}


def conversation(order, verified_order=None, asked=None):
    """The slots of an order conversation about `order` (proved by e-mail or postcode when
    verified_order), whose latest answer asked `asked` in reply to the customer's first message."""
    state = State(order=order, verified_order=verified_order, asked=asked, asked_in_turn=1 if asked else None)
    return {"order_conversation": state.as_slot(), "order_id": order}


def proved(slots):
    """The order an anonymous customer proved is theirs, as the conversation's State keeps it."""
    return State.from_slot(slots["order_conversation"]).verified_order


def tracker(*events, slots=None, sender="customer"):
    flat = [e for event in events for e in (event if isinstance(event, tuple) else (event,))]
    latest = [e for e in flat if e["event"] == "user"][-1]["parse_data"]
    slots = {**{e["name"]: e["value"] for e in flat if e["event"] == "slot"}, **(slots or {})}
    return Tracker(sender, slots, latest, flat, False, None, {}, "action_listen")


def run(action, tracker_):
    """The action's slot events, applied: the slots as they stand after it ran."""
    events = asyncio.run(action.run(CollectingDispatcher(), tracker_, DOMAIN))
    return {**tracker_.slots, **{e["name"]: e["value"] for e in events if e["event"] == "slot"}}


def test_clarify_suggests_the_two_likeliest_topics_with_their_menu_titles():
    slots = run(ActionClarify(), tracker(user("nlu_fallback", ranking=[
        ("nlu_fallback", 0.5), ("greet", 0.3), ("return_label", 0.25), ("return_item", 0.2)])))
    assert slots == {"suggestion_1": "return_label", "suggestion_1_title": "My return label",
                     "suggestion_2": "return_item", "suggestion_2_title": "Return an item",
                     "offer_person": False, "customer_upset": False, "topics_page": None}


MENU_SHOWN = {"event": "action", "name": "utter_topics"}


@pytest.mark.parametrize("shown, shows", [(None, "2"), ("2", "3"), ("3", None)])
def test_more_topics_turns_the_menus_page_and_comes_back_to_the_first(shown, shows):
    slots = run(ActionMoreTopics(), tracker(MENU_SHOWN, user("more_topics"), slots={"topics_page": shown}))
    assert slots == {"topics_page": shows}


def test_more_topics_asked_out_of_the_blue_starts_at_the_first_page():
    slots = run(ActionMoreTopics(), tracker(asked("general"), user("more_topics"), slots={"topics_page": "2"}))
    assert slots["topics_page"] is None


def said(*actions):
    return tuple({"event": "action", "name": name} for name in actions)


def test_clarify_offers_a_person_after_the_second_misunderstanding():
    slots = run(ActionClarify(), tracker(user("nlu_fallback"), said("action_clarify", "utter_did_you_mean"),
                                         user("deny"), said("utter_ask_rephrase", "utter_topics"), user("nlu_fallback")))
    assert slots["offer_person"] is True


def test_clarify_counts_a_lost_track_as_a_misunderstanding():
    lost = said("action_unasked_reply", "action_clarify", "utter_default")
    assert run(ActionClarify(), tracker(user("affirm"), lost, user("affirm")))["offer_person"] is True
    # an out-of-scope question is understood, just not ours to answer
    assert run(ActionClarify(), tracker(user("affirm"), lost, user("out_of_scope")))["offer_person"] is False


@pytest.mark.parametrize("message", ["this is ridiculous, i want a real person NOW", "this is useless!!"])
def test_clarify_offers_a_person_at_once_to_someone_upset_or_asking_for_one(message):
    slots = run(ActionClarify(), tracker(user("nlu_fallback", text=message)))
    assert slots["offer_person"] is True and slots["customer_upset"] is True


@pytest.mark.parametrize("intent, saved, step", [
    ("return_checklist", None, "1"),
    ("affirm", "1", "2"),
    ("affirm", "6", "done"),
    ("previous_step", "3", "2"),
    ("return_checklist", "4", "4"),
])
def test_checklist_moves_with_the_customer(intent, saved, step):
    slots = run(ActionReturnChecklist(), tracker(said("utter_checklist_step"), user(intent),
                                                 slots={"checklist_step": saved}))
    assert slots["checklist_step"] == step
    assert slots["checklist_resumed"] is (intent == "return_checklist" and saved == "4")


def test_stop_keeps_the_step_and_a_later_yes_resumes_it_rather_than_skipping_one():
    at_step_4 = {"checklist_step": "4", "checklist_for": "iPhone 12", "device": "iPhone 12"}
    stopped = run(ActionReturnChecklist(), tracker(said("utter_checklist_step"), user("deny"), slots=at_step_4))
    assert stopped == at_step_4
    carried_on = run(ActionReturnChecklist(), tracker(said("action_unasked_reply"), user("affirm"), slots=at_step_4))
    assert (carried_on["checklist_step"], carried_on["checklist_resumed"]) == ("4", True)


def test_checklist_names_the_account_for_the_customers_device():
    slots = run(ActionReturnChecklist(), tracker(user("return_checklist"), slots={"device": "iPhone 12"}))
    assert (slots["account_check"], slots["device_account"]) == ("specific", "Apple ID")


def test_carrier_comes_from_the_latest_message_only():
    asked = tracker(user("return_carrier", entities=[{"entity": "carrier", "value": "UPS"}]),
                    slots={"carrier": "DHL"})
    assert run(ActionReturnCarrier(), asked)["return_carrier"] == "UPS"
    not_named = tracker(user("return_carrier"), slots={"carrier": "DHL"})
    assert run(ActionReturnCarrier(), not_named)["return_carrier"] is None


@pytest.fixture
def real_orders(backend, monkeypatch):
    """action_order_status talking to the real order backend started for the tests."""
    from actions.dialogue import order_lookup
    from actions.orders_client import OrdersClient

    url, token = backend
    monkeypatch.setattr(order_lookup, "orders_client", lambda: OrdersClient(url, token))


def test_order_status_asks_for_the_number_when_it_is_missing(real_orders):
    from actions.dialogue.orders import ActionOrderStatus

    slots = run(ActionOrderStatus(), tracker(user("track_order")))
    assert (slots["order_situation"], slots["order_topic"], slots.get("order_lookup")) == ("ask_order_id", "track_order", None)


def test_order_status_of_a_shipped_order(real_orders):
    from actions.dialogue.orders import ActionOrderStatus

    slots = run(ActionOrderStatus(), tracker(user("track_order"), slots=conversation("40512351", verified_order="40512351")))
    assert (slots["order_situation"], slots["order_carrier"]) == ("in_transit", "UPS")
    assert slots["order_delivery_estimate"] == "tomorrow"


def test_order_status_says_times_in_the_zone_and_locale_the_widget_sent(real_orders):
    from actions.dialogue.orders import ActionOrderStatus

    verified = conversation("40512348", verified_order="40512348")  # Paris customer and seller, not shipped
    sent = {**user("track_order"), "metadata": {"timezone": "America/New_York", "locale": "en-US"}}
    assert run(ActionOrderStatus(), tracker(sent, slots=verified))["order_ship_by"].endswith("PM your time")
    nonsense = {**user("track_order"), "metadata": {"timezone": "Nowhere/At_All", "locale": "xx-YY"}}
    assert "time" not in run(ActionOrderStatus(), tracker(nonsense, slots=verified))["order_ship_by"]


def test_order_status_of_an_unknown_order_asks_again_and_forgets_it(real_orders):
    from actions.dialogue.orders import ActionOrderStatus

    given = user("inform", entities=[{"entity": "order_id", "value": "99999999"}])
    slots = run(ActionOrderStatus(), tracker(user("track_order"), given,
                                             slots=conversation("99999999", "99999999", asked=ORDER_NUMBER)))
    assert (slots["order_situation"], slots["order_lookup"], slots["order_id"]) == ("ask_order_id", "not_found", None)


def test_refund_question_about_a_refunded_return(real_orders):
    from actions.dialogue.orders import ActionOrderStatus

    slots = run(ActionOrderStatus(), tracker(user("refund_status"), slots=conversation("40512365", verified_order="40512365")))
    assert (slots["order_situation"], slots["refund_amount"]) == ("refunded", "€349.00")


def test_an_anonymous_customer_is_asked_to_prove_the_order_is_theirs(real_orders):
    from actions.dialogue.orders import ActionOrderStatus

    slots = run(ActionOrderStatus(), tracker(user("track_order"), slots=conversation("40512351")))
    assert slots["order_situation"] == "ask_verification" and slots.get("order_carrier") is None


def test_the_right_email_verifies_and_answers(real_orders):
    from actions.dialogue.orders import ActionOrderStatus

    given = user("inform", entities=[{"entity": "email", "value": "ana.martin@example.com"}])
    slots = run(ActionOrderStatus(), tracker(user("track_order"), given,
                                             slots=conversation("40512351", asked=VERIFICATION)))
    assert (proved(slots), slots["order_situation"], slots["order_carrier"]) == ("40512351", "in_transit", "UPS")


def test_a_wrong_email_is_echoed_masked_and_counted(real_orders):
    from actions.dialogue.orders import ActionOrderStatus

    given = user("inform", entities=[{"entity": "email", "value": "ben.carter@example.com"}])
    slots = run(ActionOrderStatus(), tracker(user("track_order"), given,
                                             slots=conversation("40512348", asked=VERIFICATION)))
    assert (slots["order_situation"], slots["order_lookup"], slots["masked_email"]) == (
        "ask_verification", "mismatch_email", "b***@example.com")
    assert slots.get("verification_wait") is None and slots.get("order_item") is None


def test_the_fifth_wrong_email_in_a_conversation_says_for_how_long_the_order_cant_be_checked(real_orders):
    from actions.dialogue.orders import ActionOrderStatus

    def reply(email, sender):
        given = user("inform", entities=[{"entity": "email", "value": email}])
        return run(ActionOrderStatus(), tracker(user("track_order"), given,
                                                slots=conversation("40512362", asked=VERIFICATION), sender=sender))

    for n in range(4):
        assert reply(f"guess{n}@example.com", "guesser")["order_lookup"] == "mismatch_email"
    stopped = reply("guess4@example.com", "guesser")
    assert (stopped["order_situation"], stopped["order_id"], stopped["verification_wait"]) == (
        "verification_locked", "40512362", "an hour")
    again = reply("cleo.evans@example.co.uk", "guesser")  # the backend refuses it now
    assert (again["order_situation"], proved(again)) == ("verification_locked", None)
    owner = reply("cleo.evans@example.co.uk", "the owner, in another conversation")
    assert (proved(owner), owner["order_situation"]) == ("40512362", "delivered")


@pytest.fixture
def verifications(monkeypatch):
    """The checks action_order_status asks the backend for: (order, e-mail, postcode, conversation)."""
    from actions.dialogue import order_lookup
    from actions.orders_client import Verification

    asked_for = []

    class Backend:
        def verify(self, number, email=None, postcode=None, conversation=None):
            asked_for.append((number, email, postcode, conversation))
            return Verification(False)

    monkeypatch.setattr(order_lookup, "orders_client", lambda: Backend())
    return asked_for


def test_the_conversation_is_who_asks_for_a_check(verifications):
    from actions.dialogue.orders import ActionOrderStatus

    run(ActionOrderStatus(), tracker(user("track_order"), user("inform", text="75011"),
                                     slots=conversation("40512351", asked=VERIFICATION), sender="conversation-1"))
    assert verifications == [("40512351", None, "75011", "conversation-1")]


@pytest.mark.parametrize("text", ["40512351", "4051 2351", "4051235", "it's 405123511"])
def test_an_order_number_where_the_email_was_asked_is_never_sent_to_be_checked(verifications, text):
    from actions.dialogue.orders import ActionOrderStatus

    slots = run(ActionOrderStatus(), tracker(user("track_order"), user("inform", text=text),
                                             slots=conversation("40512351", asked=VERIFICATION)))
    assert (slots["order_situation"], slots["order_lookup"], slots["order_id"]) == (
        "ask_verification", "order_number", "40512351")
    assert verifications == []


def test_checklist_progress_belongs_to_its_order(real_orders):
    same = tracker(user("return_checklist"), slots={**conversation("40512360", verified_order="40512360"),
                                                     "checklist_step": "3", "checklist_for": "40512360"})
    assert run(ActionReturnChecklist(), same)["checklist_step"] == "3"
    other = tracker(user("return_checklist"), slots={**conversation("40512360", verified_order="40512360"),
                                                      "checklist_step": "3", "checklist_for": "40512348"})
    slots = run(ActionReturnChecklist(), other)
    assert (slots["checklist_step"], slots["checklist_for"], slots["device"]) == ("1", "40512360", "iPhone 12 64GB")


def test_a_missing_package_button_typed_asks_what_happened_like_the_click(real_orders):
    from actions.dialogue.missing import ActionMissingPackage

    typed = user("missing_package", ranking=[("missing_package", 1.0)], text="It's lost or was stolen")
    assert run(ActionMissingPackage(), tracker(typed)).get("missing_what") is None
    told = user("missing_package", ranking=[("missing_package", 0.9), ("track_order", 0.1)],
                text="someone stole my parcel")
    assert run(ActionMissingPackage(), tracker(told))["missing_what"] == "stolen"


def bot(text, *payloads):
    return {"event": "bot", "text": text, "data": {"buttons": [{"title": p, "payload": p} for p in payloads]}}


@pytest.mark.parametrize("before, intent, meant", [
    ((bot("Would you like to talk to a person?", "/human_handoff"),), "affirm", "accept_person"),
    ((bot("Sorry, I lost track there."),), "affirm", "unclear"),
    ((bot("Would you like to talk to a person?", "/human_handoff"),), "deny", "unclear"),
])
def test_a_yes_that_answers_no_order_question(before, intent, meant):
    from actions.dialogue.returns import ActionUnaskedReply

    assert run(ActionUnaskedReply(), tracker(*before, user(intent)))["unasked_reply"] == meant


def test_a_yes_carries_on_with_a_checklist_left_mid_way():
    from actions.dialogue.returns import ActionUnaskedReply

    assert run(ActionUnaskedReply(), tracker(user("affirm"), slots={"checklist_step": "3"}))["unasked_reply"] == \
        "resume_checklist"
