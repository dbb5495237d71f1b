"""The order conversation's situations (actions/situations.py) and domain.yml agree both ways:
every situation has its wording, every wording names a situation, and the slot that picks
them offers exactly these."""
from pathlib import Path

import yaml

from actions.situations import Situation

ROOT = Path(__file__).parent.parent
DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text())
HANDOFF_WORDS = yaml.safe_load((ROOT / "actions" / "handoff.yml").read_text())
VARIATIONS = DOMAIN["responses"]["utter_order_status"]


def situation_said_by(variation):
    return next((c["value"] for c in variation.get("condition") or [] if c["name"] == "order_situation"), None)


def test_the_slot_offers_exactly_the_situations():
    assert DOMAIN["slots"]["order_situation"]["type"] == "categorical"
    assert DOMAIN["slots"]["order_situation"]["values"] == [s.value for s in Situation]


def test_every_situation_has_its_wording():
    worded = {situation_said_by(v) for v in VARIATIONS}
    assert [s.value for s in Situation if s.value not in worded] == []


def test_every_wording_names_a_situation():
    known = {s.value for s in Situation}
    assert [situation_said_by(v) for v in VARIATIONS if situation_said_by(v) not in known] == []


def test_the_agents_words_for_where_an_order_stands_are_for_situations():
    assert set(HANDOFF_WORDS["order_states"]) <= {s.value for s in Situation}


def test_a_second_question_offered_and_a_choice_of_orders_are_situations():
    assert Situation.offer("return_carrier") is Situation.OFFER_RETURN_CARRIER
    assert Situation.choose_order(2) is Situation.CHOOSE_ORDER_2 and Situation.choose_order(3) is Situation.CHOOSE_ORDER_3
    assert str(Situation.DELIVERED) == "delivered"
