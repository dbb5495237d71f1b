"""`make review-export`: the messages agents labelled in the review queue, as training data.

    python -m insights.export [--out data/nlu/reviewed.yml]

Writes data/nlu/reviewed.yml, which the next `make train` uses like every file under data/nlu/:
each labelled message under its intent, in its language (`metadata: {language: ..}`), with what
the file already held (an export adds to the earlier ones; a message labelled again takes its
newest label). Left out, and counted:
- a message any held-out set (tests/nlu/) holds: what `make eval` measures is never trained on;
- a message the training data holds already, or twice in the queue;
- a discarded message (insights/review.DISCARDED).
Messages are compared with their identifiers masked and case, spaces and end punctuation aside.
Redacted identifiers become an example of their kind, marked as the entity: "[order]" becomes
"[40512345](order_id)", "[email]" "[customer@example.com](email)"; a message with another
redacted number or a token is left out, since no example would say what it was.

Reads the insights database at INSIGHTS_DB_URL (or the SQLite file INSIGHTS_DB).
"""
import argparse
import sys
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Tuple

import sqlalchemy as sa
import yaml

from common.redaction import redact_message
from insights import location
from insights.review import labelled
from tools.nlu_files import examples_in, plain

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "data" / "nlu" / "reviewed.yml"
HELD_OUT = ROOT / "tests" / "nlu"
TRAINING = ROOT / "data" / "nlu"
EXAMPLES = {"[order]": "[40512345](order_id)", "[email]": "[customer@example.com](email)"}
UNUSABLE = ("[number]", "[token]")
HEADER = """# Messages customers sent that the assistant misunderstood, labelled by support agents in the
# review queue (/desk/review) and exported by `make review-export` (insights/export.py). None is
# in a held-out set (tests/nlu/). Edit labels in the queue and export again rather than here.
# Messages played by `make demo-traffic` are public corpora's: docs/external-data.md names them
# and their licences.
"""


def normal(text: str) -> str:
    """A message as compared: annotations read as their text, identifiers masked, case, spaces
    and end punctuation aside."""
    return " ".join(redact_message(plain(text)).lower().split()).rstrip(" .!?")


def _texts(paths: Iterable[Path]) -> set:
    return {normal(text) for path in paths for intent, text, _ in examples_in(path) if intent}


def as_example(text: str) -> Optional[str]:
    """The message as a training example, or None when a redaction can't be given a value."""
    if any(mark in text for mark in UNUSABLE):
        return None
    for mark, example in EXAMPLES.items():
        text = text.replace(mark, example)
    return " ".join(text.split())


def export(connection: sa.engine.Connection, out: Path = OUT) -> Dict[str, int]:
    held_out = _texts(HELD_OUT.glob("*.yml"))
    training = _texts(p for p in TRAINING.rglob("*.yml") if p.resolve() != out.resolve())
    kept: Dict[str, Tuple[str, str, Optional[str]]] = {}  # by normal form: intent, example, language
    if out.exists():
        for intent, text, language in examples_in(out):
            kept[normal(text)] = (intent, text, language)
    earlier = set(kept)
    seen = set()
    counts = {"labelled": 0, "held_out": 0, "in_training": 0, "repeated": 0, "unusable": 0}
    for message in labelled(connection):
        counts["labelled"] += 1
        example = as_example(message.text)
        if example is None:
            counts["unusable"] += 1
            continue
        form = normal(example)
        if form in held_out:
            counts["held_out"] += 1
        elif form in training:
            counts["in_training"] += 1
        else:
            counts["repeated"] += form in seen
            seen.add(form)
            kept[form] = (message.label, example, message.language)  # the newest label wins
    _write(out, kept.values())
    counts["written"], counts["new"] = len(kept), len(set(kept) - earlier)
    return counts


def _write(out: Path, examples: Iterable[Tuple[str, str, Optional[str]]]) -> None:
    blocks: Dict[Tuple[str, str], List[str]] = {}
    for intent, text, language in examples:
        blocks.setdefault((intent, language or "en"), []).append(text)
    nlu = [{"intent": intent, "metadata": {"language": language},
            "examples": "".join(f"- {text}\n" for text in sorted(texts))}
           for (intent, language), texts in sorted(blocks.items())]
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(HEADER + yaml.dump({"version": "3.1", "nlu": nlu}, Dumper=_Dumper, allow_unicode=True,
                                      sort_keys=False, width=1000))


class _Dumper(yaml.SafeDumper):
    """Examples as Rasa's own files write them: a literal block, one "- example" a line."""


_Dumper.add_representer(str, lambda dumper, text: dumper.represent_scalar(
    "tag:yaml.org,2002:str", text, style="|" if "\n" in text else None))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    engine = sa.create_engine(location.url_from())
    if not sa.inspect(engine).has_table("review_items"):
        print("Nothing to export: no review queue yet (the handoff service creates it).", file=sys.stderr)
        return 2
    with engine.connect() as connection:
        counts = export(connection, args.out)
    print(f"{args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}: {counts['written']} "
          f"example(s), {counts['new']} new. Of {counts['labelled']} labelled message(s), left out: {counts['held_out']} in a held-out "
          f"set, {counts['in_training']} already in the training data, {counts['unusable']} with a redacted number "
          f"or token; {counts['repeated']} repeated. `make train` uses them next.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
