"""The brand profile read and checked (brand/profile.py): what each reader gets, and a broken
profile named in full before any server answers."""
import pytest
import yaml

from brand.profile import BrandProfileError, read
from tools.services import ROOT

EXAMPLE = yaml.safe_load((ROOT / "brand.yml").read_text())


def profile_file(tmp_path, **changes):
    data = {**EXAMPLE, **changes}
    path = tmp_path / "brand.yml"
    path.write_text(yaml.safe_dump(data))
    return path


def test_the_example_gives_names_support_hours_and_a_welcome():
    profile = read(ROOT / "brand.yml")
    assert profile.names["brand_name"] == "Back Market"
    assert profile.names["brand_assistant"] == "Max"
    assert profile.names["brand_help_home"].startswith("https://")
    assert profile.support.timezone == "Europe/Paris" and profile.support.holidays == "FR"
    assert profile.support.hours["monday"] == "09:00-18:00" and "sunday" not in profile.support.hours
    assert profile.welcome["title"] == "Back Market support"
    assert profile.welcome["greeting"].startswith("Hi! I'm Max, the Back Market assistant.")
    assert [topic["payload"] for topic in profile.welcome["topics"]] == [
        "/track_order", "/shipping_time", "/return_item", "/return_label"]


def test_the_demo_shops_profile_is_its_own():
    profile = read(ROOT / "brands" / "reboxed.yml")
    assert profile.names["brand_name"] == "ReBoxed"
    assert "Back Market" not in repr(profile)


def test_BRAND_PROFILE_picks_the_file(monkeypatch):
    monkeypatch.setenv("BRAND_PROFILE", str(ROOT / "brands" / "reboxed.yml"))
    assert read().names["brand_assistant"] == "Robin"


def test_every_problem_is_named_at_once(tmp_path):
    path = profile_file(tmp_path, name="", support={"timezone": "Mars/Olympus", "holidays": "FR", "hours": {},
                                                    "expected_wait_minutes": 0})
    with pytest.raises(BrandProfileError) as error:
        read(path)
    for part in ("name", "support.timezone", "support.hours", "support.expected_wait_minutes"):
        assert part in str(error.value)


def test_a_welcome_suggests_at_most_four_topics_each_with_a_payload(tmp_path):
    five = [{"title": f"Topic {n}", "payload": "/track_order"} for n in range(5)]
    with pytest.raises(BrandProfileError, match="widget.suggested_topics"):
        read(profile_file(tmp_path, widget={**EXAMPLE["widget"], "suggested_topics": five}))
    no_payload = [{"title": "Where's my order?"}]
    with pytest.raises(BrandProfileError, match="widget.suggested_topics"):
        read(profile_file(tmp_path, widget={**EXAMPLE["widget"], "suggested_topics": no_payload}))


def test_an_avatar_is_an_https_picture_or_the_names_initial(tmp_path):
    with pytest.raises(BrandProfileError, match="assistant.avatar"):
        read(profile_file(tmp_path, assistant={"name": "Max", "avatar": "javascript:alert(1)"}))
    pictured = read(profile_file(tmp_path, assistant={"name": "Max", "avatar": "https://cdn.example/max.png"}))
    assert pictured.welcome["assistant"] == {"name": "Max", "avatar": "https://cdn.example/max.png"}


def test_a_missing_file_says_which(tmp_path):
    with pytest.raises(BrandProfileError, match="nowhere.yml"):
        read(tmp_path / "nowhere.yml")
