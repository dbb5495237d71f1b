"""Keeps customers' identifiers out of logs: order numbers, e-mail addresses and tokens.

Installed on both servers' log handlers by logging.yml (rasa run / rasa_sdk
--logging-config-file): every record is redacted before any handler writes it, whoever
logged it, a library included.
"""
import logging
import re

_RULES = (
    (re.compile(r"eyJ[\w-]+\.[\w-]+\.[\w-]*"), "[token]"),  # JWTs (customer tokens)
    (re.compile(r"(?i)\bbearer\s+\S+"), "Bearer [token]"),  # the backend API token
    (re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+"), "[email]"),
    (re.compile(r"(?<!\d)\d{8}(?!\d)"), "[order]"),  # order numbers
)


def redact(text: str) -> str:
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        if record.exc_info:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True
