"""Where the insights' database is, for every reader (standard library only: the assistant's
tests read the handoff service's settings, which use it, without SQLAlchemy)."""
import os
from pathlib import Path
from typing import Mapping

DEFAULT_FILE = Path(__file__).resolve().parent.parent / "var" / "insights.db"


def url_from(environ: Mapping[str, str] = os.environ) -> str:
    """The insights database: INSIGHTS_DB_URL, else the SQLite file INSIGHTS_DB (make sets it),
    else var/insights.db. The handoff service (handoff/settings.py), `make forget` and `make
    review-export` read it the same way."""
    return environ.get("INSIGHTS_DB_URL") or f"sqlite:///{environ.get('INSIGHTS_DB') or DEFAULT_FILE}"
