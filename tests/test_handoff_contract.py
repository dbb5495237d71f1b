"""The handoff service's contract with the assistant (handoff/assistant_contract.py): every slot,
value, response and intent it reads or writes by name is in domain.yml under that name, so that
renaming one on either side fails here instead of in a customer's handoff."""
import yaml

from handoff import assistant_contract as contract
from tools.services import ROOT

DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text())
WORDING = yaml.safe_load((ROOT / "handoff" / "wording.yml").read_text())


def conditions(slot: str):
    """The values of `slot` that any response's variations are conditioned on."""
    return {c["value"] for variations in DOMAIN["responses"].values() for v in variations
            for c in v.get("condition", []) if c.get("name") == slot}


def test_the_slots_the_handoff_service_reads_and_writes_are_the_assistants():
    for slot in contract.SLOTS_READ + contract.SLOTS_WRITTEN:
        assert slot in DOMAIN["slots"], slot


def test_the_values_it_reads_and_writes_are_those_the_responses_tell_apart():
    assert {contract.OPEN, contract.CLOSED} <= conditions(contract.HANDOFF_STATE)
    # resolved has its own words; given back is the variation without a condition.
    assert conditions(contract.HANDOFF_OUTCOME) <= set(contract.OUTCOMES)
    assert contract.RESOLVED in conditions(contract.HANDOFF_OUTCOME)


def test_the_response_it_runs_says_the_agents_name():
    variations = DOMAIN["responses"][contract.HANDED_BACK]
    assert variations and all("{" + contract.HANDOFF_AGENT + "}" in v["text"] for v in variations)
    assert any(not v.get("condition") for v in variations)  # something to say for any outcome


def test_the_intents_it_reads_are_the_assistants():
    assert contract.PERSON_REQUEST in DOMAIN["intents"]
    # The buttons it words for the agent ("/human_handoff" reads "Talk to a person").
    assert contract.PERSON_REQUEST in WORDING["tapped"]
    assert set(WORDING["tapped"]) <= set(DOMAIN["intents"])
