"""Run in Rasa's virtualenv by test_lock_store.py: many turns of one conversation at once, as
replicas sharing a Redis lock store take them, each in its own thread with its own store
client and event loop. Prints JSON: how many turns ran, how often two ran at the same time,
how many failed to get the lock or waited for it past any other turn's end (a ticket left
behind blocks the conversation until it expires), and what the lock store left behind.
Tickets last LIFETIME_S here, not Rasa's 60 s, no turn starts after DEADLINE_S, and a replica
still waiting for the lock some seconds later counts as hung (Rasa's store can leave a lock
with no tickets that its waiters wait on for ever): the scenario always ends.

    python lock_store_scenario.py STORE_CLASS REDIS_PORT  (REDIS_PASSWORD in the environment)
"""
import asyncio
import json
import os
import sys
import threading
import time

from rasa.core.lock_store import LockError
from rasa.shared.utils.common import class_from_module_path

REPLICAS, TURNS = 8, 25
LIFETIME_S, DEADLINE_S = 2.0, 8.0
# Seven others' 2 ms turns, and the polling: far less than this.
STALLED_S = 1.0


def main() -> None:
    store_class = class_from_module_path(sys.argv[1])
    port = int(sys.argv[2])
    password = os.environ["REDIS_PASSWORD"]
    guard = threading.Lock()
    state = {"inside": 0, "overlaps": 0, "turns": 0, "lock_errors": 0, "stalls": 0}
    deadline = time.monotonic() + DEADLINE_S

    async def turns(store) -> None:
        for _ in range(TURNS):
            if time.monotonic() > deadline:
                return
            asked = time.monotonic()
            try:
                async with store.lock("one-conversation", lock_lifetime=LIFETIME_S, wait_time_in_seconds=0.001):
                    with guard:
                        state["stalls"] += time.monotonic() - asked > STALLED_S
                        state["inside"] += 1
                        state["overlaps"] += state["inside"] > 1
                    await asyncio.sleep(0.002)  # the turn's work
                    with guard:
                        state["inside"] -= 1
                        state["turns"] += 1
            except LockError:
                with guard:
                    state["lock_errors"] += 1

    def replica() -> None:
        store = store_class(host="127.0.0.1", port=port, password=password, db=1)
        asyncio.run(turns(store))

    threads = [threading.Thread(target=replica, daemon=True) for _ in range(REPLICAS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(max(0.0, deadline + 3 * LIFETIME_S - time.monotonic()))
    hung = sum(thread.is_alive() for thread in threads)
    leftover = store_class(host="127.0.0.1", port=port, password=password, db=1).red.keys("*")
    with guard:
        print(json.dumps({**state, "hung": hung, "leftover_keys": len(leftover), "attempted": REPLICAS * TURNS}),
              flush=True)
    os._exit(0)  # without waiting for hung threads


if __name__ == "__main__":
    main()
