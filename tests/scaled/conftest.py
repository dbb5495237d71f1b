"""The scaled setup (tools/scaled.py) for `make test-scaled`: PostgreSQL, Redis, nginx and two
Rasa server replicas, on free local ports, with their own cluster and random secrets."""
import pytest

from tools.scaled import scratch_scaled_assistant


@pytest.fixture(scope="session")
def scaled():
    # The insights' reader compares the feed with the tracker store every 2 s, leaving the
    # broker 5 s (tests/scaled/test_insights.py waits for it; in production 60 s and 30 s).
    with scratch_scaled_assistant(replicas=2, extra_env={"INSIGHTS_RECONCILE_S": "2", "INSIGHTS_GRACE_S": "5",
                                                         "INSIGHTS_POLL_S": "0.5"}) as running:
        yield running
