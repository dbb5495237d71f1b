"""`make fuzz`: sends hostile messages (tools/hostile.py) to a running assistant and checks
every reply; prints how many were sent, how long it took, and every problem found."""
import argparse
import json
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

from tools.hostile import conversations, problems
from tools.services import ROOT, scratch_assistant


def converse(webhook: str, sender, texts) -> list:
    session, found = requests.Session(), []
    for text in texts:
        body = {"sender": sender.name, "message": text}
        if sender.metadata:
            body["metadata"] = sender.metadata
        response = session.post(webhook, json=body, timeout=60)
        try:
            reply = response.json()
        except ValueError:
            reply = None
        found += [f"{sender.name}: {p} (after {text[:60]!r})" for p in problems(sender, response.status_code, reply)]
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--out", type=Path, default=ROOT / "results" / "fuzz.json")
    args = parser.parse_args()
    with scratch_assistant() as assistant:
        plan = conversations(args.messages, assistant.secrets.customer_token_secret)
        start = time.perf_counter()
        with ThreadPoolExecutor(args.clients) as pool:
            found = [p for ps in pool.map(lambda c: converse(assistant.rest_webhook, *c), plan) for p in ps]
        seconds = time.perf_counter() - start
    sent = sum(len(texts) for _, texts in plan)
    summary = {"messages": sent, "conversations": len(plan), "seconds": round(seconds, 1),
               "messages_per_s": round(sent / seconds, 1), "problems": found[:200], "problem_count": len(found)}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(summary, indent=2))
    print(f"Hostile input: {sent} messages in {len(plan)} conversations, {seconds:.0f} s "
          f"({summary['messages_per_s']}/s), {len(found)} problem(s).")
    for problem in found[:30]:
        print("  " + problem)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
