"""When the orders client tries a request again: GETs after a broken connection or a 502/503/504,
never a POST (a verification the backend may have counted), never after a timeout. Against a
local server that breaks connections on cue."""
import json
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterator, List, Tuple

import pytest

from actions.orders_client import UNAVAILABLE, OrdersClient, OrdersError

DROP, SLOW = "drop", "slow"  # close the connection unanswered; answer after 1 s


class Backend:
    """Answers each request with the next of `answers` (the last one repeats): DROP, SLOW, or
    an HTTP status with `[]` as the body; `seen` holds every request that arrived."""

    def __init__(self, answers):
        self.answers = list(answers)
        self.seen: List[Tuple[str, str]] = []
        self.lock = threading.Lock()

    def next_answer(self, method: str, path: str):
        with self.lock:
            self.seen.append((method, path))
            return self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]


@contextmanager
def backend(*answers) -> Iterator[Tuple[OrdersClient, Backend]]:
    fake = Backend(answers)

    class Handler(BaseHTTPRequestHandler):
        def answer(self):
            self.rfile.read(int(self.headers.get("Content-Length") or 0))  # the whole request arrived
            answer = fake.next_answer(self.command, self.path)
            if answer == DROP:
                self.close_connection = True
                return
            if answer == SLOW:
                time.sleep(1)
                answer = 200
            body = b"[]" if answer == 200 else json.dumps({"error": "unavailable"}).encode()
            try:
                self.send_response(answer)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up waiting

        do_GET = do_POST = answer

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        yield OrdersClient(f"http://127.0.0.1:{server.server_port}", "token", timeout_s=0.5), fake
    finally:
        server.shutdown()
        server.server_close()


def test_a_verification_whose_connection_broke_is_sent_once():
    with backend(DROP, 200) as (client, fake):
        with pytest.raises(OrdersError) as error:
            client.verify("40512351", email="guess@example.com")
    assert error.value.kind == UNAVAILABLE
    assert fake.seen == [("POST", "/verifications")]  # counted once by the backend, at most


def test_a_verification_answered_503_is_not_sent_again():
    with backend(503, 200) as (client, fake):
        with pytest.raises(OrdersError) as error:
            client.verify("40512351", email="guess@example.com")
    assert error.value.kind == UNAVAILABLE and len(fake.seen) == 1


def test_a_lookup_whose_connection_broke_is_tried_again():
    with backend(DROP, 200) as (client, fake):
        assert client.customer_orders("cus_ana") == []
    assert fake.seen == [("GET", "/customers/cus_ana/orders")] * 2


@pytest.mark.parametrize("status", [502, 503, 504])
def test_a_lookup_answered_by_a_gateway_error_is_tried_again(status):
    with backend(status, 200) as (client, fake):
        assert client.customer_orders("cus_ana") == []
    assert len(fake.seen) == 2


def test_a_backend_that_stays_broken_is_tried_twice_then_unavailable():
    with backend(DROP) as (client, fake):
        with pytest.raises(OrdersError) as error:
            client.customer_orders("cus_ana")
    assert error.value.kind == UNAVAILABLE and len(fake.seen) == 2
    with backend(503) as (client, fake):
        with pytest.raises(OrdersError) as error:
            client.customer_orders("cus_ana")
    assert error.value.kind == UNAVAILABLE and len(fake.seen) == 2


def test_a_slow_lookup_is_not_asked_twice():
    with backend(SLOW) as (client, fake):
        started = time.monotonic()
        with pytest.raises(OrdersError, match="timed out") as error:
            client.customer_orders("cus_ana")
    assert error.value.kind == UNAVAILABLE and len(fake.seen) == 1
    assert time.monotonic() - started < 0.9  # one 0.5 s timeout, not two


def test_other_errors_are_answered_at_once():
    with backend(500, 200) as (client, fake):
        with pytest.raises(OrdersError):
            client.customer_orders("cus_ana")
    assert len(fake.seen) == 1
