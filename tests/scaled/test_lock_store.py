"""The Redis lock store runs one conversation's turns one at a time across replicas
(stores/lock_store.py). Rasa 3.6's own RedisLockStore, under the same load, lets turns run
side by side, loses tickets and leaves waiters stuck: what the scaled setup must not use."""
import json
import os
import subprocess

import pytest

from tools.scaled import redis_service
from tools.services import RASA_VENV, ROOT, free_port, new_secret


pytestmark = pytest.mark.scaled


@pytest.fixture(scope="module")
def redis(tmp_path_factory):
    directory = tmp_path_factory.mktemp("redis")
    port, password = free_port(), new_secret()
    service = redis_service(directory, port, password, directory)
    service.start()
    try:
        service.wait_ready(30)
        yield port, password
    finally:
        service.stop()


def scenario(store: str, redis) -> dict:
    port, password = redis
    done = subprocess.run(
        [str(RASA_VENV / "bin" / "python"), "tests/scaled/lock_store_scenario.py", store, str(port)],
        cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": os.environ["PATH"], "REDIS_PASSWORD": password},
        capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_ours_runs_every_turn_alone_and_leaves_nothing(redis):
    result = scenario("stores.lock_store.AtomicRedisLockStore", redis)
    assert result == {"inside": 0, "overlaps": 0, "turns": result["attempted"], "lock_errors": 0, "stalls": 0,
                      "hung": 0, "leftover_keys": 0, "attempted": 200}


def test_rasas_own_lets_turns_overlap_or_stall(redis):
    result = scenario("rasa.core.lock_store.RedisLockStore", redis)
    assert result["overlaps"] + result["lock_errors"] + result["stalls"] + result["hung"] > 0, result
