"""The scaled setup (tools/scaled.py) for `make test-scaled`: PostgreSQL, Redis, nginx and two
Rasa server replicas, on free local ports, with their own cluster and random secrets."""
import pytest

from tools.scaled import scratch_scaled_assistant


@pytest.fixture(scope="session")
def scaled():
    with scratch_scaled_assistant(replicas=2) as running:
        yield running
