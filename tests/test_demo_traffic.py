"""`make demo-traffic`: its pool holds only real users' messages from the corpora's training
splits that no project NLU file has (so no held-out set can), and its player plays the
conversations as asked, against a small local HTTP server that stands in for Rasa's REST
channel and records what arrives."""
import json
import re
import socket
import string
import subprocess
import sys
import threading
import time
from collections import defaultdict
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

from tools import demo_traffic
from tools.nlu_files import examples_in, plain

ROOT = Path(__file__).resolve().parent.parent
POOL = yaml.safe_load((ROOT / "tools" / "demo_traffic_pool.yml").read_text())["conversations"]
MAPPING = yaml.safe_load((ROOT / "tools" / "external_corpora.yml").read_text())["corpora"]
TURNS = [turn for conversation in POOL for turn in conversation["turns"]]


def normalise(text: str) -> str:
    """Lowercase, one space between words, no punctuation at the end."""
    return " ".join(text.lower().split()).rstrip(string.punctuation + " ")


def test_the_pool_is_conversations_of_one_to_three_turns_with_a_source_and_no_intent():
    assert 250 <= len(POOL) <= 350
    assert len({c["id"] for c in POOL}) == len(POOL)
    assert all(1 <= len(c["turns"]) <= 3 for c in POOL)
    # What a labeller could take for the answer (our intent) is not in the pool at all.
    assert all(set(turn) == {"text", "source", "label"} and turn["text"].strip() for turn in TURNS)
    assert len({normalise(turn["text"]) for turn in TURNS}) == len(TURNS)


def test_no_pool_message_is_in_any_training_or_held_out_file():
    """But the review queue's labels (data/nlu/reviewed.yml): teaching those is the loop's point."""
    files = [path for folder in ("data/nlu", "tests/nlu") for path in sorted((ROOT / folder).rglob("*.yml"))
             if path.name != "reviewed.yml"]
    assert any("/de/" in str(path) for path in files) and any("test_nlu_external" in str(path) for path in files)
    project = {normalise(plain(text)) for path in files for _, text, _ in examples_in(path)}
    assert len(project) > 5000
    shared = [turn["text"] for turn in TURNS if normalise(turn["text"]) in project]
    assert shared == []


def training_split(corpus: str, source: str) -> bool:
    """Whether a source (as tools/external_corpora.py writes it) lies in the corpus's training
    split as tools/external_corpora.yml names it, and not in its held-out one."""
    split, held_out = MAPPING[corpus]["train"], MAPPING[corpus]["held_out"]
    if not split:
        return False
    where = source.split()[1]
    if corpus == "hwu64":  # folds: "KFold_{2..10}" trained on, "KFold_1" held out
        first, last = map(int, re.search(r"\{(\d+)\.\.(\d+)\}", split).groups())
        fold = int(re.fullmatch(r"KFold_(\d+)", where).group(1))
        return first <= fold <= last and f"KFold_{fold}/" not in held_out
    if corpus == "banking77":  # "banking_data/train.csv:57"
        return where.rsplit(":", 1)[0] == split != held_out
    if corpus == "sgd":  # "train/dialogues_001.json"
        return where.split("/")[0] == split != held_out
    return False


def test_every_turn_names_its_source_in_a_training_split():
    for turn in TURNS:
        corpus = turn["source"].split()[0]
        assert turn["label"].split()[0] == corpus, turn
        assert training_split(corpus, turn["source"]), turn
    assert {turn["source"].split()[0] for turn in TURNS} == {"banking77", "hwu64", "sgd"}


def test_the_source_check_refuses_held_out_splits():
    assert not training_split("banking77", "banking77 banking_data/test.csv:12")
    assert not training_split("hwu64", "hwu64 KFold_1 general_affirm/x.json #0")
    assert not training_split("sgd", "sgd test/dialogues_001.json 1_00000 turn 0 service Buses_1")
    assert not training_split("abcd", "abcd data/abcd_sample.json convo 1")


def filled(payload: str) -> str:
    return re.sub(r"\{\w+\}", "track_order", payload).replace("{{", "{").replace("}}", "}")


def test_only_the_did_you_mean_answer_counts_as_a_clarification():
    patterns = demo_traffic.clarification_buttons()
    responses = yaml.safe_load((ROOT / "domain.yml").read_text())["responses"]
    counted = {name for name, variants in responses.items() for variant in variants if variant.get("buttons")
               and demo_traffic.is_clarification({"buttons": [{"payload": filled(b["payload"])}
                                                              for b in variant["buttons"]]}, patterns)}
    assert counted == {"utter_did_you_mean"}
    assert all(demo_traffic.is_clarification({"buttons": [{"payload": filled(b["payload"])} for b in v["buttons"]]},
                                             patterns) for v in responses["utter_did_you_mean"])


class Rest:
    """Stands in for Rasa's REST channel: records (sender, message, arrived, answered) and
    answers "did you mean ...?" (with that response's buttons) to messages of even length."""

    def __init__(self):
        self.seen, self.lock = [], threading.Lock()
        self.busy = self.most_busy = 0
        variant = yaml.safe_load((ROOT / "domain.yml").read_text())["responses"]["utter_did_you_mean"][-1]
        self.buttons = [{"title": b["title"], "payload": filled(b["payload"])} for b in variant["buttons"]]

    def answer(self, body: dict) -> list:
        arrived = time.monotonic()
        with self.lock:
            self.busy += 1
            self.most_busy = max(self.most_busy, self.busy)
        time.sleep(0.05)
        reply = {"recipient_id": body["sender"], "text": "Sorry, I'm not sure I understood."}
        if len(body["message"]) % 2 == 0:
            reply["buttons"] = self.buttons
        with self.lock:
            self.busy -= 1
            self.seen.append((body["sender"], body["message"], arrived, time.monotonic()))
        return [reply]


@contextmanager
def rest_server():
    rest = Rest()

    class Handler(BaseHTTPRequestHandler):
        def send(self, status: int, body: bytes, kind: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            self.send(200, b"Hello from a stand-in for Rasa", "text/plain")

        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            if self.path != "/webhooks/rest/webhook":
                return self.send(404, b"", "text/plain")
            self.send(200, json.dumps(rest.answer(body)).encode(), "application/json")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", rest
    finally:
        server.shutdown()
        server.server_close()


def play(url: str, capsys, *flags: str):
    status = demo_traffic.main(["--url", url, "--days", "3", "--per-day", "4", "--concurrency", "3", *flags])
    return status, capsys.readouterr().out


def test_plays_days_times_per_day_conversations_in_order_each_from_a_fresh_sender(capsys):
    by_id = {conversation["id"]: [t["text"] for t in conversation["turns"]] for conversation in POOL}
    with rest_server() as (url, rest):
        status, out = play(url, capsys)
        first = list(rest.seen)
        status_again, _ = play(url, capsys)

    assert status == status_again == 0
    by_sender = defaultdict(list)
    for sender, message, arrived, answered in first:
        by_sender[sender].append((arrived, answered, message))
    assert len(by_sender) == 3 * 4
    for sender, turns in by_sender.items():
        turns.sort()
        pool_id = re.fullmatch(r"demo-(c\d+)-[0-9a-f]+", sender).group(1)
        assert [message for _, _, message in turns] == by_id[pool_id]  # the whole conversation, in order
        # Each turn is sent only once the answer to the one before has been given.
        assert all(later[0] >= earlier[1] for earlier, later in zip(turns, turns[1:]))
    assert len({re.fullmatch(r"demo-(c\d+)-.*", s).group(1) for s in by_sender}) == 12  # 12 of the pool's
    # The same seed plays the same conversations again, from new senders.
    again = {sender for sender, *_ in rest.seen[len(first):]}
    assert len(again) == 12 and not again & set(by_sender)
    assert sorted(s.split("-")[1] for s in again) == sorted(s.split("-")[1] for s in by_sender)
    assert 1 < rest.most_busy <= 3  # conversations at once, never more than asked

    clarified = sum(len(message) % 2 == 0 for _, message, *_ in first)
    assert f"Played 12 conversations, {len(first)} turns answered" in out
    assert f'"Did you mean ...?" answers: {clarified} ' in out
    assert "Median answer time" in out


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_unreachable_assistant_exits_2_saying_to_start_it():
    port = free_port()
    # RASA_HOST and RASA_PORT are where it looks when no --url is given.
    done = subprocess.run([sys.executable, "-m", "tools.demo_traffic", "--days", "1", "--per-day", "1"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60,
                          env={"PATH": "/usr/bin:/bin", "RASA_HOST": "127.0.0.1", "RASA_PORT": str(port)})
    assert done.returncode == 2
    assert f"not reachable at http://127.0.0.1:{port}" in done.stderr
    assert "start the assistant with `make run` first" in done.stderr
    assert done.stdout == ""


@pytest.mark.parametrize("environ, url", [({}, "http://127.0.0.1:5005"),
                                          ({"RASA_HOST": "10.0.0.7", "RASA_PORT": "5105"}, "http://10.0.0.7:5105")])
def test_the_default_address_comes_from_rasa_host_and_port(environ, url):
    assert demo_traffic.default_url(environ) == url
