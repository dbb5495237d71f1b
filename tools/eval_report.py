"""`make eval`: summarises `rasa test nlu` on the held-out set (tests/nlu/).

Prints intent accuracy, macro-F1, the weakest intents, the main confusions and entity
scores, and writes the same figures to a JSON file.

Rasa's evaluation undoes the FallbackClassifier's predictions, so accuracy is the
classifier's own. What customers see is added from each message's confidence: answered
(right or wrong), or asked "Did you mean ...?" because confidence was under the threshold.
"""
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def fallback_threshold() -> float:
    config = yaml.safe_load((ROOT / "config.yml").read_text())
    return next(c["threshold"] for c in config["pipeline"] if c["name"] == "FallbackClassifier")


def what_customers_see(errors: list, successes: list, threshold: float) -> dict:
    """Counts per outcome. The ambiguity rule is not included (Rasa's report lacks the runner-up)."""
    asked = [e for e in errors + successes if e["intent_prediction"]["confidence"] < threshold]
    return {
        "threshold": threshold,
        "answered_right": sum(1 for e in successes if e["intent_prediction"]["confidence"] >= threshold),
        "answered_wrong": sum(1 for e in errors if e["intent_prediction"]["confidence"] >= threshold),
        "asked_to_clarify": len(asked),
        "clarified_would_have_been_wrong": sum(1 for e in asked if e in errors),
    }


def messages_by_file(test_dir: Path) -> dict:
    """Maps each held-out message's text to the file it comes from."""
    found = {}
    for path in sorted(test_dir.glob("*.yml")):
        for block in yaml.safe_load(path.read_text()).get("nlu", []):
            for line in block.get("examples", "").splitlines():
                if line.strip().startswith("- "):
                    found[re.sub(r"\]\([a-z_]+\)|\[", "", line.strip()[2:]).strip()] = path.name
    return found


def scores(outcomes: list) -> dict:
    """Accuracy and macro-F1 over (true intent, predicted intent) pairs."""
    counts = defaultdict(lambda: [0, 0, 0])  # true positives, predicted, actual
    for true, predicted in outcomes:
        counts[true][2] += 1
        counts[predicted][1] += 1
        if true == predicted:
            counts[true][0] += 1
    f1 = [2 * tp / (pred + act) for tp, pred, act in counts.values() if act]
    return {"examples": len(outcomes),
            "intent_accuracy": round(sum(t == p for t, p in outcomes) / len(outcomes), 4),
            "intent_macro_f1": round(sum(f1) / len(f1), 4)}


def per_file(errors: list, successes: list, test_dir: Path) -> dict:
    files = messages_by_file(test_dir)
    grouped = defaultdict(list)
    for e in errors + successes:
        grouped[files.get(e["text"], "?")].append((e["intent"], e["intent_prediction"]["name"]))
    return {name: scores(outcomes) for name, outcomes in sorted(grouped.items())}


def summarise(results: Path, test_dir: Path = ROOT / "tests" / "nlu") -> dict:
    intents = json.loads((results / "intent_report.json").read_text())
    per_intent = {
        name: {"f1": round(row["f1-score"], 3), "support": row["support"],
               "confused_with": row.get("confused_with", {})}
        for name, row in intents.items()
        if isinstance(row, dict) and "support" in row and name not in ("macro avg", "weighted avg", "micro avg")
    }
    errors_file = results / "intent_errors.json"
    errors = json.loads(errors_file.read_text()) if errors_file.exists() else []
    successes_file = results / "intent_successes.json"
    successes = json.loads(successes_file.read_text()) if successes_file.exists() else []
    confusions = Counter(
        f"{e['intent']} -> {e['intent_prediction']['name']}" for e in errors
    )
    entities = {}
    for report in results.glob("*Extractor_report.json"):
        rows = json.loads(report.read_text())
        entities = {
            name: {"precision": round(r["precision"], 3), "recall": round(r["recall"], 3),
                   "f1": round(r["f1-score"], 3), "support": r["support"]}
            for name, r in rows.items()
            if isinstance(r, dict) and name != "no_entity" and not name.endswith(" avg")
        }
    return {
        "examples": sum(v["support"] for v in per_intent.values()),
        "intent_accuracy": round(intents["accuracy"], 4),
        "intent_macro_f1": round(intents["macro avg"]["f1-score"], 4),
        "customers_see": what_customers_see(errors, successes, fallback_threshold()),
        "per_file": per_file(errors, successes, test_dir) if successes else {},
        "per_intent": per_intent,
        "top_confusions": confusions.most_common(10),
        "entities": entities,
    }


def main(results_dir: str, out_file: str) -> None:
    summary = summarise(Path(results_dir))
    Path(out_file).write_text(json.dumps(summary, indent=2))
    print(f"Held-out set: {summary['examples']} messages (tests/nlu/)")
    print(f"Intent accuracy: {summary['intent_accuracy']:.3f}")
    print(f"Intent macro-F1: {summary['intent_macro_f1']:.3f}")
    for name, figures in summary["per_file"].items():
        print(f"  {name}: {figures['examples']} messages, accuracy {figures['intent_accuracy']:.3f}, "
              f"macro-F1 {figures['intent_macro_f1']:.3f}")
    seen = summary["customers_see"]
    print(f"With the fallback threshold {seen['threshold']}: {seen['answered_right']} answered right, "
          f"{seen['answered_wrong']} answered wrong, {seen['asked_to_clarify']} asked to clarify "
          f"({seen['clarified_would_have_been_wrong']} of which would have been wrong)")
    weakest = sorted(summary["per_intent"].items(), key=lambda kv: kv[1]["f1"])[:6]
    print("Weakest intents (F1): " + ", ".join(f"{n} {v['f1']:.2f}" for n, v in weakest))
    print("Main confusions (true -> predicted):")
    for pair, count in summary["top_confusions"]:
        print(f"  {count:3d}  {pair}")
    if summary["entities"]:
        print("Entities (precision / recall / F1, support):")
        for name, r in sorted(summary["entities"].items()):
            print(f"  {name:18s} {r['precision']:.2f} / {r['recall']:.2f} / {r['f1']:.2f}  ({r['support']})")
    print(f"Figures written to {out_file}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
