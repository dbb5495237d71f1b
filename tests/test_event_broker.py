"""The insights' event broker (stores/event_broker.py): every event the tracker store saves
reaches the feed, without the customer's identifiers, and an outage of the feed's database
neither holds up a turn nor loses an event."""
import json
import subprocess

import pytest

from tools.services import RASA_VENV, ROOT


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    folder = tmp_path_factory.mktemp("broker")
    done = subprocess.run(
        [str(RASA_VENV / "bin" / "python"), "tests/event_broker_scenario.py", str(folder / "tracker.db"),
         str(folder / "feed.db")],
        cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_endpoints_yml_names_the_broker():
    assert "type: stores.event_broker.BufferedSQLEventBroker" in (ROOT / "endpoints.yml").read_text()
    assert "type: stores.event_broker.MinimalPikaEventBroker" in (ROOT / "endpoints.scaled.yml").read_text()


def test_every_saved_event_reaches_the_feed(scenario):
    assert scenario["broker"] == "BufferedSQLEventBroker"
    assert scenario["written"] == scenario["stored"] == 5  # session start, listen, and the turn's


def test_the_feed_keeps_no_identifier(scenario):
    said = scenario["first_user_event"]
    assert said["text"] == "where is order [order]? [email]"
    assert said["logged_in"] is True and "eyJ" not in json.dumps(said)


def test_an_outage_of_the_feeds_database_loses_nothing(scenario):
    assert scenario["written_after_outage"] == scenario["stored_after_outage"] == 25
    assert scenario["texts"][1:] == [f"message {n} during the outage" for n in range(5)]  # in order
