from language.clauses import clauses


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
