"""The marketplace's names come from its brand profile (brand.yml, brand/): switched to another
marketplace, no answer says the old one's name, menus or buttons."""
import json
import subprocess

import pytest

from tools.services import RASA_VENV, ROOT

REBOXED = ROOT / "brands" / "reboxed.yml"  # the demo shop's profile
SEED_NAMES = ["Back Market", "Max,", '"My orders"', '"Orders"', '"Get help"', '"Show more details"', '"Ask for help"',
              '"Contact my seller"', '"Print return label"']


def scenario(profile) -> subprocess.CompletedProcess:
    return subprocess.run([str(RASA_VENV / "bin" / "python"), "tests/brand_scenario.py", str(profile)],
                          cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
                          capture_output=True, text=True, timeout=180)


def said_with(profile) -> dict:
    done = scenario(profile)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def reboxed():
    return said_with(REBOXED)


def everything(said) -> str:
    return "\n".join(item["text"] + "\n" + "\n".join(item["buttons"]) for item in said["said"])


def test_another_marketplace_is_never_called_by_the_seeds_names(reboxed):
    text = everything(reboxed)
    assert [name for name in SEED_NAMES if name in text] == []
    assert "{brand_" not in text


def test_its_own_names_are_where_the_seeds_were(reboxed):
    by_response = {item["response"]: item["text"] for item in reboxed["said"]}
    assert "I'm Robin, the ReBoxed assistant" in by_response["utter_greet"]
    assert '"Account" > "Returns and repairs"' in everything(reboxed)
    assert '"Message the seller"' in everything(reboxed)
    assert any("https://help.reboxed.example/" in item["text"] for item in reboxed["said"] if item["response"] == "utter_topics")
    checklist_step_4 = [item["text"] for item in reboxed["said"] if "Step 4 of 6" in item["text"]]
    assert checklist_step_4 and all('- "ReBoxed"' in text for text in checklist_step_4)


def test_the_example_profile_is_the_seed_marketplaces():
    seed = said_with(ROOT / "brand.yml")
    assert seed["brand"]["brand_name"] == "Back Market"
    assert "{brand_" not in everything(seed)


def test_a_profile_without_a_name_stops_the_server_with_what_is_missing(tmp_path):
    profile = tmp_path / "brand.yml"
    profile.write_text("menus: {orders: Orders}\n")
    done = scenario(profile)
    assert done.returncode != 0
    assert "lacks or misstates: name, assistant.name" in done.stderr and "buttons.ask_for_help" in done.stderr
