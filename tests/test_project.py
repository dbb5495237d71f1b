"""Contracts of the project's files: intent names, the topic menu, module boundaries."""
import ast
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).parent.parent
DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text())
CONTRACT = ROOT.parent / "shared" / "spec" / "intents.md"
TOPICS = {
    "track_order", "shipping_time", "order_late", "order_not_confirmed", "missing_package",
    "contact_seller", "refund_status", "return_item", "return_label", "return_deadline",
    "return_checklist", "return_carrier", "return_status",
}
CONTRACT_INTENTS = TOPICS | {
    "greet", "goodbye", "thank", "affirm", "deny", "bot_challenge", "human_handoff", "inform",
    "out_of_scope",
}


def test_every_contract_intent_is_in_the_domain_under_its_name():
    assert CONTRACT_INTENTS <= set(DOMAIN["intents"])


def test_contract_copy_matches_the_spec_when_present():
    if CONTRACT.exists():
        named = set(re.findall(r"`([a-z_]+)`", CONTRACT.read_text()))
        assert CONTRACT_INTENTS <= named


def test_contract_entities_are_in_the_domain():
    assert {"order_id", "email", "carrier", "device"} <= set(DOMAIN["entities"])


def test_topic_menu_has_one_button_per_topic_across_its_pages_of_at_most_six():
    pages = DOMAIN["responses"]["utter_topics"]
    payloads = [b["payload"].lstrip("/") for page in pages for b in page["buttons"] if b["payload"] != "/more_topics"]
    assert sorted(payloads) == sorted(TOPICS)
    assert all(len(page["buttons"]) <= 6 for page in pages)


def test_every_contract_intent_has_enough_training_examples():
    counts = {}
    for path in (ROOT / "data" / "nlu").glob("*.yml"):
        for block in yaml.safe_load(path.read_text()).get("nlu", []):
            if "intent" in block:
                counts[block["intent"]] = counts.get(block["intent"], 0) + block["examples"].count("\n- ")
    for intent in TOPICS:
        assert counts.get(intent, 0) >= 30, intent
    assert counts.get("out_of_scope", 0) >= 150


def test_held_out_set_shares_no_message_with_training_data():
    def examples(paths):
        found = set()
        for path in paths:
            for block in yaml.safe_load(path.read_text()).get("nlu", []):
                examples = block.get("examples") or ""
                # A block's examples: "- text" lines, or a list of {text, metadata} (external.yml).
                lines = examples.splitlines() if isinstance(examples, str) else [f"- {e['text']}" for e in examples]
                for line in lines:
                    text = re.sub(r"\]\([a-z_]+\)|\[", "", line.strip()[2:]).strip().lower()
                    # "Bonjour !" is "bonjour": punctuation and spacing don't make another message.
                    found.add(re.sub(r"\s+", " ", re.sub(r"[^\w\s@.]", "", text)).strip(" ."))
        return found
    overlap = examples((ROOT / "data" / "nlu").glob("*.yml")) & examples((ROOT / "tests" / "nlu").glob("*.yml"))
    assert not overlap


def test_domain_modules_do_not_import_rasa():
    # Domain logic stays plain Python; only actions/dialogue talks to Rasa.
    for path in (ROOT / "actions").glob("*.py"):
        tree = ast.parse(path.read_text())
        imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
        imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        assert not any(name.split(".")[0] in {"rasa", "rasa_sdk"} for name in imported), path.name


def test_only_the_calendar_module_counts_days():
    # Every date the assistant gives comes from actions/deadlines.py and its calendar.
    for path in (ROOT / "actions").rglob("*.py"):
        if path.name == "business_calendar.py":
            continue
        text = path.read_text()
        assert "import holidays" not in text and "dateutil" not in text, path.name
