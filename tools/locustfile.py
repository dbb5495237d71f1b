"""Locust users for `make bench` (tools/benchmark.py): customers holding whole conversations
over REST, one after another, each in a new conversation. BENCH_CONVERSATION picks which:
"ours" (this assistant: an order looked up and verified, its deadlines, return questions, the
checklist) or "init" (the bot `rasa init` makes).

Uploaders, beside them or alone, send their return's photos to the order backend through
signed links (common/photo_links.py), as the widget will: BENCH_UPLOADERS of them,
BENCH_BACKEND_URL, ORDERS_API_TOKEN (the assistant's, which mints the links), BENCH_PHOTOS (a
folder of SLOT.jpg, tools/bench_photos.py), BENCH_PHOTO_ORDERS (seeded order numbers,
comma-separated)."""
import itertools
import os
import uuid
from functools import lru_cache
from pathlib import Path
from typing import Iterator, List, Tuple
from urllib.parse import urlencode

import gevent
from locust import FastHttpUser, constant, events, task
from locust.stats import CSV_STATS_INTERVAL_SEC

from common import photo_links

CONVERSATIONS = {
    # 8 turns; 4 of them look the order up in the backend.
    "ours": ["where is my order 40512351", "ana.martin@example.com", "when will it ship?",
             "how long is the return label valid?", "what do I need to do before sending it back?", "next",
             "which carrier do I use?", "thanks"],
    "init": ["hi", "I'm feeling sad", "yes", "are you a bot?", "great", "bye", "hello", "I am happy"],
}
TURNS = CONVERSATIONS[os.environ.get("BENCH_CONVERSATION", "ours")]
# With BENCH_CONVERSATIONS=N the run ends once N conversations are done (the soak test), with
# BENCH_UPLOADS=N once N photos are sent (the uploads' own time, no chat).
LIMIT = int(os.environ.get("BENCH_CONVERSATIONS") or 0)
UPLOAD_LIMIT = int(os.environ.get("BENCH_UPLOADS") or 0)
done = uploaded = 0


@events.quitting.add_listener
def last_csv_rows(**_) -> None:
    """Locust writes its CSV files every second and not again as it exits: one more pass, or a
    run's last second is missing from them (all of a run ended by BENCH_UPLOADS in under one)."""
    gevent.sleep(CSV_STATS_INTERVAL_SEC + 0.2)


class Customer(FastHttpUser):
    wait_time = constant(0)  # a closed loop: the next message as soon as the answer is in

    @task
    def conversation(self) -> None:
        sender = uuid.uuid4().hex
        for text in TURNS:
            # X-Conversation-Id: nginx keeps the conversation on one replica (scaled setup).
            with self.client.post("/webhooks/rest/webhook", json={"sender": sender, "message": text},
                                  headers={"X-Conversation-Id": sender}, name="turn", catch_response=True) as reply:
                if reply.status_code != 200:
                    reply.failure(f"HTTP {reply.status_code}")
                elif not reply.json():
                    reply.failure("no answer")
        global done
        done += 1
        if LIMIT and done >= LIMIT:
            self.environment.runner.quit()


@lru_cache(maxsize=1)
def photos() -> List[Tuple[str, bytes]]:
    """(slot, JPEG) for each photo of BENCH_PHOTOS, read once for all uploaders."""
    return [(path.stem, path.read_bytes()) for path in sorted(Path(os.environ["BENCH_PHOTOS"]).glob("*.jpg"))]


@lru_cache(maxsize=1)
def orders() -> Iterator[str]:
    """The seeded orders in turn, shared by all uploaders: the backend limits uploads per order
    (100 an hour), and spreading them keeps every one under it."""
    return itertools.cycle(os.environ["BENCH_PHOTO_ORDERS"].split(","))


class Uploader(FastHttpUser):
    """A customer sending their return's photos (step 1 of the checklist: one per slot), each
    as soon as the last is in, in a new conversation for each return, each to the next order."""

    # Spawned before the Customers, whatever their weight: `-u 12` with 2 of these is 10 chatting.
    fixed_count = int(os.environ.get("BENCH_UPLOADERS") or 0)
    wait_time = constant(0)

    @task
    def return_photos(self) -> None:
        global uploaded
        conversation, order = uuid.uuid4().hex, next(orders())
        for slot, jpeg in photos():
            query = urlencode(photo_links.link_query(os.environ["ORDERS_API_TOKEN"], order, slot, conversation))
            with self.client.put(f"{os.environ['BENCH_BACKEND_URL']}/orders/{order}/photos/{slot}?{query}",
                                 data=jpeg, headers={"Content-Type": "image/jpeg"}, name="photo",
                                 catch_response=True) as reply:
                # 201 is kept; a refusal (422) is told apart from the other failures by its reason.
                if reply.status_code == 422:
                    reply.failure(f"refused: {reply.json().get('reason')}")
                elif reply.status_code != 201:
                    reply.failure(f"HTTP {reply.status_code}")
            uploaded += 1
            if UPLOAD_LIMIT and uploaded >= UPLOAD_LIMIT:
                self.environment.runner.quit()
                return
