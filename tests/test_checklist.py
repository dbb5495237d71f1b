from actions import checklist
from actions.checklist import BACK, DONE, FORWARD, PAUSE, START, Position, carries_on, movement


def test_starts_at_the_photos():
    assert checklist.start(None) == Position("1")


def test_resumes_where_the_customer_left_off():
    assert checklist.start("4") == Position("4", resumed=True)


def test_starts_over_after_finishing_or_from_step_one():
    assert checklist.start(DONE) == Position("1")
    assert checklist.start("1") == Position("1")


def test_walks_forward_to_done_and_stays_there():
    steps = []
    current = None
    for _ in range(8):
        current = checklist.forward(current)
        steps.append(current)
    assert steps == ["1", "2", "3", "4", "5", "6", DONE, DONE]


def test_walks_back_but_not_before_the_first_step():
    assert checklist.back("3") == "2"
    assert checklist.back("1") == "1"
    assert checklist.back(DONE) == "6"
    assert checklist.back(None) == "1"


def test_at_a_step_next_back_and_stop_move_and_anything_else_starts_or_resumes():
    assert [movement(i, step_just_shown=True) for i in ("affirm", "previous_step", "deny", "return_checklist")] == \
        [FORWARD, BACK, PAUSE, START]
    # "I'll do it later" (goodbye) stops there too: the checklist waits at its step
    assert movement("goodbye", step_just_shown=True) == PAUSE
    # away from a step (after "stop", or later), a "next" or "carry on" resumes rather than skips
    assert movement("affirm", step_just_shown=False) == START


def test_a_yes_or_back_carries_on_only_with_a_checklist_left_mid_way():
    assert carries_on("affirm", "4") and carries_on("previous_step", "2")
    assert not carries_on("deny", "4")
    assert not carries_on("affirm", None) and not carries_on("affirm", DONE)
