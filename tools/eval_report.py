"""`make eval`: summarises `rasa test nlu` on the held-out set (tests/nlu/).

Prints intent accuracy, macro-F1, the weakest intents, the main confusions and entity
scores, and writes the same figures to a JSON file.
"""
import json
import sys
from collections import Counter
from pathlib import Path


def summarise(results: Path) -> dict:
    intents = json.loads((results / "intent_report.json").read_text())
    per_intent = {
        name: {"f1": round(row["f1-score"], 3), "support": row["support"],
               "confused_with": row.get("confused_with", {})}
        for name, row in intents.items()
        if isinstance(row, dict) and "support" in row and name not in ("macro avg", "weighted avg", "micro avg")
    }
    errors_file = results / "intent_errors.json"
    errors = json.loads(errors_file.read_text()) if errors_file.exists() else []
    confusions = Counter(
        f"{e['intent']} -> {e['intent_prediction']['name']}" for e in errors
    )
    entities = {}
    for report in results.glob("*Extractor_report.json"):
        rows = json.loads(report.read_text())
        entities = {
            name: {"precision": round(r["precision"], 3), "recall": round(r["recall"], 3),
                   "f1": round(r["f1-score"], 3), "support": r["support"]}
            for name, r in rows.items() if isinstance(r, dict) and name != "no_entity"
        }
    return {
        "examples": sum(v["support"] for v in per_intent.values()),
        "intent_accuracy": round(intents["accuracy"], 4),
        "intent_macro_f1": round(intents["macro avg"]["f1-score"], 4),
        "fallback_predictions": sum(1 for e in errors if e["intent_prediction"]["name"] == "nlu_fallback"),
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
    print(f"Sent to fallback: {summary['fallback_predictions']}")
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
