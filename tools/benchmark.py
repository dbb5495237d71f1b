"""`make bench`: this assistant and the bot `rasa init` makes, side by side in the same run,
under Locust at 1, 10 and 50 concurrent conversations over REST; and this assistant in the
scaled setup (tools/scaled.py: nginx, Rasa replicas, PostgreSQL, Redis; `--replicas 1,2`
measures each count), through nginx.

For each: turns/s, median, p95 and p99 per turn, errors, the resident memory of each process
after the load, and start-up time. The `rasa init` bot is built and trained once into
build/rasa-init-bot (cached). Writes JSON and a markdown table; says what it is doing as it
goes. Locust runs in its own virtualenv (.venv/bench); the services as `make run` starts them.

Chat while photos upload (this assistant; `--uploaders 0` leaves it out): 10 conversations
without uploads, then the same with `--uploaders` customers (2) sending their return's photos
to the order backend beside them, back to back, each ~5 MB (tools/bench_photos.py, made into
var/bench-photos/); the chat's median and turns/s of both and their ratio, the uploads' median
and p90 and how many were kept or refused. Before them, `--photo-uploads` (21) photos alone,
one after another, no chat: how long a photo takes from PUT to its answer.
"""
import argparse
import csv
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List, Optional

import requests
import yaml

from tools.scaled import scratch_scaled_assistant
from tools.services import BACKEND_VENV, RASA_VENV, ROOT, Assistant, Service, free_port, scratch_assistant

BENCH_VENV = ROOT / ".venv" / "bench"
INIT_BOT = ROOT / "build" / "rasa-init-bot"
LOCUSTFILE = ROOT / "tools" / "locustfile.py"
BENCH_PHOTOS = ROOT / "var" / "bench-photos"
SEED = ROOT / "backend" / "seed.yml"
# The figure: chat latency with uploads against without, at this many conversations.
UPLOAD_PHASE_USERS = 10


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


def load(host: str, conversation: str, users: int, seconds: int, conversations: int = 0,
         uploaders: int = 0, uploads: Optional[Dict[str, str]] = None) -> Dict[str, dict]:
    """One Locust run (for `seconds`, or until `conversations` are done, or the photos of
    BENCH_UPLOADS): `users` customers chatting and `uploaders` sending photos (`uploads`: the
    Uploader's settings, tools/locustfile.py). Its figures per turn ("turn") and per photo
    ("photo"), for those that ran."""
    classes = (["Customer"] if users else []) + (["Uploader"] if uploaders else [])
    with tempfile.TemporaryDirectory() as tmp:
        prefix = Path(tmp) / "run"
        subprocess.run(
            [str(BENCH_VENV / "bin" / "locust"), "-f", str(LOCUSTFILE), "--headless", "--only-summary",
             "-u", str(users + uploaders), "-r", str(users + uploaders), "-t", f"{seconds}s", "--stop-timeout", "30",
             "-H", host, "--csv", str(prefix), "--loglevel", "WARNING", *classes],
            # PYTHONPATH: the Uploader mints its links with common/photo_links.py.
            cwd=ROOT, env={**os.environ, "BENCH_CONVERSATION": conversation, "BENCH_CONVERSATIONS": str(conversations),
                           "BENCH_UPLOADERS": str(uploaders), "PYTHONPATH": str(ROOT), **(uploads or {})},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)  # exits 1 on any failure
        with open(f"{prefix}_stats.csv") as stats:
            rows = {r["Name"]: r for r in csv.DictReader(stats)}
        with open(f"{prefix}_failures.csv") as failures:
            failed = [(r["Name"], r["Error"], int(r["Occurrences"])) for r in csv.DictReader(failures)]
    figures = {}
    if "turn" in rows:
        row = rows["turn"]
        figures["turn"] = {"turns_per_s": round(float(row["Requests/s"]), 1),
                           "median_ms": float(row["Median Response Time"]), "p95_ms": float(row["95%"]),
                           "p99_ms": float(row["99%"]), "turns": int(row["Request Count"]),
                           "errors": int(row["Failure Count"])}
    if "photo" in rows:
        row = rows["photo"]
        refused: Dict[str, int] = {}
        for name, error, count in failed:
            if name == "photo":
                # Locust keeps a failure's message inside its exception's repr: "refused: blurry" or "HTTP 429".
                said = error.split("(", 1)[-1].strip("()'\"")
                refused[said] = refused.get(said, 0) + count
        figures["photo"] = {"photos": int(row["Request Count"]),
                            "kept": int(row["Request Count"]) - int(row["Failure Count"]),
                            "not_kept": refused, "photos_per_s": round(float(row["Requests/s"]), 2),
                            "median_ms": float(row["Median Response Time"]), "p90_ms": float(row["90%"]),
                            "mean_ms": round(float(row["Average Response Time"])),
                            "max_ms": float(row["Max Response Time"])}
    return figures


def warm_up(webhook: str, messages: List[str]) -> None:
    sender = f"warm-up-{time.time_ns()}"
    for message in messages:
        requests.post(webhook, json={"sender": sender, "message": message}, timeout=60).raise_for_status()


def measure(name: str, host: str, conversation: str, processes: Dict[str, int], users: List[int],
            seconds: int, cpu_groups: Optional[Dict[str, int]] = None, uploaders: int = 0,
            uploads: Optional[Dict[str, str]] = None) -> List[dict]:
    """Each load in turn; resident memory of `processes` after it, and CPU time per turn of
    `cpu_groups` (services with their workers; default: `processes`) and of Locust itself.
    With `uploaders`, photos are sent beside the chat (load()); their figures are the row's
    "photos", and the CPU they take is in the turns'."""
    cpu_groups = cpu_groups or processes
    rows = []
    for count in users:
        beside = f", {uploaders} sending photos beside them" if uploaders else ""
        machine = load_average()
        say(f"{name}: {count} concurrent conversation(s){beside} for {seconds} s (load average {machine}) ...")
        before = cpu_s(cpu_groups)
        locust_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        measured = load(host, conversation, count, seconds, uploaders=uploaders, uploads=uploads)
        figures = measured["turn"]
        locust_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        turns = max(figures["turns"], 1)
        cpu = {group: round((spent - before[group]) * 1000 / turns, 1) for group, spent in cpu_s(cpu_groups).items()}
        cpu["locust"] = round((locust_after.ru_utime + locust_after.ru_stime - locust_before.ru_utime
                               - locust_before.ru_stime) * 1000 / turns, 1)
        memory = {process: rss_mb(pid) for process, pid in processes.items()}
        rows.append({"target": name, "users": count, **figures, "rss_mb": memory, "cpu_ms_per_turn": cpu,
                     "load_average_before": machine})
        say(f"{name}, {count}: {figures['turns_per_s']} turns/s, median {figures['median_ms']:.0f} ms, "
            f"p95 {figures['p95_ms']:.0f} ms, {figures['errors']} errors, RSS {memory}, CPU ms a turn {cpu}")
        if "photo" in measured:
            rows[-1].update(uploaders=uploaders, photos=measured["photo"])
            say(f"photos beside them: {measured['photo']}")
    return rows


def load_average() -> str:
    """The machine's 1, 5 and 15 minute load averages: others' work shows there, and the bench's
    own previous run."""
    return " ".join(f"{figure:.2f}" for figure in os.getloadavg())


def make_photos(folder: Path = BENCH_PHOTOS, *options: str) -> Dict[str, int]:
    """The ~5 MB photos the uploaders send, made and checked by the backend's own code in its
    virtualenv (tools/bench_photos.py, with its `options`): each slot's size in bytes."""
    made = subprocess.run([str(BACKEND_VENV / "bin" / "python"), "-m", "tools.bench_photos", str(folder), *options],
                          cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True)
    if made.returncode != 0:
        raise RuntimeError(f"the bench's photos were not made:\n{made.stderr}")
    return json.loads(made.stdout)


def bench_uploads(assistant: Assistant, processes: Dict[str, int], groups: Dict[str, int], seconds: int,
                  uploaders: int, alone: int) -> dict:
    """`alone` photos one after another with no chat (how long one takes, and the backend's
    CPU for it); then UPLOAD_PHASE_USERS conversations without uploads, then with `uploaders`
    sending photos beside them, back to back."""
    sizes = make_photos()
    orders = [order["number"] for order in yaml.safe_load(SEED.read_text())["orders"]]
    uploads = {"BENCH_BACKEND_URL": f"http://{assistant.host}:{assistant.backend_port}",
               "ORDERS_API_TOKEN": assistant.secrets.orders_api_token, "BENCH_PHOTOS": str(BENCH_PHOTOS),
               "BENCH_PHOTO_ORDERS": ",".join(orders)}
    megabytes = round(sum(sizes.values()) / len(sizes) / 1e6, 2)
    machine = load_average()
    say(f"photos alone: {alone} of {megabytes} MB one after another, no chat (load average {machine}) ...")
    before = cpu_s(groups)
    figures = load(assistant.url, "ours", 0, 600, uploaders=1, uploads={**uploads, "BENCH_UPLOADS": str(alone)})["photo"]
    spent = {group: round((total - before[group]) * 1000 / max(figures["photos"], 1))
             for group, total in cpu_s(groups).items()}
    figures.update(cpu_ms_per_photo=spent, backend_rss_mb=rss_mb(processes["backend"]), load_average_before=machine)
    say(f"photos alone: {figures}")
    without = measure("this assistant", assistant.url, "ours", processes, [UPLOAD_PHASE_USERS], seconds, groups)[0]
    beside = measure("this assistant", assistant.url, "ours", processes, [UPLOAD_PHASE_USERS], seconds, groups,
                     uploaders=uploaders, uploads=uploads)[0]
    ratio = {"median": round(beside["median_ms"] / without["median_ms"], 2),
             "turns_per_s": round(beside["turns_per_s"] / without["turns_per_s"], 2)}
    say(f"chat with uploads against without: median x{ratio['median']}, turns/s x{ratio['turns_per_s']}")
    return {"photo_mb": megabytes, "photos": len(sizes), "alone": figures, "without": without, "with": beside,
            "ratio": ratio}


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


def bench_ours(users: List[int], seconds: int, soak: int = 0, uploaders: int = 0, photo_uploads: int = 0) -> dict:
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
        if uploaders:
            result["uploads"] = bench_uploads(assistant, processes, groups, seconds, uploaders, photo_uploads)
        if soak:
            say(f"this assistant: {soak} conversations at 10 at a time, then the memory ...")
            figures = load(assistant.url, "ours", 10, 3600, conversations=soak)["turn"]
            result["soak"] = {"conversations": soak, **figures,
                              "rss_mb": {process: rss_mb(pid) for process, pid in processes.items()}}
            say(f"after {soak} conversations: {result['soak']}")
    return result


def without_event_broker(folder: Path) -> Path:
    """endpoints.yml without its event broker: the assistant as it answered before the insights."""
    endpoints = yaml.safe_load((ROOT / "endpoints.yml").read_text())
    endpoints.pop("event_broker")
    path = folder / "endpoints-without-insights.yml"
    path.write_text(yaml.safe_dump(endpoints))
    return path


def bench_recording(users: int, seconds: int, rounds: int = 3) -> dict:
    """What recording every event for the insights costs the chat: this assistant with and
    without its event broker, `rounds` times each, alternating, at `users` conversations."""
    runs: Dict[str, List[dict]] = {"without": [], "with": []}
    with tempfile.TemporaryDirectory() as tmp:
        plain = without_event_broker(Path(tmp))
        for _ in range(rounds):
            for label, endpoints in (("without", plain), ("with", ROOT / "endpoints.yml")):
                with scratch_assistant(endpoints=endpoints) as assistant:
                    warm_up(assistant.rest_webhook, ["where is my order 40512351", "ana.martin@example.com", "thanks"])
                    processes = {"rasa": assistant.service("Rasa server").process.pid}
                    groups = {**processes, "handoff": assistant.service("handoff service").process.pid}
                    runs[label] += measure(f"this assistant, {label} the insights' event broker", assistant.url,
                                           "ours", processes, [users], seconds, groups)
    rate = {label: statistics.median(run["turns_per_s"] for run in done) for label, done in runs.items()}
    median = {label: statistics.median(run["median_ms"] for run in done) for label, done in runs.items()}
    return {"runs": runs["without"] + runs["with"], "startup_s": "",
            "recording": {"turns_per_s": rate, "median_ms": median,
                          "turns_per_s_change": round(rate["with"] / rate["without"] - 1, 4)}}


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
    for result in results.values():
        if "uploads" in result:
            lines += ["", uploads_table(result["uploads"])]
        if "recording" in result:
            recording = result["recording"]
            lines += ["", f"Recording for the insights (event broker and reader), at {result['runs'][0]['users']} "
                          f"conversations, the median of {len(result['runs']) // 2} alternating runs each: "
                          f"{recording['turns_per_s']['without']} turns/s without, {recording['turns_per_s']['with']} "
                          f"with ({recording['turns_per_s_change']:+.1%}); median answer "
                          f"{recording['median_ms']['without']:.0f} ms without, {recording['median_ms']['with']:.0f} ms with."]
    return "\n".join(lines) + "\n"


def uploads_table(uploads: dict) -> str:
    """The chat without and with photos uploading beside it, and a photo's time alone."""
    def refused(photos: dict) -> str:
        return ", ".join(f"{said} {count}" for said, count in photos["not_kept"].items()) or "none"

    lines = [f"Chat while photos upload ({uploads['photo_mb']} MB JPEGs, each uploader sending its return's "
             f"{uploads['photos']} back to back):", "",
             "| this assistant | conversations | turns/s | median | p95 | errors | Rasa CPU a turn | photos | kept "
             "| not kept | photo median | photo p90 | photos/s |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: |"]
    for label, run in (("without uploads", uploads["without"]), ("with uploads", uploads["with"])):
        photos = run.get("photos")
        photo = (f"{photos['photos']} | {photos['kept']} | {refused(photos)} | {photos['median_ms']:.0f} ms "
                 f"| {photos['p90_ms']:.0f} ms | {photos['photos_per_s']}" if photos else " | | | | | ")
        if photos:
            label += f" ({run['uploaders']} uploading)"
        lines.append(f"| {label} | {run['users']} "
                     f"| {run['turns_per_s']} | {run['median_ms']:.0f} ms | {run['p95_ms']:.0f} ms | {run['errors']} "
                     f"| {run['cpu_ms_per_turn'].get('rasa', 0):.1f} ms | {photo} |")
    alone = uploads["alone"]
    lines += ["", f"With uploads against without: median x{uploads['ratio']['median']}, turns/s "
                  f"x{uploads['ratio']['turns_per_s']}.", "",
              f"A photo alone, no chat (PUT to its answer, one after another): median {alone['median_ms']:.0f} ms, "
              f"p90 {alone['p90_ms']:.0f} ms, {alone['photos']} photos, {alone['kept']} kept, not kept: "
              f"{refused(alone)}; backend CPU a photo {alone['cpu_ms_per_photo'].get('backend', 0)} ms, "
              f"its resident memory after {alone['backend_rss_mb']:.0f} MB."]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "results" / "benchmark.json")
    parser.add_argument("--users", default="1,10,50", help="concurrent conversations, comma-separated")
    parser.add_argument("--seconds", type=int, default=30, help="how long each load runs")
    parser.add_argument("--targets", default="init,ours,recording,scaled",
                        help="init, ours, recording (ours with and without the insights' event broker), "
                             "scaled (PostgreSQL, Redis, nginx, Rasa replicas: tools/scaled.py)")
    parser.add_argument("--recording-rounds", type=int, default=3,
                        help="the recording target: this many runs with and without the event broker, alternating")
    parser.add_argument("--replicas", default="2", help="the scaled target's Rasa replicas, comma-separated")
    parser.add_argument("--soak", type=int, default=0, help="then this many conversations, and the memory after")
    parser.add_argument("--uploaders", type=int, default=2,
                        help=f"this assistant at {UPLOAD_PHASE_USERS} conversations also with this many customers "
                             "uploading ~5 MB return photos back to back beside them (0: not)")
    parser.add_argument("--photo-uploads", type=int, default=21,
                        help="photos uploaded one after another with no chat, for a photo's own time")
    args = parser.parse_args()
    users = [int(u) for u in args.users.split(",")]
    targets = args.targets.split(",")
    results = {}
    if "init" in targets:
        results["init"] = bench_init_bot(users, args.seconds)
    if "ours" in targets:
        results["ours"] = bench_ours(users, args.seconds, args.soak, args.uploaders, args.photo_uploads)
    if "recording" in targets:
        results["recording"] = bench_recording(UPLOAD_PHASE_USERS, args.seconds, args.recording_rounds)
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
