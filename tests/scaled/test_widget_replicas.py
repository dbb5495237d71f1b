"""The chat widget through nginx with two replicas: its socket.io session stays on one replica
(the polling transport's requests must all reach it), and a message the handoff service sends
through Rasa's HTTP API to the *other* replica still reaches it, through Redis
(channels/website.py, WIDGET_REDIS_URL)."""
import json
import re
import time
import uuid

import pytest
import requests

from test_website_channel import PollingSocket
from tools.scaled import replica_port


pytestmark = pytest.mark.scaled


def next_event(socket: PollingSocket, timeout: float = 20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if socket.waiting:  # one poll can bring several events
            return socket.waiting.pop(0)
        socket.waiting.extend(json.loads(packet[2:]) for packet in socket.receive() if packet.startswith("42"))
    raise AssertionError(f"nothing arrived in {timeout:.0f} s")


def socket_replica(scaled) -> str:
    """The replica nginx sent the widget's socket.io requests to (all of them: one)."""
    lines = [line for line in (scaled.log_dir / "nginx-access.log").read_text().splitlines()
             if " socket.io " in line]
    replicas = {re.search(r"upstream=(\S+)", line).group(1) for line in lines}
    assert len(replicas) == 1, replicas
    return replicas.pop()


def test_an_agents_message_sent_to_another_replica_reaches_the_widget(scaled):
    socket = PollingSocket(scaled.url, scaled.shop_url)
    assert socket.status == 200
    session_id = uuid.uuid4().hex
    socket.emit("session_request", {"session_id": session_id})
    assert next_event(socket) == ["session_confirm", session_id]
    assert next_event(socket)[0] == "welcome"  # the brand's greeting and topics
    socket.emit("user_uttered", {"message": "hello", "session_id": session_id, "customData": {}})
    event, answer = next_event(socket)
    assert event == "bot_uttered" and answer["text"]

    holding = socket_replica(scaled)
    other = next(r for r in scaled.replica_services if f"127.0.0.1:{replica_port(r)}" != holding)
    # What the handoff service does (handoff/rasa_api.py), straight to the replica without the socket.
    sent = requests.post(f"{other.ready_url}conversations/{session_id}/tracker/events",
                         params={"token": scaled.rasa_api_token, "output_channel": "latest",
                                 "execute_side_effects": "true"},
                         json=[{"event": "bot", "text": "Hello, Maria here.", "metadata": {"agent": {"name": "Maria"}}}],
                         timeout=30)
    assert sent.status_code == 200, sent.text
    event, message = next_event(socket)
    assert event == "bot_uttered" and message["text"] == "Hello, Maria here." and message["agent"] == {"name": "Maria"}
