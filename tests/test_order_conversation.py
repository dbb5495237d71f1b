"""The order conversation's decisions (actions/order_conversation.py), without Rasa."""
from dataclasses import replace
from datetime import datetime, timezone

import pytest

from actions.order_conversation import (
    ANSWER, ASK_ORDER_NUMBER, ASK_VERIFICATION, CHECK_LATER, CHOOSE_ORDER, GENERAL, LIST_ORDERS, LOCKED, MISMATCH,
    GENERAL_UNPROVEN, MISMATCH_EMAIL, NOT_A_CHECK, NOTHING_MORE, OFFER, PROOF_OFFER, REQUESTED, OFFER_PERSON, ORDER_NUMBER, PASS, PAUSED_CHECKS,
    ORDER_SYSTEM_DOWN, VERIFICATION, VERIFY, OFFER_TOPIC, WHICH_ORDER, Facts, State, may_see, next_step,
    question_of, second_question, second_step,
)
from actions.orders_client import (
    INVALID, NOT_FOUND, PAUSED, TOO_MANY_ATTEMPTS, UNAVAILABLE as BACKEND_DOWN, OrderSummary,
)

PLACED = datetime(2026, 11, 1, tzinfo=timezone.utc)


def order(number, *items):
    """An order as the backend lists it: items as (name, kind)."""
    return OrderSummary(number, PLACED, tuple(n for n, _ in items), tuple(k for _, k in items))


# Ana's orders, newest first (backend/seed.yml)
IPHONE_13 = order("40512345", ("iPhone 13 128GB", "smartphone"))
MACBOOK = order("40512348", ("MacBook Air 13 (2020)", "laptop"))
PIXEL = order("40512351", ("Pixel 7 128GB", "smartphone"))
IPHONE_12 = order("40512360", ("iPhone 12 64GB", "smartphone"))
WATCH = order("40512364", ("Galaxy Watch4", "smartwatch"))
ANA = (IPHONE_13, MACBOOK, PIXEL, IPHONE_12, WATCH)


# The conversation's State, as tests name its parts: what the assistant asked in answer to
# the message before this one, the order it remembers and what that order holds, ...
STATE = {"topic": "topic", "asked": "asked", "remembered": "order", "remembered_things": "things",
         "verified_order": "verified_order", "offered": "offered", "later": "later_question"}


def anonymous(intent, text="", **facts):
    state = {STATE[name]: facts.pop(name) for name in list(facts) if name in STATE}
    if state.get("asked"):
        state["asked_in_turn"] = 0  # asked in reply to the message before this one
    return Facts(intent=intent, text=text, turn=1, state=State(**state), **facts)


def logged_in(intent, text="", orders=ANA, **facts):
    return anonymous(intent, text, customer="cus_ana", customer_orders=orders, **facts)


# ---- Answer first --------------------------------------------------------------------

@pytest.mark.parametrize("topic", ["shipping_time", "order_late", "order_not_confirmed", "return_item",
                                   "return_label", "return_deadline", "return_status", "refund_status"])
def test_a_general_question_gets_the_rule_at_once(topic):
    step = next_step(anonymous(topic, "when will my order ship?"))
    assert (step.kind, step.topic) == (GENERAL, topic)
    assert question_of(step.kind) == OFFER  # a number given next makes it exact


def test_an_order_number_given_unprompted_is_checked_then_answered_where_it_is():
    step = next_step(anonymous("inform", "40512351", number_given="40512351"))
    assert (step.kind, step.topic, step.order) == (ASK_VERIFICATION, "track_order", "40512351")


def test_only_where_is_it_asks_for_the_order_number_first():
    assert next_step(anonymous("track_order", "where is my order?")).kind == ASK_ORDER_NUMBER


def test_the_number_after_the_offer_leads_to_the_check_that_the_order_is_theirs():
    step = next_step(anonymous("inform", "40512351", asked=OFFER, topic="shipping_time", number_given="40512351"))
    assert (step.kind, step.topic, step.order) == (ASK_VERIFICATION, "shipping_time", "40512351")


def test_yes_to_the_offer_asks_for_the_number_and_no_ends_it():
    step = next_step(anonymous("affirm", "sure", asked=OFFER, topic="return_label"))
    assert (step.kind, step.lookup) == (ASK_ORDER_NUMBER, REQUESTED)
    assert next_step(anonymous("deny", "no thanks", asked=OFFER, topic="return_label")).kind == NOTHING_MORE


# ---- Replies understood in context ------------------------------------------------------

@pytest.mark.parametrize("intent, text", [
    ("nlu_fallback", "I don't know it"),
    ("track_order", "i don't know my order number"),
    ("deny", "can't find it"),
    ("missing_package", "I lost the email"),
    ("out_of_scope", "no idea, just tell me generally"),
    ("deny", "/deny"),  # the "I don't have it" button
    ("nlu_fallback", "nope"),
])
def test_not_having_the_order_number_gets_the_general_answer_whatever_nlu_said(intent, text):
    step = next_step(anonymous(intent, text, asked=ORDER_NUMBER, topic="track_order"))
    assert (step.kind, step.topic) == (GENERAL, "track_order")


def test_not_having_the_email_or_postcode_gets_the_general_answer_and_keeps_the_number():
    step = next_step(anonymous("order_not_confirmed", "I lost the email", asked=VERIFICATION,
                               topic="shipping_time", remembered="40512348"))
    assert (step.kind, step.topic, step.order) == (GENERAL_UNPROVEN, "shipping_time", "40512348")


def test_a_number_inside_a_sentence_is_the_answer():
    step = next_step(anonymous("inform", "it's 40512351 I think", asked=ORDER_NUMBER, topic="track_order",
                               number_given="40512351"))
    assert (step.kind, step.order) == (ASK_VERIFICATION, "40512351")


def test_an_email_or_postcode_is_checked_with_the_backend_then_answers():
    asked = anonymous("inform", "my email is ana.martin@example.com ok", asked=VERIFICATION, topic="track_order",
                      remembered="40512351", email="ana.martin@example.com")
    assert (next_step(asked).kind, next_step(asked).order) == (VERIFY, "40512351")
    verified = next_step(replace(asked, verified=True))
    assert (verified.kind, verified.order, verified.verified_order) == (ANSWER, "40512351", "40512351")
    postcode = anonymous("nlu_fallback", "75011", asked=VERIFICATION, remembered="40512351", postcode="75011")
    assert next_step(postcode).kind == VERIFY


def test_a_wrong_email_is_asked_again_until_the_backend_says_that_was_the_last_check():
    wrong = anonymous("inform", "ben.carter@example.com", asked=VERIFICATION, remembered="40512348",
                      email="ben.carter@example.com", verified=False)
    step = next_step(wrong)
    assert (step.kind, step.lookup, step.order) == (ASK_VERIFICATION, MISMATCH_EMAIL, "40512348")
    postcode = next_step(replace(wrong, email=None, postcode="10001"))
    assert postcode.lookup == MISMATCH
    last = next_step(replace(wrong, wait_s=3600))
    assert (last.kind, last.order, last.wait_s) == (LOCKED, "40512348", 3600)


def test_the_conversation_keeps_no_count_of_its_own_the_backend_decides_each_time():
    # after being stopped, the e-mail is sent again: the backend says whether it still waits
    after = anonymous("inform", "ana.martin@example.com", asked=CHECK_LATER, remembered="40512351",
                      email="ana.martin@example.com")
    assert next_step(after).kind == VERIFY
    assert next_step(replace(after, text="75011", email=None, postcode="75011")).kind == VERIFY
    assert next_step(anonymous("affirm", "ok", asked=CHECK_LATER, remembered="40512351")).kind == NOTHING_MORE
    refused = next_step(replace(after, lookup=TOO_MANY_ATTEMPTS, wait_s=1200))
    assert (refused.kind, refused.order, refused.wait_s) == (LOCKED, "40512351", 1200)
    assert next_step(replace(after, verified=True)).kind == ANSWER  # once the wait is over


def test_checks_paused_by_others_say_how_long_and_ask_again_afterwards():
    paused = next_step(anonymous("inform", "ana.martin@example.com", asked=VERIFICATION, remembered="40512351",
                                 email="ana.martin@example.com", lookup=PAUSED, wait_s=300))
    assert (paused.kind, paused.order, paused.wait_s) == (PAUSED_CHECKS, "40512351", 300)
    assert question_of(PAUSED_CHECKS) == question_of(LOCKED) == CHECK_LATER


@pytest.mark.parametrize("facts", [
    logged_in("track_order", "where is order 40512351", number_given="40512351"),
    # the owner logs in on the website in a conversation that was stopped for that order
    logged_in("inform", "ana.martin@example.com", email="ana.martin@example.com", remembered="40512351",
              asked=VERIFICATION),
])
def test_a_logged_in_customer_is_never_asked_to_prove_an_order_so_never_stopped(facts):
    step = next_step(facts)
    assert (step.kind, step.order) == (ANSWER, "40512351")


@pytest.mark.parametrize("text, number", [
    ("40512351", "40512351"),  # the same order number again
    ("it's 4051235", None),  # mistyped
    ("405123511", None),
    ("order number 4051 23", None),
])
def test_an_order_number_where_the_email_was_asked_is_not_checked(text, number):
    step = next_step(anonymous("inform", text, asked=VERIFICATION, topic="track_order", remembered="40512351",
                               number_given=number))
    assert (step.kind, step.lookup, step.order) == (ASK_VERIFICATION, NOT_A_CHECK, "40512351")


def test_another_order_number_where_the_email_was_asked_switches_orders_unchecked():
    step = next_step(anonymous("inform", "40512348", asked=VERIFICATION, remembered="40512351",
                               number_given="40512348"))
    assert (step.kind, step.lookup, step.order) == (ASK_VERIFICATION, None, "40512348")


def test_a_number_of_the_wrong_length_is_asked_again():
    step = next_step(anonymous("inform", "4051235", asked=ORDER_NUMBER, topic="track_order"))
    assert (step.kind, step.lookup) == (ASK_ORDER_NUMBER, INVALID)


def test_a_new_question_instead_of_the_number_is_answered():
    step = next_step(anonymous("return_deadline", "how long is my return label valid?", asked=ORDER_NUMBER,
                               topic="track_order"))
    assert (step.kind, step.topic) == (GENERAL, "return_deadline")


@pytest.mark.parametrize("intent, text", [
    ("out_of_scope", "what's the weather like?"),
    ("missing_package", "it was stolen from my doorstep"),
    ("nlu_fallback", "this is useless!!"),
])
def test_a_message_that_answers_nothing_asked_is_left_to_its_own_rule(intent, text):
    assert next_step(anonymous(intent, text, asked=ORDER_NUMBER, topic="track_order")).kind == PASS


def test_a_missing_package_is_left_to_its_rule_unless_it_says_they_dont_have_the_number():
    assert next_step(anonymous("missing_package", "40512351 never arrived", asked=ORDER_NUMBER,
                               number_given="40512351")).kind == PASS
    assert next_step(anonymous("missing_package", "I lost the email", asked=ORDER_NUMBER)).kind == GENERAL


# ---- After an answer ----------------------------------------------------------------------

def test_a_yes_no_or_detail_after_an_answer_asks_what_else():
    for intent, text in (("deny", "no"), ("affirm", "ok"), ("inform", "my name is Ana")):
        assert next_step(anonymous(intent, text, topic="track_order", remembered="40512351",
                                   verified_order="40512351")).kind == NOTHING_MORE


def test_another_product_after_an_answer_gets_the_same_question_answered_for_it():
    step = next_step(logged_in("out_of_scope", "what about the macbook?", devices=("MacBook",), topic="shipping_time",
                               remembered="40512351"))
    assert (step.kind, step.topic, step.order) == (ANSWER, "shipping_time", "40512348")


def test_something_else_after_an_answer_is_left_to_its_rule():
    assert next_step(logged_in("out_of_scope", "what's the weather?", topic="track_order",
                               remembered="40512351")).kind == PASS
    assert next_step(logged_in("missing_package", "/missing_package", topic="track_order",
                               remembered="40512352")).kind == PASS


@pytest.mark.parametrize("intent, text", [
    ("deny", "no!! i want a real person NOW"),
    ("inform", "this is ridiculous"),
])
def test_someone_upset_or_asking_for_a_person_is_offered_one(intent, text):
    assert next_step(anonymous(intent, text, asked=ORDER_NUMBER, topic="track_order")).kind == OFFER_PERSON


def test_what_each_situation_asks():
    assert [question_of(s) for s in (ASK_ORDER_NUMBER, ASK_VERIFICATION, CHOOSE_ORDER, GENERAL, ANSWER)] == [
        ORDER_NUMBER, VERIFICATION, WHICH_ORDER, OFFER, None]


# ---- Two questions in one message ---------------------------------------------------------

def test_the_second_question_is_answered_right_after_the_first():
    facts = anonymous("return_item", "my order is late and can i just return it instead?", also_asked="order_late")
    step = next_step(facts)
    assert step.kind == GENERAL
    assert second_question(facts, step) == ("order_late", None)
    second = second_step(facts, "order_late")
    assert (second.kind, second.topic) == (GENERAL, "order_late")


def test_a_logged_in_customer_gets_both_answers_about_the_order_named():
    facts = logged_in("return_label", "where's the label for my iphone 12 and when is the deadline",
                      devices=("iphone 12",), also_asked="return_deadline")
    first, second = next_step(facts), second_step(facts, "return_deadline")
    assert (first.kind, first.order) == (ANSWER, IPHONE_12.number)
    assert (second.kind, second.topic, second.order) == (ANSWER, "return_deadline", IPHONE_12.number)


def test_the_second_question_waits_while_the_assistant_asks_for_the_order():
    facts = anonymous("track_order", "where is my order and when can i return it", also_asked="return_deadline")
    step = next_step(facts)
    assert step.kind == ASK_ORDER_NUMBER
    assert second_question(facts, step) == (None, "return_deadline")
    reply = anonymous("inform", "40512351", asked=ORDER_NUMBER, topic="track_order", number_given="40512351",
                      verified_order="40512351", later="return_deadline")
    step = next_step(reply)
    assert step.kind == ANSWER
    assert second_question(reply, step) == ("return_deadline", None)


def test_a_second_question_another_rule_answers_is_offered():
    facts = anonymous("order_late", "my order is late, how do i contact the seller", also_asked="contact_seller",
                      topic="order_late")
    assert (second_step(facts, "contact_seller").kind, second_step(facts, "contact_seller").topic) == \
        (OFFER_TOPIC, "contact_seller")


def test_the_same_topic_twice_is_one_question():
    facts = anonymous("order_late", "my order is late, it's really late", also_asked="order_late")
    assert second_question(facts, next_step(facts)) == (None, None)


# ---- Who may see an order ---------------------------------------------------------------

def test_only_the_owner_or_a_verified_anonymous_customer_may_see_an_order():
    assert may_see("cus_ana", "40512351", customer="cus_ana", verified_order=None)
    assert not may_see("cus_ana", "40512351", customer="cus_ben", verified_order="40512351")
    assert may_see("cus_ana", "40512351", customer=None, verified_order="40512351")
    assert not may_see("cus_ana", "40512351", customer=None, verified_order="40512348")


def test_an_anonymous_customer_proves_the_order_before_anything_is_looked_up():
    step = next_step(anonymous("track_order", "where is order 40512351", number_given="40512351"))
    assert (step.kind, step.order) == (ASK_VERIFICATION, "40512351")
    assert next_step(anonymous("track_order", "and now?", remembered="40512351",
                               verified_order="40512351")).kind == ANSWER


# ---- Logged-in customers and orders by what they are --------------------------------------

def test_a_logged_in_customers_orders_are_listed_first():
    step = next_step(Facts(intent="track_order", text="where is my order?", customer="cus_ana"))
    assert step.kind == LIST_ORDERS


def test_a_logged_in_customer_with_one_order_gets_its_answer_straight_away():
    step = next_step(logged_in("shipping_time", "when will it ship?", orders=(MACBOOK,)))
    assert (step.kind, step.order) == (ANSWER, "40512348")


def test_a_logged_in_customer_with_several_orders_chooses_among_the_latest_three():
    step = next_step(logged_in("track_order", "where is my order?"))
    assert step.kind == CHOOSE_ORDER and step.choices == (IPHONE_13, MACBOOK, PIXEL)


@pytest.mark.parametrize("text, devices, number", [
    ("when will my macbook ship", ["MacBook"], "40512348"),
    ("where is my iphone 13", ["iPhone 13"], "40512345"),
    ("has my watch arrived", ["watch"], "40512364"),
    ("where's the pixel", [], "40512351"),  # no device entity: the item's own name in the text
])
def test_a_product_named_picks_that_order(text, devices, number):
    step = next_step(logged_in("track_order", text, devices=tuple(devices)))
    assert (step.kind, step.order) == (ANSWER, number)


def test_two_orders_of_that_kind_ask_which_one():
    step = next_step(logged_in("return_label", "where's the label for my iphone", devices=("iPhone",)))
    assert step.kind == CHOOSE_ORDER and step.choices == (IPHONE_13, IPHONE_12)


def test_two_orders_of_that_kind_while_talking_about_one_of_them_mean_that_one():
    step = next_step(logged_in("return_checklist", "what do I need to do before I send my iPhone back?",
                               devices=("iPhone",), remembered=IPHONE_12.number))
    assert (step.kind, step.order) == (ANSWER, IPHONE_12.number)
    # the conversation's order isn't an iPhone: they choose
    other = next_step(logged_in("track_order", "where's my iphone", devices=("iPhone",), remembered=MACBOOK.number))
    assert other.kind == CHOOSE_ORDER


def test_a_reply_to_which_one_by_what_sets_it_apart():
    asked = logged_in("inform", "the 12", asked=WHICH_ORDER, topic="return_label",
                      offered=("40512345", "40512360"))
    assert (next_step(asked).kind, next_step(asked).order) == (ANSWER, "40512360")
    assert next_step(replace(asked, text="I don't know", intent="nlu_fallback")).kind == GENERAL
    assert next_step(replace(asked, text="none of them", intent="deny")).kind == ASK_ORDER_NUMBER


def test_another_product_switches_away_from_the_order_being_discussed():
    step = next_step(logged_in("return_label", "also i need to send back my iphone 13, where's the return label",
                               devices=("iPhone 13",), remembered="40512348", topic="shipping_time"))
    assert (step.kind, step.topic, step.order) == (ANSWER, "return_label", "40512345")


def test_a_product_not_in_any_order_is_never_guessed():
    step = next_step(logged_in("track_order", "where is my iphone 15", devices=("iPhone 15",), remembered="40512348"))
    assert step.kind == CHOOSE_ORDER and step.order is None
    single = next_step(logged_in("track_order", "where is my iphone 15", devices=("iPhone 15",), orders=(MACBOOK,)))
    assert single.kind == ASK_ORDER_NUMBER


def test_an_anonymous_customer_naming_another_product_gets_the_rule_not_the_verified_order():
    step = next_step(anonymous("return_label", "and my iphone 13, where's the return label", devices=("iPhone 13",),
                               remembered="40512348", verified_order="40512348",
                               remembered_things=("MacBook Air 13 (2020)", "laptop")))
    assert (step.kind, step.order) == (GENERAL, None)
    same = next_step(anonymous("return_label", "the macbook's label?", devices=("MacBook",), remembered="40512348",
                               verified_order="40512348", remembered_things=("MacBook Air 13 (2020)", "laptop")))
    assert (same.kind, same.order) == (ANSWER, "40512348")


# ---- When the backend can't answer ----------------------------------------------------------

@pytest.mark.parametrize("lookup, kind", [
    (NOT_FOUND, ASK_ORDER_NUMBER), (INVALID, ASK_ORDER_NUMBER), (TOO_MANY_ATTEMPTS, LOCKED), (PAUSED, PAUSED_CHECKS),
    (BACKEND_DOWN, ORDER_SYSTEM_DOWN),
])
def test_what_the_backend_refused_decides_the_answer(lookup, kind):
    step = next_step(anonymous("inform", "99999999", number_given="99999999", lookup=lookup))
    assert step.kind == kind
    if kind == ASK_ORDER_NUMBER:
        assert (step.lookup, step.order) == (lookup, None)


# ---- A number given, but not proved ----------------------------------------------------------

def test_without_the_email_or_postcode_the_rule_keeps_the_number_and_offers_to_check_it():
    asked = anonymous("deny", "I don't have them", asked=VERIFICATION, topic="order_late", remembered="40512351")
    step = next_step(asked)
    assert (step.kind, step.topic, step.order) == (GENERAL_UNPROVEN, "order_late", "40512351")
    assert question_of(step.kind) == PROOF_OFFER


@pytest.mark.parametrize("reply, kind", [
    ("found it, ana.martin@example.com", VERIFY),  # checks the number given before
    ("75011", VERIFY),
    ("yes", ASK_VERIFICATION),  # asks for the e-mail, not the number again
    ("no thanks", NOTHING_MORE),
    ("I don't know it", NOTHING_MORE),
])
def test_after_the_offer_to_check_it_a_reply_is_about_that_order(reply, kind):
    facts = anonymous("inform", reply, asked=PROOF_OFFER, topic="order_late", remembered="40512351",
                      email="ana.martin@example.com" if "@" in reply else None,
                      postcode="75011" if reply == "75011" else None)
    step = next_step(facts)
    assert step.kind == kind
    assert step.order == "40512351"


# ---- A checklist left mid-way --------------------------------------------------------------------

def test_a_yes_after_an_answer_is_passed_on_when_a_checklist_waits():
    answered = logged_in("affirm", "next", remembered=PIXEL.number, topic="track_order")
    assert next_step(answered).kind == NOTHING_MORE
    assert next_step(replace(answered, checklist_waiting=True)).kind == PASS
    # a no still closes
    assert next_step(replace(answered, intent="deny", text="no", checklist_waiting=True)).kind == NOTHING_MORE



def test_a_yes_to_a_person_offered_is_passed_on_to_hand_over():
    offered = anonymous("affirm", "yes please", topic="track_order", offered_person=True)
    assert next_step(offered).kind == PASS
    locked = anonymous("affirm", "yes", asked=CHECK_LATER, topic="track_order", remembered="40512350",
                       offered_person=True)
    assert next_step(locked).kind == PASS
    assert next_step(replace(locked, offered_person=False)).kind == NOTHING_MORE
