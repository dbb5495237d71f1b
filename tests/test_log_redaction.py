"""Customers' identifiers never reach the logs."""
import logging

import pytest

from actions.log_redaction import RedactingFilter, redact

TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjdXNfYW5hIn0.c2lnbmF0dXJl"


@pytest.mark.parametrize("text, clean", [
    ("order 40512351 for ana.martin@example.com", "order [order] for [email]"),
    (f"metadata {{'customer_token': '{TOKEN}'}}", "metadata {'customer_token': '[token]'}"),
    ("Authorization: Bearer 6Qz1h0M-iq3kT0eYw2r8xN5uVb7cL4aDsF9gHjKpZtE", "Authorization: Bearer [token]"),
    ("took 123 ms, 405123456 is not an order", "took 123 ms, 405123456 is not an order"),
])
def test_identifiers_are_redacted(text, clean):
    assert redact(text) == clean


def test_the_filter_redacts_formatted_records_and_tracebacks():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "user said %s", ("my email is a@b.co",), None)
    try:
        raise ValueError("order 40512351 not found")
    except ValueError:
        import sys
        record.exc_info = sys.exc_info()
    assert RedactingFilter().filter(record)
    assert record.getMessage() == "user said my email is [email]"
    assert "[order]" in record.exc_text and "40512351" not in record.exc_text


@pytest.mark.e2e
def test_the_servers_logs_hold_no_identifiers(assistant, chat):
    chat.metadata = {"customer_token": TOKEN}
    chat.say("where is order 40512351")
    chat.say("ana.martin@example.com")
    chat.say('/inform{"verified_order": "40512351"}')  # Rasa warns about this payload, quoting it
    logs = "".join(p.read_text(errors="replace") for p in assistant.log_dir.glob("*.log"))
    assert "Action endpoint is up and running" in logs and "Rasa server is up and running" in logs
    assert "UserWarning: Failed to parse arguments in line '/inform{\"verified_order\": \"[order]\"}'" in logs
    for secret in ("40512351", "ana.martin@example.com", TOKEN):
        assert secret not in logs
