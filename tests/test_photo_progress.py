"""The return checklist's photos: which a step asks for, which comes next, and the links the
widget and the messaging channels send each photo through."""
import json
from datetime import datetime, timezone
from urllib.parse import parse_qs, urlsplit

from actions.return_photos import asks_photos, links, progress, step_of
from common import photo_links

NOW = datetime(2026, 12, 6, 9, 0, tzinfo=timezone.utc)
TOKEN = "api-token"


def test_step_1_asks_for_the_six_sides_and_the_screen_on_and_step_5_for_the_package():
    assert progress("1", []).slots == ("front", "back", "left", "right", "top", "bottom", "screen_on")
    assert progress("5", []).slots == ("package",)
    assert asks_photos("1") and asks_photos("5") and not asks_photos("2") and not asks_photos(None)
    assert step_of("screen_on") == "1" and step_of("package") == "5" and step_of("selfie") is None


def test_the_next_photo_is_the_first_still_missing_whatever_order_they_came_in():
    assert progress("1", []).next == "front"
    taken = progress("1", ["back", "front", "top", "package"])
    assert taken.taken == ("front", "back", "top") and taken.count == 3  # the package belongs to step 5
    assert taken.next == "left"


def test_each_step_says_when_it_is_complete_in_its_own_words():
    assert progress("1", photo_links.STEP_SLOTS["1"]).next == "done"
    assert progress("5", ["package"]).next == "package_done"


def test_each_slot_gets_its_own_link_for_this_order_and_conversation_and_says_if_it_is_taken():
    offered = json.loads(links(progress("1", ["front"]), "40512360", "conv-9", "https://photos.example/", TOKEN, now=NOW))
    assert offered["order"] == "40512360" and offered["step"] == "1"
    assert [(s["slot"], s["taken"]) for s in offered["slots"]][:2] == [("front", True), ("back", False)]
    for slot in offered["slots"]:
        url = urlsplit(slot["url"])
        assert f"{url.scheme}://{url.netloc}{url.path}" == f"https://photos.example/orders/40512360/photos/{slot['slot']}"
        query = {name: values[0] for name, values in parse_qs(url.query).items()}
        assert query["conversation"] == "conv-9"
        assert photo_links.valid(TOKEN, "40512360", slot["slot"], "conv-9", query["expires"], query["signature"], now=NOW)
        # A link is for its own slot only.
        assert not photo_links.valid(TOKEN, "40512360", "package", "conv-9", query["expires"], query["signature"], now=NOW)
    assert offered["expires"] == int((NOW + photo_links.LIFETIME).timestamp())


def test_the_verdicts_the_action_sets_are_the_domains_photo_check_values():
    import yaml

    from actions.dialogue.photos import NONE_YET, STATUS, VERDICTS
    from tools.services import ROOT

    domain = yaml.safe_load((ROOT / "domain.yml").read_text())
    assert VERDICTS | {STATUS, NONE_YET} == set(domain["slots"]["photo_check"]["values"])
