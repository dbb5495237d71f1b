"""Maps public corpora of real user messages to the contract intents.

    python -m tools.external_corpora --corpora DIR

DIR holds a checkout of each corpus repository under its GitHub name (`abcd`,
`NLU-Evaluation-Data`, `task-specific-datasets`, `dstc8-schema-guided-dialogue`).
`tools/external_corpora.yml` says which labels mean which intent, and which split is trained
on and which held out; docs/external-data.md explains the choices and the licences.

Writes data/nlu/external.yml (training) and tests/nlu/test_nlu_external.yml (held out for
`make eval`), every example with its source. A message is never in both, and never in the
held-out file if any training file has it; the sample is deterministic.
"""
import argparse
import csv
import glob
import gzip
import hashlib
import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Dict, Iterable, Iterator, List, Optional, Tuple

import yaml

from tools.nlu_files import examples_in

ROOT = Path(__file__).resolve().parent.parent
MAPPING = ROOT / "tools" / "external_corpora.yml"
TRAIN_OUT = ROOT / "data" / "nlu" / "external.yml"
HELD_OUT = ROOT / "tests" / "nlu" / "test_nlu_external.yml"
FOLDERS = {"banking77": "task-specific-datasets", "hwu64": "NLU-Evaluation-Data",
           "sgd": "dstc8-schema-guided-dialogue", "abcd": "abcd"}

# (text, source label, where it comes from)
Raw = Tuple[str, str, str]
# A dialogue corpus's first turns are sampled evenly over its services (flights, restaurants...).
SERVICE = re.compile(r"\bservice (\S+)")


def banking77(folder: Path, split: str) -> Iterator[Raw]:
    with open(folder / split, newline="") as rows:
        for line, row in enumerate(csv.DictReader(rows), start=2):
            yield row["text"], row["category"], f"banking77 {split}:{line}"


def hwu64(folder: Path, split: str, detail: bool = False) -> Iterator[Raw]:
    """`detail` adds the file and the example's place in it to the source; the generated NLU
    files name the fold only."""
    match = re.search(r"\{(\d+)\.\.(\d+)\}", split)
    folds = [split.replace(match.group(0), str(k)) for k in range(int(match.group(1)), int(match.group(2)) + 1)] \
        if match else [split]
    for fold in folds:
        name = re.search(r"KFold_\d+", fold).group()
        for path in sorted(glob.glob(str(folder / fold / "*" / "*.json"))):
            where = f" {Path(path).relative_to(folder / fold)}" if detail else ""
            for examples in json.loads(Path(path).read_text()).values():
                for index, example in enumerate(examples):
                    yield example["text"], example["intent"], f"hwu64 {name}" + (f"{where} #{index}" if detail else "")


def sgd(folder: Path, split: str) -> Iterator[Raw]:
    for path in sorted((folder / split).glob("dialogues_*.json")):
        for dialogue in json.loads(path.read_text()):
            user_turns = [t for t in dialogue["turns"] if t["speaker"] == "USER"]
            for index, turn in enumerate(user_turns):
                acts = "+".join(sorted({a["act"] for frame in turn["frames"] for a in frame["actions"]}))
                yield (turn["utterance"], f"first {acts}" if index == 0 else acts,
                       f"sgd {split}/{path.name} {dialogue['dialogue_id']} turn {index} "
                       f"service {turn['frames'][0]['service'] if turn['frames'] else '-'}")


def abcd(folder: Path, split: str) -> Iterator[Raw]:
    for name in (part.strip() for part in split.split("|")):
        path = folder / name
        if not path.exists():
            continue
        data = json.loads(gzip.open(path).read() if name.endswith(".gz") else path.read_text())
        conversations = data if isinstance(data, list) else [c for part in data.values() for c in part]
        for conversation in conversations:
            said = [text for speaker, text in conversation["original"] if speaker == "customer"]
            opening = next((text for text in said if len(text.split()) >= 4), None)
            if opening:
                yield opening, conversation["scenario"]["subflow"], f"abcd {name} convo {conversation['convo_id']}"
        return


READERS = {"banking77": banking77, "hwu64": hwu64, "sgd": sgd, "abcd": abcd}


def normalised(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s']", " ", text.lower())).strip()


def intent_for(label: str, text: str, labels: Dict) -> Optional[str]:
    rule = labels.get(label)
    if isinstance(rule, str) or rule is None:
        return rule
    return next((r["intent"] for r in rule if re.search(r["when"], text, re.IGNORECASE)), None)


def usable(text: str) -> bool:
    # Rasa reads "[x](entity)" as an annotation and "/intent" as a payload.
    return bool(text) and "](" not in text and not text.startswith("/")


def stable_order(items: Iterable[Tuple], salt: str = "") -> List[Tuple]:
    """By a hash of each item's text (its first element): the same order on every run; another
    salt, another order."""
    return sorted(items, key=lambda item: hashlib.sha1((salt + item[0]).encode()).hexdigest())


def in_turn(queues: List[List], cap: int) -> List:
    """Up to `cap` items, one from each queue in turn, so that no one queue dominates."""
    queues = [list(queue) for queue in queues]
    picked: List = []
    while len(picked) < cap and any(queues):
        for queue in queues:
            if queue and len(picked) < cap:
                picked.append(queue.pop(0))
    return picked


def sample(candidates: Dict[str, Dict[str, List[Tuple[str, str]]]], caps: Dict[str, int]):
    """Per intent, up to its cap, taking the source labels (and services) in turn, so that
    out_of_scope spreads over every other domain rather than the largest one."""
    return {intent: in_turn([stable_order(items) for _, items in sorted(by_label.items())],
                            caps["out_of_scope" if intent == "out_of_scope" else "in_scope"])
            for intent, by_label in candidates.items()}


def project_messages(paths: Iterable[Path]) -> set:
    return {normalised(re.sub(r"\]\([^)]*\)|\[", "", text)) for path in paths for _, text, _ in examples_in(path)}


def collect(corpora_dir: Path, mapping: Dict, split: str, exclude: set) -> Dict:
    """{intent: {source label: [(text, source)]}} for one split of every corpus."""
    candidates: Dict = defaultdict(lambda: defaultdict(list))
    seen = set(exclude)
    for name, corpus in mapping["corpora"].items():
        if not corpus.get(split):
            continue
        folder = corpora_dir / FOLDERS[name]
        if not folder.exists():
            raise SystemExit(f"{folder} is missing: check out {corpus['title'].split(', ')[-1]} there")
        for text, label, source in READERS[name](folder, corpus[split]):
            text = " ".join(text.split())
            intent = intent_for(label, text, corpus["labels"])
            key = normalised(text)
            if intent and usable(text) and key not in seen:
                seen.add(key)
                service = SERVICE.search(source) if label.startswith("first ") else None
                group = f"{name}:{label}" + (f":{service.group(1)}" if service else "")
                candidates[intent][group].append((text, source))
    return candidates


def write(path: Path, chosen: Dict, header: str) -> int:
    blocks = [{"intent": intent, "examples": [{"text": text, "metadata": {"source": source}}
                                              for text, source in sorted(examples, key=lambda e: e[1])]}
              for intent, examples in sorted(chosen.items()) if examples]
    body = yaml.safe_dump({"version": "3.1", "nlu": blocks}, sort_keys=False, allow_unicode=True, width=1000)
    path.write_text(header + body)
    return sum(len(b["examples"]) for b in blocks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=Path, required=True, help="folder with a checkout of each corpus")
    args = parser.parse_args()
    mapping = yaml.safe_load(MAPPING.read_text())

    # Held out first: nothing the project wrote, nor any training message, may be in it.
    ours = project_messages(p for p in (ROOT / "data" / "nlu").glob("*.yml") if p != TRAIN_OUT)
    ours |= project_messages(p for p in (ROOT / "tests" / "nlu").glob("*.yml") if p != HELD_OUT)
    held_out = sample(collect(args.corpora, mapping, "held_out", ours), mapping["sample"]["held_out"])
    taken = ours | {normalised(text) for examples in held_out.values() for text, _ in examples}
    train = sample(collect(args.corpora, mapping, "train", taken), mapping["sample"]["train"])

    note = ("# Generated by tools/external_corpora.py from public corpora (docs/external-data.md):\n"
            "# edit tools/external_corpora.yml and re-run it rather than this file. Each example's\n"
            "# metadata names its source; licences: BANKING77 and HWU64 CC BY 4.0, SGD CC BY-SA 4.0,\n"
            "# ABCD MIT.\n")
    trained = write(TRAIN_OUT, train, note + "# Training examples; never in any held-out set.\n")
    kept = write(HELD_OUT, held_out, note + "# Held out: never trained on.\n")
    for name, chosen in (("training", train), ("held out", held_out)):
        print(f"{name}: " + ", ".join(f"{intent} {len(examples)}" for intent, examples in sorted(chosen.items())))
    print(f"{TRAIN_OUT.relative_to(ROOT)}: {trained} examples; {HELD_OUT.relative_to(ROOT)}: {kept} examples")


if __name__ == "__main__":
    main()
