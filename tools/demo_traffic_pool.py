"""The pool of customer conversations `make demo-traffic` plays (tools/demo_traffic_pool.yml).

    python -m tools.demo_traffic_pool --corpora DIR

DIR holds a checkout of each corpus under its GitHub name, as for tools/external_corpora.py,
whose readers and mapping (tools/external_corpora.yml) this uses. Every message was written by
a real user of another service, comes from a split the project trains on, and is in no file
under data/nlu/ or tests/nlu/ nor in any held-out split of the corpora: what the review queue
labels and the model is retrained on can never be what `make eval` measures. The pool keeps
each message's source and corpus label, never the intent it maps to, so nothing suggests an
answer to whoever labels it. The same corpora give the same pool.
"""
import argparse
import hashlib
import re
from collections import Counter, defaultdict
from functools import partial
from pathlib import Path
from typing import Dict, List, NamedTuple, Optional

import yaml

from tools.external_corpora import (FOLDERS, MAPPING, READERS, ROOT, hwu64, in_turn, intent_for, normalised,
                                    project_messages, stable_order, usable)

POOL = ROOT / "tools" / "demo_traffic_pool.yml"
PROJECT_NLU = (ROOT / "data" / "nlu", ROOT / "tests" / "nlu")
SEED = "demo-traffic"
CONVERSATIONS = 300
# Shares of the conversations' first messages: a marketplace's questions, and other domains.
IN_SCOPE_SHARE = 0.85
# The out-of-scope openings: this share are SGD dialogues, kept with their closing turns.
DIALOGUE_SHARE = 0.5
# One in this many single-message conversations gets a courtesy turn after it.
COURTESY_EVERY = 6
COURTESY = ("affirm", "deny", "thank", "goodbye")
# Labels external_corpora.yml leaves out for overlapping our topics without being one of them:
# payments, charges and the account, which a shop's customers ask about too, and food orders'
# status. No contract intent is their answer for certain; that is what a review queue is for.
NEAR = {"banking77": ("transaction_charged_twice", "card_payment_not_recognised", "extra_charge_on_statement",
                      "card_payment_fee_charged", "pending_card_payment", "declined_card_payment",
                      "reverted_card_payment?", "edit_personal_details", "terminate_account"),
        "hwu64": ("takeaway_query",)}
# Sources as tools/external_corpora.py writes them; an SGD turn's names its dialogue.
DIALOGUE = re.compile(r"^sgd (\S+) (\S+) turn (\d+)")


class Turn(NamedTuple):
    text: str
    source: str
    label: str  # the corpus's own label, "<corpus> <label>"


def held_out_messages(corpora: Path, mapping: Dict) -> set:
    """Every message of every held-out split, normalised, whatever its label: a later, larger
    held-out sample can't take one of the pool's."""
    found = set()
    for name, corpus in mapping["corpora"].items():
        if corpus.get("held_out") and (corpora / FOLDERS[name]).exists():
            found |= {normalised(text) for text, _, _ in READERS[name](corpora / FOLDERS[name], corpus["held_out"])}
    return found


def kind_of(corpus: str, label: str, text: str, labels: Dict) -> Optional[str]:
    """topic (a label the mapping gives one of our topics, whatever its `when`), near,
    out_of_scope, a courtesy intent, or None (left out)."""
    rule = labels.get(label)
    intents = {rule} if isinstance(rule, str) else {r["intent"] for r in rule or []}
    if intents - set(COURTESY) - {"out_of_scope"}:
        return "topic"
    if label in NEAR.get(corpus, ()):
        return "near"
    intent = intent_for(label, text, labels)
    return intent if intent == "out_of_scope" or intent in COURTESY else None


def candidates(corpora: Path, mapping: Dict, exclude: set) -> Dict[str, Dict[str, List]]:
    """{kind: {group: [(text, Turn, dialogue)]}} from the training splits, each message once;
    `dialogue` is an SGD turn's (file, dialogue id, turn number), else None.
    A group is a source label (an SGD first turn's, per service) so that no one dominates."""
    found: Dict = defaultdict(lambda: defaultdict(list))
    seen = set(exclude)
    for name, corpus in mapping["corpora"].items():
        if not corpus.get("train"):
            continue
        folder = corpora / FOLDERS[name]
        if not folder.exists():
            raise SystemExit(f"{folder} is missing: check out {corpus['title'].split(', ')[-1]} there")
        read = partial(hwu64, detail=True) if name == "hwu64" else READERS[name]
        for text, label, source in read(folder, corpus["train"]):
            text = " ".join(text.split())
            kind, key = kind_of(name, label, text, corpus["labels"]), normalised(text)
            if not kind or not usable(text) or key in seen:
                continue
            seen.add(key)
            dialogue = DIALOGUE.match(source)
            group = f"{name} {label}" + (f" {source.rsplit(' service ', 1)[-1]}" if label.startswith("first ") else "")
            found[kind][group].append((text, Turn(text, source, f"{name} {label}"),
                                       dialogue.groups() if dialogue else None))
    return found


def salted(text: str, salt: str) -> int:
    return int(hashlib.sha1(f"{salt}:{text}".encode()).hexdigest(), 16)


def build(found: Dict[str, Dict[str, List]], count: int, salt: str) -> List[List[Turn]]:
    def queues(kind: str, keep=lambda item: True) -> List[List]:
        # Groups in a salted order too: a cap below the number of groups takes a fair few.
        groups = sorted(found.get(kind, {}).items(), key=lambda group: salted(group[0], salt))
        return [stable_order([item for item in items if keep(item)], salt) for _, items in groups]

    in_scope = round(count * IN_SCOPE_SHARE)
    topics = in_turn(queues("topic"), in_scope)
    openers = topics + in_turn(queues("near"), in_scope - len(topics))
    dialogues = in_turn(queues("out_of_scope", lambda item: item[2] is not None), round((count - in_scope) * DIALOGUE_SHARE))
    openers += in_turn(queues("out_of_scope", lambda item: item[2] is None), count - in_scope - len(dialogues))

    # An SGD dialogue keeps its last courtesy turn, and in one of three the one before it.
    later = defaultdict(list)
    for kind in COURTESY:
        for items in found.get(kind, {}).values():
            for item in items:
                if item[2]:
                    later[item[2][:2]].append(item)
    conversations, used = [], set()
    for text, turn, dialogue in dialogues:
        closing = sorted(later[dialogue[:2]], key=lambda item: int(item[2][2]))
        closing = closing[-2:] if salted(text, salt) % 3 == 0 else closing[-1:]
        used |= {item[0] for item in closing}
        conversations.append([turn] + [item[1] for item in closing])

    # The others: now and then a yes, no, thanks or bye after the first message.
    spare = in_turn([stable_order([item for items in found.get(kind, {}).values() for item in items
                                   if item[0] not in used], salt) for kind in COURTESY], len(openers))
    for text, turn, _ in openers:
        follow = [spare.pop(0)[1]] if spare and salted(text, salt) % COURTESY_EVERY == 0 else []
        conversations.append([turn] + follow)
    return sorted(conversations, key=lambda turns: salted(turns[0].text, salt))


def kind_counts(conversations: List[List[Turn]], mapping: Dict) -> Counter:
    counts: Counter = Counter()
    for turns in conversations:
        for turn in turns:
            corpus, label = turn.label.split(" ", 1)
            counts[kind_of(corpus, label, turn.text, mapping["corpora"][corpus]["labels"])] += 1
    return counts


def write(path: Path, conversations: List[List[Turn]], counts: Counter) -> None:
    header = (
        "# Generated by tools/demo_traffic_pool.py from public corpora (docs/external-data.md): re-run it\n"
        "# rather than editing this file. `make demo-traffic` (tools/demo_traffic.py) plays these\n"
        "# conversations. Every message was written by a real user, comes from a training split, and is\n"
        "# in no file under data/nlu/ or tests/nlu/ nor in any held-out split. `source` says where\n"
        "# (corpus, file, line or dialogue and turn); `label` is the corpus's own label, not our intent.\n"
        "# Licences: BANKING77 (PolyAI-LDN/task-specific-datasets) and HWU64 (xliuhw/NLU-Evaluation-Data)\n"
        "# CC BY 4.0; Schema-Guided Dialogue (google-research-datasets/dstc8-schema-guided-dialogue)\n"
        "# CC BY-SA 4.0, under which this file is shared too.\n"
        f"# {len(conversations)} conversations, {sum(counts.values())} messages: "
        + ", ".join(f"{kind} {counts[kind]}" for kind in ("topic", "near", "out_of_scope") + COURTESY) + "\n")
    body = [{"id": f"c{number:03d}", "turns": [{"text": t.text, "source": t.source, "label": t.label} for t in turns]}
            for number, turns in enumerate(conversations, start=1)]
    path.write_text(header + yaml.safe_dump({"conversations": body}, sort_keys=False, allow_unicode=True, width=1000))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=Path, required=True, help="folder with a checkout of each corpus")
    parser.add_argument("--conversations", type=int, default=CONVERSATIONS)
    parser.add_argument("--seed", default=SEED, help="another seed, another sample (default: %(default)s)")
    parser.add_argument("--out", type=Path, default=POOL)
    args = parser.parse_args()
    mapping = yaml.safe_load(MAPPING.read_text())
    ours = project_messages(path for folder in PROJECT_NLU for path in sorted(folder.rglob("*.y*ml")))
    found = candidates(args.corpora, mapping, ours | held_out_messages(args.corpora, mapping))
    conversations = build(found, args.conversations, args.seed)
    counts = kind_counts(conversations, mapping)
    write(args.out, conversations, counts)
    print(f"{args.out}: {len(conversations)} conversations, {sum(counts.values())} messages: "
          + ", ".join(f"{kind} {n}" for kind, n in counts.most_common()))
    labels = Counter(turn.label for turns in conversations for turn in turns)
    print("by label: " + ", ".join(f"{label} {n}" for label, n in sorted(labels.items())))


if __name__ == "__main__":
    main()
