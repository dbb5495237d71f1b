"""Bounds on one message and one sender (channels/limits.py), end to end over REST: a huge
message is answered at once and holds up nobody; a flood from one sender is slowed down."""
import concurrent.futures
import time

import pytest
import requests
import yaml

from customer_chat import Chat
from tools.services import ROOT

pytestmark = pytest.mark.e2e
LIMITS = yaml.safe_load((ROOT / "channels" / "limits.yml").read_text())
TOO_LONG = LIMITS["too_long"].format(**LIMITS)


def test_a_100_kb_message_gets_a_clear_answer_and_a_concurrent_hello_within_a_second(assistant):
    huge, other = Chat(assistant.rest_webhook), Chat(assistant.rest_webhook)
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        long_reply = pool.submit(huge.say, "where is my order? " * 5300)  # ~100 KB
        time.sleep(0.05)
        started = time.monotonic()
        hello = other.text("hello")
        hello_took = time.monotonic() - started
        assert long_reply.result(timeout=10)[0]["text"] == TOO_LONG
    assert hello_took < 1.0, f"hello took {hello_took:.2f} s"
    assert "Hi!" in hello


def test_a_message_just_under_the_limit_is_read(chat):
    story = ("I ordered a refurbished phone two weeks ago for my daughter's birthday, and since then I have "
             "checked my e-mail every day, but nothing has arrived and nobody tells me anything. ")
    message = story * ((LIMITS["max_message_characters"] - 40) // len(story)) + "So where is my order?"
    assert LIMITS["max_message_characters"] - 250 < len(message) <= LIMITS["max_message_characters"]
    started = time.monotonic()
    answer = chat.text(message)
    print(f"a {len(message)}-character message answered in {time.monotonic() - started:.2f} s")
    assert "order number" in answer and answer != TOO_LONG  # read and answered (late, or where it is)


def test_a_request_body_over_256_kb_is_refused_before_anything_reads_it(assistant):
    reply = requests.post(assistant.rest_webhook, json={"sender": "big", "message": "x" * 300_000}, timeout=30)
    assert reply.status_code == 413


def test_a_flood_from_one_sender_is_slowed_down_and_others_are_not(assistant):
    flood, other = Chat(assistant.rest_webhook), Chat(assistant.rest_webhook)
    answers = [flood.text("hi") for _ in range(LIMITS["messages_per_minute"] + 3)]
    assert all(a != LIMITS["slow_down"] for a in answers[:LIMITS["messages_per_minute"]])
    assert answers[-1] == LIMITS["slow_down"]
    assert "Hi!" in other.text("hello")


def test_a_chat_apps_photo_is_downloaded_no_further_than_the_order_backend_would_keep_it():
    # channels/photo_relay.py stops reading past photo_max_bytes; the backend refuses past max_bytes.
    backend = yaml.safe_load((ROOT / "backend" / "photo_checks.yml").read_text())
    assert LIMITS["photo_max_bytes"] == backend["max_bytes"] == 15 * 1024 * 1024
