"""Personalised return answers over REST, from the real order backend's seeded returns."""
import re

import pytest

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("question, says", [
    ("I want to return order 40512351", ["I don't see a return request", "Pixel 7 128GB", "\"Get help\""]),
    ("where is my return label for order 40512360", ["Your prepaid DHL return label", "iPhone 12 64GB",
                                                     "https://labels.example.com/r/40512360.pdf", "It's valid until"]),
    ("how long do I have to send back order 40512360", ["days from now"]),
    # support works to Paris time: for this New York customer, its end of day is an exact time,
    # in New York time (named, since the clocks differ)
    ("I never got a return label, order 40512361", ["no return label has been issued yet", "reach out to you by",
                                                    "PM New York time with a return label"]),
    ("is my return label still valid? order 40512362", ["no longer valid", "14 days from when you asked for help",
                                                        "expired"]),
    ("has the seller received my return? order 40512363", ["left", "with USPS",
                                                           "https://tools.usps.com/go/TrackConfirmAction"]),
    ("did the seller get my return 40512364", ["You've sent your Galaxy Watch4", "the seller received it",
                                                "Your refund hasn't been made yet"]),
    ("when do I get my refund for order 40512365", ["refund of €349.00 was made"]),
])
def test_each_return_state_gets_its_personalised_answer(chat, question, says):
    chat.log_in_as_owner_of(re.search(r"\d{8}", question).group())
    answer = chat.text(question)
    for phrase in says:
        assert phrase in answer, f"{phrase!r} not in {answer!r}"


def test_the_checklist_speaks_of_the_customers_own_return(chat):
    chat.log_in_as_owner_of("40512360")
    chat.say("where is my return label for order 40512360")
    chat.say("what do I need to do before sending it back?")
    chat.say("next")
    step3 = chat.text("next")
    assert "Apple ID" in step3 and "iPhone 12 64GB" in step3
    step4 = chat.text("next")
    assert "40512360" in step4 and "\"return for repair\"" in step4
    chat.say("next")
    step6 = chat.text("next")
    assert "your label is for DHL" in step6 and "at-home pickup" in step6


def test_the_carrier_on_the_customers_label(chat):
    chat.log_in_as_owner_of("40512362")
    chat.say("has the seller received my return? order 40512362")  # UPS label, drop-off only
    assert "UPS drop-off location" in chat.text("which carrier should I use?")


def test_an_unverified_order_number_personalises_nothing(chat):
    chat.say("where is my return label for order 40512360")  # someone else's, not verified
    said = chat.text("what do I need to do before sending it back?")
    for _ in range(6):
        said += chat.text("next")
    said += chat.text("which carrier should I use?")
    assert "Step 6 of 6" in said and "That's everything" in said
    for private in ("iPhone 12 64GB", 'the reason for the return: "return for repair"', "your order number: 40512360",
                    "your label is for DHL", "With DHL"):
        assert private not in said


def test_an_unverified_order_number_says_nothing_about_its_delivery(chat):
    chat.say("track order 40512352")  # someone else's, not verified
    answer = chat.text('/missing_package{"what_happened": "not_delivered"}')
    assert "AirPods" not in answer and "FedEx" not in answer


def stop_anas_checklist_at_step_4(chat):
    """Ana (two iPhones on her account) walks her iPhone 12's checklist to step 4 and stops."""
    chat.log_in_as("cus_ana")
    assert "Step 1 of 6" in chat.text("what do I need to do before I send my iPhone 12 back?")
    for _ in range(3):
        chat.say("next")
    assert "carry on" in chat.text("stop")


@pytest.mark.parametrize("carry_on", [
    "ok let's carry on with the checklist", "continue", "next", "carry on", "where was I",
    "continue the checklist for order 40512360", "/return_checklist",  # the button under "stop"
    "what do I need to do before I send my iPhone back?",  # two iPhones: the one we were on
])
def test_a_stopped_checklist_carries_on_from_its_step_for_its_order(chat, carry_on):
    stop_anas_checklist_at_step_4(chat)
    step = chat.text(carry_on)
    assert "Step 4 of 6" in step and "your order number: 40512360" in step, step


def test_a_stopped_checklist_carries_on_after_talking_about_another_order(chat):
    stop_anas_checklist_at_step_4(chat)
    assert "Pixel 7" in chat.text("where is my pixel?")
    step = chat.text("ok, let's continue the checklist")
    assert "Step 4 of 6" in step and "your order number: 40512360" in step, step
    assert "Step 5 of 6" in chat.text("next")


def test_next_after_an_answer_carries_on_with_the_stopped_checklist(chat):
    stop_anas_checklist_at_step_4(chat)
    chat.say("where is my pixel?")
    step = chat.text("next")
    assert "Step 4 of 6" in step and "40512360" in step, step


def test_a_checklist_interrupted_by_another_question_carries_on_too(chat):
    chat.log_in_as("cus_ana")
    chat.say("what do i have to do before sending back my iphone 12")
    assert "Step 2 of 6" in chat.text("next")
    chat.say("actually wheres my pixel")
    assert "Step 2 of 6" in chat.text("go on")
    chat.say("actually wheres my pixel")
    step = chat.text("umm where were we")
    assert "Step 2 of 6" in step and "pick up" in step, step


def test_a_finished_or_never_started_checklist_is_not_carried_on_by_a_yes(chat):
    chat.log_in_as("cus_ana")
    assert "Step" not in chat.text("next")
