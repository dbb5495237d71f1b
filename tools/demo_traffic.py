"""`make demo-traffic`: plays a week's volume of customer conversations from the pool
(tools/demo_traffic_pool.yml) to a running assistant, through Rasa's REST channel.

Each conversation gets a fresh sender id (demo-<pool id>-<random>) and its turns are sent in
order, each after the answer to the one before. The conversations are played now, as fast as
the assistant answers: Rasa timestamps the events itself when it receives them, so "a week" is
a week's volume (days x conversations a day), not a week of timestamps.
"""
import argparse
import os
import random
import re
import statistics
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import List, Mapping, Optional, Sequence, Tuple

import requests
import yaml
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from actions.clarification import topics_from_buttons

ROOT = Path(__file__).resolve().parent.parent
POOL = ROOT / "tools" / "demo_traffic_pool.yml"
DOMAIN = ROOT / "domain.yml"
SENDER_PREFIX = "demo-"
# The response that asks "did you mean ...?"; the REST channel sends its buttons, not its name.
CLARIFICATION = "utter_did_you_mean"
TOPIC_MENU = "utter_topics"  # whose intents action_clarify suggests (actions/dialogue/fallback.py)
ANSWER_TIMEOUT_S = 60


def default_url(environ: Mapping[str, str] = os.environ) -> str:
    """Where `make run` serves the assistant: RASA_HOST and RASA_PORT, as defaults.mk sets them
    (its defaults when run outside make)."""
    return f"http://{environ.get('RASA_HOST') or '127.0.0.1'}:{environ.get('RASA_PORT') or '5005'}"


def clarification_buttons(domain: Path = DOMAIN) -> List[List["re.Pattern"]]:
    """Per variant of the clarification response, a pattern for each button's payload: a
    suggestion ({suggestion_1}) is one of the topic menu's intents, as action_clarify takes
    them; the rest is literal ("/deny"). A checklist step's "/affirm /previous_step /deny" has
    the same shape, so the topics are what tell them apart."""
    responses = yaml.safe_load(domain.read_text())["responses"]
    topics = topics_from_buttons(button for variant in responses[TOPIC_MENU] for button in variant.get("buttons", []))
    suggestion = "(" + "|".join(map(re.escape, sorted(topics))) + ")"
    return [[re.compile("^" + re.sub(r"\\\{\w+\\\}", lambda _: suggestion, re.escape(button["payload"])) + "$")
             for button in variant["buttons"]] for variant in responses[CLARIFICATION] if variant.get("buttons")]


def is_clarification(message: Mapping, patterns: Sequence[Sequence["re.Pattern"]]) -> bool:
    payloads = [str(button.get("payload", "")) for button in message.get("buttons") or []]
    return any(len(payloads) == len(variant) and all(p.match(payload) for p, payload in zip(variant, payloads))
               for variant in patterns)


def load_pool(path: Path) -> List[Tuple[str, List[str]]]:
    """(conversation id, the customer's messages in order); sources stay in the file."""
    return [(conversation["id"], [turn["text"] for turn in conversation["turns"]])
            for conversation in yaml.safe_load(path.read_text())["conversations"]]


def plan(pool: Sequence[Tuple[str, List[str]]], count: int, seed: int) -> List[Tuple[str, List[str]]]:
    """`count` conversations in a seeded random order; past the pool's size it starts over,
    in another order."""
    rng, chosen = random.Random(seed), []
    while len(chosen) < count:
        order = list(pool)
        rng.shuffle(order)
        chosen += order[:count - len(chosen)]
    return chosen


def new_session() -> requests.Session:
    session = requests.Session()
    # Connection errors only: a message the assistant may have read is never sent twice.
    retry = Retry(total=None, connect=3, read=0, status=0, other=0, redirect=0, backoff_factor=0.5)
    session.mount("http://", HTTPAdapter(max_retries=retry))
    session.mount("https://", HTTPAdapter(max_retries=retry))
    return session


@dataclass
class Played:
    sender: str
    seconds: List[float] = field(default_factory=list)  # per answered turn
    clarifications: int = 0  # turns answered "did you mean ...?"
    error: Optional[str] = None


class Player:
    def __init__(self, url: str, patterns: Sequence[Sequence["re.Pattern"]]) -> None:
        self.webhook = f"{url.rstrip('/')}/webhooks/rest/webhook"
        self.patterns = patterns
        self.local = threading.local()  # a requests.Session per thread: sessions aren't shared safely

    def session(self) -> requests.Session:
        if not hasattr(self.local, "session"):
            self.local.session = new_session()
        return self.local.session

    def play(self, conversation: Tuple[str, List[str]]) -> Played:
        pool_id, texts = conversation
        played = Played(f"{SENDER_PREFIX}{pool_id}-{uuid.uuid4().hex[:10]}")
        for text in texts:
            start = time.perf_counter()
            try:
                response = self.session().post(self.webhook, json={"sender": played.sender, "message": text},
                                               timeout=ANSWER_TIMEOUT_S)
                response.raise_for_status()
                answer = response.json()
            except (requests.RequestException, ValueError) as error:
                # The rest of this conversation would answer a turn the assistant never took.
                played.error = f"{played.sender}: {error}"
                return played
            played.seconds.append(time.perf_counter() - start)
            played.clarifications += any(is_clarification(message, self.patterns)
                                         for message in answer if isinstance(message, dict))
        return played


def reachable(url: str) -> bool:
    try:
        new_session().get(url, timeout=10)
        return True
    except requests.ConnectionError:
        return False


def summary(played: Sequence[Played], seconds: float) -> str:
    times = sorted(t for p in played for t in p.seconds)
    turns = len(times)
    lines = [f"Played {len(played)} conversations, {turns} turns answered, in {seconds:.0f} s."]
    if times:
        lines.append(f"Median answer time {statistics.median(times) * 1000:.0f} ms "
                     f"(slowest {times[-1] * 1000:.0f} ms).")
        clarified = sum(p.clarifications for p in played)
        lines.append(f'"Did you mean ...?" answers: {clarified} ({clarified / turns:.0%} of turns).')
    failed = [p.error for p in played if p.error]
    if failed:
        lines.append(f"{len(failed)} conversation(s) stopped on an error, e.g. {failed[0]}")
    return "\n".join(lines)


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="Rasa timestamps every event when it is played: the conversations all carry today's "
               "date, a week's volume played in minutes, not spread over seven days.")
    parser.add_argument("--url", default=default_url(), help="the Rasa server (default: RASA_HOST and RASA_PORT, %(default)s)")
    parser.add_argument("--days", type=int, default=7, help="days of traffic (default: %(default)s)")
    parser.add_argument("--per-day", type=int, default=40, help="conversations a day (default: %(default)s)")
    parser.add_argument("--concurrency", type=int, default=4, help="conversations at once (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=1, help="which conversations, in which order (default: %(default)s)")
    parser.add_argument("--pool", type=Path, default=POOL, help="the conversations (default: %(default)s)")
    args = parser.parse_args(argv)
    if min(args.days, args.per_day, args.concurrency) < 1:
        parser.error("--days, --per-day and --concurrency must be at least 1")

    if not reachable(args.url):
        print(f"The assistant is not reachable at {args.url}: start the assistant with `make run` first "
              "(or give its address with --url).", file=sys.stderr)
        return 2
    pool = load_pool(args.pool)
    count = args.days * args.per_day
    if count > len(pool):
        print(f"Note: {count} conversations from a pool of {len(pool)}: some are played twice.")
    player = Player(args.url, clarification_buttons())
    start = time.perf_counter()
    conversations, played = plan(pool, count, args.seed), []
    with ThreadPoolExecutor(args.concurrency) as threads:
        for day, first in enumerate(range(0, count, args.per_day), start=1):
            played += threads.map(player.play, conversations[first:first + args.per_day])
            print(f"day {day}/{args.days}: {min(first + args.per_day, count)} conversations played", flush=True)
    print(summary(played, time.perf_counter() - start))
    return 1 if any(p.error for p in played) else 0


if __name__ == "__main__":
    sys.exit(main())
