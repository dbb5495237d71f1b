from language.clauses import clauses, two_questions


def test_two_questions_joined_by_and_are_two_parts():
    assert clauses("my order is late and can i just return it instead?") == \
        ["my order is late", "can i just return it instead"]


def test_sentences_are_parts_and_a_leading_also_is_dropped():
    assert clauses("where is my order? also how long is the label valid") == \
        ["where is my order", "how long is the label valid"]


def test_short_pieces_stay_whole():
    assert clauses("where and when") == ["where and when"]
    assert clauses("thanks and bye") == ["thanks and bye"]
    assert clauses("hi, where is my order") == ["hi, where is my order"]


def test_a_message_that_is_only_punctuation_is_kept():
    assert clauses("???") == ["???"]


def ranked(*pairs):
    return [{"name": name, "confidence": confidence} for name, confidence in pairs]


def test_two_clear_questions_are_not_a_doubt_between_them():
    whole = ranked(("return_deadline", 0.41), ("return_label", 0.39), ("track_order", 0.1))
    ranking, also = two_questions(whole, ranked(("return_deadline", 0.9), ("return_label", 0.8)))
    assert ranking[0] == {"name": "return_deadline", "confidence": 0.9}
    assert [r["name"] for r in ranking] == ["return_deadline", "return_label", "track_order"]
    assert also == {"name": "return_label", "confidence": 0.8}


def test_when_the_whole_reads_as_neither_the_first_question_leads():
    whole = ranked(("order_late", 0.5), ("return_item", 0.3), ("track_order", 0.2))
    ranking, also = two_questions(whole, ranked(("track_order", 0.95), ("return_item", 0.85)))
    assert ranking[0] == {"name": "track_order", "confidence": 0.95}
    assert also["name"] == "return_item"


def test_one_part_of_another_topic_is_also_asked_and_the_whole_still_leads():
    whole = ranked(("return_item", 0.83), ("order_late", 0.1))
    assert two_questions(whole, ranked(("order_late", 0.96))) == (whole, {"name": "order_late", "confidence": 0.96})
    assert two_questions(whole, ranked(("return_item", 0.9))) == (whole, None)
    assert two_questions(whole, []) == (whole, None)
