"""`make review-export`: labelled messages become training data, never a held-out one, never
twice, and identifiers only as examples of their kind."""
from datetime import datetime, timedelta, timezone

import pytest
import yaml

from insights import store
from insights.export import export

HELD_OUT = "order #[73019284](order_id) where is it now"  # tests/nlu/test_nlu.yml holds it
HELD_OUT_AS_CUSTOMERS_WROTE_IT = "Order #[order] where is it now?"
IN_TRAINING = "3 weeks?? where is my order, this is beyond late"  # data/nlu/orders.yml


@pytest.fixture
def queue(tmp_path):
    engine = store.connect(f"sqlite:///{tmp_path / 'insights.db'}")
    at = datetime(2026, 12, 1, tzinfo=timezone.utc)

    def labelled(text, label, language="en", minutes=0):
        with engine.begin() as connection:
            connection.execute(store.review_items.insert().values(
                key=f"c:{text}:{minutes}", conversation="c", at=at, text=text, language=language, kind="fallback",
                guesses="[]", label=label, labelled_by="maria", labelled_at=at + timedelta(minutes=minutes)))
    labelled.engine = engine
    return labelled


def exported(queue, out):
    with queue.engine.connect() as connection:
        counts = export(connection, out)
    return counts, yaml.safe_load(out.read_text())["nlu"]


def test_labelled_messages_become_examples_of_their_intent_and_language(queue, tmp_path):
    queue("is my gizmo on its way", "track_order")
    queue("mon colis est où là", "track_order", "fr")
    queue("can i pay with crypto", "out_of_scope")
    queue("qwerty", "discarded")
    counts, nlu = exported(queue, tmp_path / "reviewed.yml")
    assert {(b["intent"], b["metadata"]["language"], b["examples"]) for b in nlu} == {
        ("track_order", "en", "- is my gizmo on its way\n"), ("track_order", "fr", "- mon colis est où là\n"),
        ("out_of_scope", "en", "- can i pay with crypto\n")}
    assert counts["written"] == 3 and counts["labelled"] == 3  # the discarded one isn't even read


def test_held_out_and_known_messages_are_left_out(queue, tmp_path):
    queue(HELD_OUT_AS_CUSTOMERS_WROTE_IT, "track_order")
    queue(IN_TRAINING.upper(), "order_late")
    queue("where did my parcel go", "track_order")
    queue("Where did my parcel go?", "track_order", minutes=1)
    counts, nlu = exported(queue, tmp_path / "reviewed.yml")
    assert (counts["held_out"], counts["in_training"], counts["repeated"], counts["written"], counts["new"]) == (1, 1, 1, 1, 1)
    assert nlu[0]["examples"] == "- Where did my parcel go?\n"


def test_identifiers_become_examples_of_their_entity(queue, tmp_path):
    queue("is [order] shipped, my mail is [email]", "track_order")
    queue("call me on [number]", "human_handoff")
    counts, nlu = exported(queue, tmp_path / "reviewed.yml")
    assert nlu[0]["examples"] == "- is [40512345](order_id) shipped, my mail is [customer@example.com](email)\n"
    assert counts["unusable"] == 1


def test_an_export_keeps_the_earlier_ones_and_a_new_label_wins(queue, tmp_path):
    out = tmp_path / "reviewed.yml"
    queue("where did my parcel go", "order_late")
    exported(queue, out)
    queue("where did my parcel go", "track_order", minutes=5)  # relabelled
    queue("refund when", "refund_status", minutes=6)
    with queue.engine.begin() as connection:  # the first label expired with its conversation
        connection.execute(store.review_items.delete().where(store.review_items.c.label == "order_late"))
    counts, nlu = exported(queue, out)
    assert {(b["intent"], b["examples"]) for b in nlu} == {("track_order", "- where did my parcel go\n"),
                                                           ("refund_status", "- refund when\n")}
