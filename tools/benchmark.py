"""`make bench`: response times over the REST channel, start-up time and training time.

Starts its own assistant on free ports (as `make run` would), measures, stops it, and
writes the figures to a JSON file. Times are wall-clock on this machine.
"""
import argparse
import json
import statistics
import subprocess
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import List

import requests

from tools.services import RASA_VENV, ROOT, scratch_assistant

# A realistic mix: FAQ answers, custom actions (checklist, carrier, clarification), chit-chat.
CONVERSATION = [
    "hi",
    "where is my parcel?",
    "when will my iphone 12 ship",
    "i want to return my macbook",
    "where do i get the return label",
    "no",
    "what do i need to do before sending it back",
    "ok",
    "ok",
    "can ups pick it up from my house",
    "how long is the label valid",
    "blorp the order thing",
    "thanks",
    "bye",
]


# Every turn looks the order up in the order backend and computes its deadlines.
BACKEND_CONVERSATION = [
    "where is my order 40512351",
    "when will order 40512348 ship",
    "is order 40512346 confirmed",
    "where is my return label for order 40512360",
    "when do I get my refund for order 40512365",
    "has the seller received my return? order 40512363",
]


def percentile(values: List[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def summary(latencies: List[float], seconds: float) -> dict:
    ms = [1000 * x for x in latencies]
    return {"turns": len(ms), "median_ms": round(statistics.median(ms), 1),
            "p95_ms": round(percentile(ms, 95), 1), "turns_per_s": round(len(ms) / seconds, 1)}


def converse(webhook: str, rounds: int, conversation: List[str] = CONVERSATION) -> List[float]:
    session = requests.Session()
    latencies = []
    for _ in range(rounds):
        sender = uuid.uuid4().hex
        for message in conversation:
            start = time.perf_counter()
            reply = session.post(webhook, json={"sender": sender, "message": message}, timeout=30)
            latencies.append(time.perf_counter() - start)
            reply.raise_for_status()
    return latencies


def measure_turns(webhook: str, conversations: int, rounds: int, conversation: List[str] = CONVERSATION) -> dict:
    start = time.perf_counter()
    with ThreadPoolExecutor(conversations) as pool:
        results = list(pool.map(lambda _: converse(webhook, rounds, conversation), range(conversations)))
    return summary([x for r in results for x in r], time.perf_counter() - start)


def measure_training() -> float:
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        subprocess.run([str(RASA_VENV / "bin" / "rasa"), "train", "--force", "--quiet", "--out", out],
                       cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "results" / "benchmark.json")
    parser.add_argument("--rounds", type=int, default=5, help="conversations per client")
    parser.add_argument("--skip-training", action="store_true")
    args = parser.parse_args()

    figures = {}
    start = time.perf_counter()
    with scratch_assistant() as assistant:
        requests.post(assistant.rest_webhook, json={"sender": "warm-up", "message": "hi"}, timeout=60).raise_for_status()
        figures["start_to_first_answer_s"] = round(time.perf_counter() - start, 1)
        converse(assistant.rest_webhook, 1)  # warm-up: first-call costs out of the figures
        figures["one_conversation"] = measure_turns(assistant.rest_webhook, 1, args.rounds * 2)
        figures["ten_concurrent_conversations"] = measure_turns(assistant.rest_webhook, 10, args.rounds)
        figures["turns_calling_the_backend"] = measure_turns(
            assistant.rest_webhook, 1, args.rounds * 4, BACKEND_CONVERSATION)
    if not args.skip_training:
        figures["training_s"] = round(measure_training(), 1)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(figures, indent=2))
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
