"""The handoff service's settings: environment variables, read here only."""
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Optional

ROOT = Path(__file__).resolve().parent.parent


class SettingsError(ValueError):
    """A setting is missing or malformed: the service does not start."""


def _required(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise SettingsError(f"{name} is not set")
    return value


# Each agents' tool's variables: CHATWOOT_BASE_URL is the Chatwoot adapter's base_url.
TOOL_PREFIXES = {"chatwoot": "CHATWOOT_", "zendesk": "ZENDESK_", "webhook": "HANDOFF_WEBHOOK_"}


def agents_file() -> Path:
    """The reference desk's agents (handoff/agents.py)."""
    return Path(os.environ.get("HANDOFF_AGENTS_FILE", ROOT / "var" / "desk-agents.yml"))


@dataclass(frozen=True)
class Settings:
    host: str
    port: int
    database_url: str
    # What the action server sends as "Authorization: Bearer <token>" to open a handoff.
    api_token: str
    # Rasa's HTTP API (enabled with --auth-token) and its conversations (tracker store).
    rasa_url: str
    rasa_token: str
    tracker_db_url: str
    # Which agents' tool: desk (built in), chatwoot, zendesk or webhook; and its settings.
    tool: str
    tool_settings: Dict[str, str]
    agents_file: Path
    poll_s: float
    # A customer who asks for a person again while none has answered is told they're in the
    # queue at most once in this many minutes.
    acknowledge_every_min: float = 5

    @classmethod
    def from_environment(cls) -> "Settings":
        tool = os.environ.get("HANDOFF_TOOL", "desk")
        prefix = TOOL_PREFIXES.get(tool)
        tool_settings = {k[len(prefix):].lower(): v for k, v in os.environ.items() if prefix and k.startswith(prefix)}
        return cls(
            host=os.environ.get("HANDOFF_HOST", "127.0.0.1"),
            port=int(os.environ.get("HANDOFF_PORT", "8090")),
            database_url=os.environ.get("HANDOFF_DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'handoff.db'}"),
            api_token=_required("HANDOFF_API_TOKEN"),
            rasa_url=_required("RASA_URL").rstrip("/"),
            rasa_token=_required("RASA_API_TOKEN"),
            tracker_db_url=_required("TRACKER_DB_URL"),
            tool=tool,
            tool_settings=tool_settings,
            agents_file=agents_file(),
            poll_s=float(os.environ.get("HANDOFF_POLL_S", "0.5")),
            acknowledge_every_min=float(os.environ.get("HANDOFF_ACKNOWLEDGE_EVERY_MIN", "5")),
        )
