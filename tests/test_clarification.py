from actions.clarification import Turn, misunderstandings_in_a_row, suggest_topics, topics_from_buttons

TOPICS = ["track_order", "shipping_time", "return_label"]


def ranking(*names):
    return [{"name": n, "confidence": 0.1} for n in names]


def test_suggests_the_two_likeliest_topics_in_order():
    assert suggest_topics(ranking("nlu_fallback", "shipping_time", "track_order", "return_label"), TOPICS) == [
        "shipping_time", "track_order"]


def test_never_suggests_chit_chat_or_out_of_scope():
    assert suggest_topics(ranking("nlu_fallback", "greet", "out_of_scope", "return_label", "deny", "track_order"),
                          TOPICS) == ["return_label", "track_order"]


def test_fills_up_from_the_menu_when_the_ranking_has_too_few_topics():
    assert suggest_topics(ranking("nlu_fallback", "shipping_time"), TOPICS) == ["shipping_time", "track_order"]
    assert suggest_topics([], TOPICS) == ["track_order", "shipping_time"]


def clarified(intent):
    return Turn(intent, ("action_clarify", "utter_did_you_mean"))


def lost_track(intent):
    return Turn(intent, ("action_unasked_reply", "action_clarify", "utter_default"))


def test_counts_misunderstandings_in_a_row():
    answered = Turn("track_order", ("action_order_status", "utter_order_status"))
    assert misunderstandings_in_a_row([Turn("greet", ("utter_greet",)), clarified("nlu_fallback")]) == 1
    assert misunderstandings_in_a_row([clarified("nlu_fallback"), clarified("nlu_fallback")]) == 2
    # "something else" in answer to the suggestions does not break the run
    something_else = Turn("deny", ("utter_ask_rephrase", "utter_topics"))
    assert misunderstandings_in_a_row([clarified("nlu_fallback"), something_else, clarified("nlu_fallback")]) == 2
    # an understood message does
    assert misunderstandings_in_a_row([clarified("nlu_fallback"), answered, clarified("nlu_fallback")]) == 1
    assert misunderstandings_in_a_row([answered]) == 0


def test_a_yes_or_no_that_answers_nothing_is_a_misunderstanding_too():
    # "Sorry, I lost track there" twice, as after "ok let's carry on" and "next" with nothing to carry on
    assert misunderstandings_in_a_row([lost_track("affirm"), lost_track("affirm")]) == 2
    assert misunderstandings_in_a_row([clarified("nlu_fallback"), lost_track("affirm")]) == 2


def test_topics_come_from_the_menu_buttons():
    buttons = [{"title": "Where's my order?", "payload": "/track_order"}, {"title": "x", "payload": "http://e"}]
    assert topics_from_buttons(buttons) == {"track_order": "Where's my order?"}
