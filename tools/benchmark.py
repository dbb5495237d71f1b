"""`make bench`: this assistant and the bot `rasa init` makes, side by side in the same run,
under Locust at 1, 10 and 50 concurrent conversations over REST; and this assistant in the
scaled setup (tools/scaled.py: nginx, Rasa replicas, PostgreSQL, Redis; `--replicas 1,2`
measures each count), through nginx.

For each: turns/s, median, p95 and p99 per turn, errors, the resident memory of each process
after the load, and start-up time. The `rasa init` bot is built and trained once into
build/rasa-init-bot (cached). Writes JSON and a markdown table; says what it is doing as it
goes. Locust runs in its own virtualenv (.venv/bench); the services as `make run` starts them.
"""
import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List, Optional

import requests

from tools.scaled import scratch_scaled_assistant
from tools.services import RASA_VENV, ROOT, Service, free_port, scratch_assistant

BENCH_VENV = ROOT / ".venv" / "bench"
INIT_BOT = ROOT / "build" / "rasa-init-bot"
LOCUSTFILE = ROOT / "tools" / "locustfile.py"


def say(*words) -> None:
    print("bench:", *words, flush=True)


def rss_mb(pid: int) -> float:
    """Resident memory of a process, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def cpu_s(groups: Dict[str, int]) -> Dict[str, float]:
    """CPU time (user + system) of each process and all its descendants (a service with its
    workers; PostgreSQL's backends under runuser), in seconds, from one reading of /proc."""
    parents, times = {}, {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # gone meanwhile
            continue
        process = int(stat.parent.name)
        parents[process] = int(fields[1])  # ppid
        times[process] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime

    def tree_total(pid: int) -> float:
        tree, total = {pid}, 0.0
        for process in sorted(times):  # children have larger pids, except after wrap-around: walk up
            ancestor = process
            while ancestor not in tree and ancestor in parents and ancestor > 1:
                ancestor = parents[ancestor]
            if ancestor in tree:
                tree.add(process)
                total += times[process]
        return total

    return {group: tree_total(pid) for group, pid in groups.items()}


def init_bot() -> Path:
    """The bot `rasa init` makes, trained, built once."""
    if not (INIT_BOT / "models").is_dir() or not any((INIT_BOT / "models").glob("*.tar.gz")):
        say("building the `rasa init` bot (once, cached in build/rasa-init-bot) ...")
        INIT_BOT.mkdir(parents=True, exist_ok=True)  # rasa init wants the folder to exist
        subprocess.run([str(RASA_VENV / "bin" / "rasa"), "init", "--no-prompt", "--init-dir", str(INIT_BOT)],
                       cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return INIT_BOT


def load(host: str, conversation: str, users: int, seconds: int, conversations: int = 0) -> Dict[str, float]:
    """One Locust run (for `seconds`, or until `conversations` are done); its figures per turn."""
    with tempfile.TemporaryDirectory() as tmp:
        prefix = Path(tmp) / "run"
        subprocess.run(
            [str(BENCH_VENV / "bin" / "locust"), "-f", str(LOCUSTFILE), "--headless", "--only-summary",
             "-u", str(users), "-r", str(users), "-t", f"{seconds}s", "--stop-timeout", "30", "-H", host,
             "--csv", str(prefix), "--loglevel", "WARNING"],
            cwd=ROOT, env={**os.environ, "BENCH_CONVERSATION": conversation, "BENCH_CONVERSATIONS": str(conversations)},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)  # exits 1 on any failure
        with open(f"{prefix}_stats.csv") as stats:
            row = next(r for r in csv.DictReader(stats) if r["Name"] == "Aggregated")
    return {"turns_per_s": round(float(row["Requests/s"]), 1), "median_ms": float(row["Median Response Time"]),
            "p95_ms": float(row["95%"]), "p99_ms": float(row["99%"]), "turns": int(row["Request Count"]),
            "errors": int(row["Failure Count"])}


def warm_up(webhook: str, messages: List[str]) -> None:
    sender = f"warm-up-{time.time_ns()}"
    for message in messages:
        requests.post(webhook, json={"sender": sender, "message": message}, timeout=60).raise_for_status()


def measure(name: str, host: str, conversation: str, processes: Dict[str, int], users: List[int],
            seconds: int, cpu_groups: Optional[Dict[str, int]] = None) -> List[dict]:
    """Each load in turn; resident memory of `processes` after it, and CPU time per turn of
    `cpu_groups` (services with their workers; default: `processes`) and of Locust itself."""
    cpu_groups = cpu_groups or processes
    rows = []
    for count in users:
        say(f"{name}: {count} concurrent conversation(s) for {seconds} s ...")
        before = cpu_s(cpu_groups)
        locust_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        figures = load(host, conversation, count, seconds)
        locust_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        turns = max(figures["turns"], 1)
        cpu = {group: round((spent - before[group]) * 1000 / turns, 1) for group, spent in cpu_s(cpu_groups).items()}
        cpu["locust"] = round((locust_after.ru_utime + locust_after.ru_stime - locust_before.ru_utime
                               - locust_before.ru_stime) * 1000 / turns, 1)
        memory = {process: rss_mb(pid) for process, pid in processes.items()}
        rows.append({"target": name, "users": count, **figures, "rss_mb": memory, "cpu_ms_per_turn": cpu})
        say(f"{name}, {count}: {figures['turns_per_s']} turns/s, median {figures['median_ms']:.0f} ms, "
            f"p95 {figures['p95_ms']:.0f} ms, {figures['errors']} errors, RSS {memory}, CPU ms a turn {cpu}")
    return rows


def bench_init_bot(users: List[int], seconds: int) -> dict:
    bot = init_bot()
    port = free_port()
    with tempfile.TemporaryDirectory() as logs:
        service = Service("rasa init bot", [str(RASA_VENV / "bin" / "rasa"), "run", "--port", str(port),
                                            "--interface", "127.0.0.1", "--model", str(bot / "models")],
                          f"http://127.0.0.1:{port}/", Path(logs) / "rasa.log", cwd=bot)
        started = time.monotonic()
        service.start()
        try:
            service.wait_ready(300)
            startup = round(time.monotonic() - started, 1)
            host = f"http://127.0.0.1:{port}"
            warm_up(f"{host}/webhooks/rest/webhook", ["hi", "bye"])
            rows = measure("rasa init bot", host, "init", {"rasa": service.process.pid}, users, seconds)
        finally:
            service.stop()
    return {"startup_s": startup, "runs": rows}


def bench_ours(users: List[int], seconds: int, soak: int = 0) -> dict:
    started = time.monotonic()
    with scratch_assistant() as assistant:
        startup = round(time.monotonic() - started, 1)
        warm_up(assistant.rest_webhook, ["where is my order 40512351", "ana.martin@example.com", "thanks"])
        processes = {"rasa": assistant.service("Rasa server").process.pid,
                     "actions": assistant.service("action server").process.pid,
                     "backend": assistant.service("order backend").process.pid}
        groups = {**processes, "handoff": assistant.service("handoff service").process.pid}
        rows = measure("this assistant", assistant.url, "ours", processes, users, seconds, groups)
        result = {"startup_s": startup, "runs": rows}
        if soak:
            say(f"this assistant: {soak} conversations at 10 at a time, then the memory ...")
            figures = load(assistant.url, "ours", 10, 3600, conversations=soak)
            result["soak"] = {"conversations": soak, **figures,
                              "rss_mb": {process: rss_mb(pid) for process, pid in processes.items()}}
            say(f"after {soak} conversations: {result['soak']}")
    return result


def bench_scaled(users: List[int], seconds: int, replicas: int) -> dict:
    """The scaled setup (tools/scaled.py): nginx, `replicas` Rasa servers, PostgreSQL, Redis,
    the action server with two workers; measured the same way, through nginx."""
    started = time.monotonic()
    with scratch_scaled_assistant(replicas=replicas) as assistant:
        startup = round(time.monotonic() - started, 1)
        warm_up(assistant.rest_webhook, ["where is my order 40512351", "ana.martin@example.com", "thanks"])
        processes = {**{f"rasa {number}": service.process.pid
                        for number, service in enumerate(assistant.replica_services, start=1)},
                     "actions": assistant.service("action server").process.pid,
                     "backend": assistant.service("order backend").process.pid}
        name = f"scaled, {replicas} Rasa replica{'s' if replicas > 1 else ''}"
        groups = {**processes, **{service.name: service.process.pid for service in assistant.infrastructure},
                  "nginx": assistant.service("nginx").process.pid,
                  "handoff": assistant.service("handoff service").process.pid}
        rows = measure(name, assistant.url, "ours", processes, users, seconds, groups)
    return {"startup_s": startup, "runs": rows}


def table(results: Dict[str, dict]) -> str:
    lines = ["| target | conversations | turns/s | median | p95 | p99 | errors | resident memory | start-up |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |"]
    for result in results.values():
        for run in result["runs"]:
            memory = ", ".join(f"{k} {v:.0f} MB" for k, v in run["rss_mb"].items())
            lines.append(f"| {run['target']} | {run['users']} | {run['turns_per_s']} | {run['median_ms']:.0f} ms "
                         f"| {run['p95_ms']:.0f} ms | {run['p99_ms']:.0f} ms | {run['errors']} | {memory} "
                         f"| {result['startup_s']} s |")
    lines += ["", "CPU time a turn, by process (a service with its workers; Locust too):", "",
              "| target | conversations | CPU a turn |", "| --- | ---: | --- |"]
    for result in results.values():
        for run in result["runs"]:
            cpu = ", ".join(f"{k} {v:.1f} ms" for k, v in run.get("cpu_ms_per_turn", {}).items())
            lines.append(f"| {run['target']} | {run['users']} | {cpu} |")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "results" / "benchmark.json")
    parser.add_argument("--users", default="1,10,50", help="concurrent conversations, comma-separated")
    parser.add_argument("--seconds", type=int, default=30, help="how long each load runs")
    parser.add_argument("--targets", default="init,ours,scaled",
                        help="init, ours, scaled (PostgreSQL, Redis, nginx, Rasa replicas: tools/scaled.py)")
    parser.add_argument("--replicas", default="2", help="the scaled target's Rasa replicas, comma-separated")
    parser.add_argument("--soak", type=int, default=0, help="then this many conversations, and the memory after")
    args = parser.parse_args()
    users = [int(u) for u in args.users.split(",")]
    targets = args.targets.split(",")
    results = {}
    if "init" in targets:
        results["init"] = bench_init_bot(users, args.seconds)
    if "ours" in targets:
        results["ours"] = bench_ours(users, args.seconds, args.soak)
    if "scaled" in targets:
        for replicas in (int(r) for r in args.replicas.split(",")):
            results[f"scaled-{replicas}"] = bench_scaled(users, args.seconds, replicas)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2))
    markdown = table(results)
    args.out.with_suffix(".md").write_text(markdown)
    print(markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
