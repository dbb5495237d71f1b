"""Keeps customers' identifiers out of logs: order numbers, e-mail addresses and tokens.

Installed in both servers by logging.yml (rasa run / rasa_sdk --logging-config-file):
every record is redacted when it is created, whoever logged it, a library included.
"""
import logging

# One list of identifiers to hide (common/redaction.py), as the handoff's transcript
# (actions/handoff.py) and the insights' record (insights/feed.py) find them.
from common.redaction import redact


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


def install() -> None:
    """Redacts every log record as it is created, whichever handler writes it later (Rasa
    adds its own coloured one), and routes Python warnings, which Rasa uses to report
    unparseable messages with their text, through logging."""
    global _installed
    if _installed:
        return
    previous = logging.getLogRecordFactory()
    redacting = RedactingFilter()

    def make_record(*args, **kwargs) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        redacting.filter(record)
        return record

    logging.setLogRecordFactory(make_record)
    logging.captureWarnings(True)
    _installed = True


_installed = False


def redacted_console_handler() -> logging.Handler:
    """The servers' log handler (logging.yml), installing the redaction on the way."""
    install()
    return logging.StreamHandler()
