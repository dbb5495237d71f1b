"""Rasa's NLU files as data, for the tools that compare messages with the project's training
and held-out examples (tools/external_corpora.py, insights/export.py, the demo pool's tests).

    for intent, text, language in examples_in(Path("data/nlu/fr/fr.yml")): ...
    plain("order #[73019284](order_id)")  -> "order #73019284"

Standard library and PyYAML only: every virtualenv that runs those has both.
"""
import re
from pathlib import Path
from typing import Iterator, Optional, Tuple

import yaml

# An entity annotation, "[73019284](order_id)" or "[phone]{"entity": "device"}": its words.
ANNOTATION = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\})")


def examples_in(path: Path) -> Iterator[Tuple[Optional[str], str, Optional[str]]]:
    """(intent, example, language) of every example in a Rasa NLU file, in either form (a block
    of "- " lines, or a list of {text: ...}); the intent is None for a synonym's or a lookup
    table's examples, the language None where the block's metadata names none."""
    data = yaml.safe_load(path.read_text()) or {}
    for block in data.get("nlu") or []:
        language = (block.get("metadata") or {}).get("language")
        found = block.get("examples") or []
        if isinstance(found, str):
            found = [line.strip()[2:] for line in found.splitlines() if line.strip().startswith("- ")]
        for example in found:
            text = example.get("text") if isinstance(example, dict) else example
            if text:
                yield block.get("intent"), str(text), language


def plain(text: str) -> str:
    """An example as a customer wrote it: its annotations read as their words."""
    return ANNOTATION.sub(r"\1", text)
