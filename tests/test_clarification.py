from actions.clarification import misunderstandings_in_a_row, suggest_topics, topics_from_buttons

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


def test_counts_misunderstandings_in_a_row():
    assert misunderstandings_in_a_row(["greet", "nlu_fallback"]) == 1
    assert misunderstandings_in_a_row(["nlu_fallback", "nlu_fallback"]) == 2
    # "something else" in answer to the suggestions does not break the run
    assert misunderstandings_in_a_row(["nlu_fallback", "deny", "nlu_fallback"]) == 2
    # an understood message does
    assert misunderstandings_in_a_row(["nlu_fallback", "track_order", "nlu_fallback"]) == 1
    assert misunderstandings_in_a_row(["track_order"]) == 0


def test_topics_come_from_the_menu_buttons():
    buttons = [{"title": "Where's my order?", "payload": "/track_order"}, {"title": "x", "payload": "http://e"}]
    assert topics_from_buttons(buttons) == {"track_order": "Where's my order?"}
