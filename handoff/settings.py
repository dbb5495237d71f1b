"""The handoff service's settings: environment variables, read here only."""
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Optional, Tuple

from common.settings import Environment, SettingsError  # SettingsError: what from_environment raises
from insights import location as insights_location

ROOT = Path(__file__).resolve().parent.parent
LOCAL_ORDERS_API = "http://127.0.0.1:8000"  # the order backend as `make run` starts it

# Each agents' tool's variables: CHATWOOT_BASE_URL is the Chatwoot adapter's base_url.
TOOL_PREFIXES = {"chatwoot": "CHATWOOT_", "zendesk": "ZENDESK_", "webhook": "HANDOFF_WEBHOOK_"}


def support_language() -> str:
    """The language support's agents work in (SUPPORT_LANGUAGE, default English): the desk's
    words, and the notes Chatwoot and Zendesk get."""
    return os.environ.get("SUPPORT_LANGUAGE") or "en"


def agents_file() -> Path:
    """The reference desk's agents (handoff/agents.py)."""
    return Path(os.environ.get("HANDOFF_AGENTS_FILE", ROOT / "var" / "desk-agents.yml"))


def agents_tool() -> Tuple[str, Dict[str, str]]:
    """HANDOFF_TOOL, and the variables with that tool's prefix by the adapter's names
    (CHATWOOT_BASE_URL -> base_url); handoff/tools/registry.py builds the tool from them."""
    tool = os.environ.get("HANDOFF_TOOL", "desk")
    prefix = TOOL_PREFIXES.get(tool)
    return tool, {k[len(prefix):].lower(): v for k, v in os.environ.items() if prefix and k.startswith(prefix)}


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
    # The order backend, for the return photos of the order a conversation is about (the desk
    # shows them: handoff/order_photos.py); without its API token the desk shows none.
    orders_api_url: str = LOCAL_ORDERS_API
    orders_api_token: Optional[str] = None
    orders_api_timeout_s: float = 3
    # The insights (insights/): the event broker's feed and the records built from it; how often
    # the feed is read, and the tracker store compared with it (README, "Insights").
    insights_db_url: str = f"sqlite:///{insights_location.DEFAULT_FILE}"
    insights_poll_s: float = 5.0
    insights_reconcile_s: float = 60.0
    insights_grace_s: float = 30.0  # events younger than this are left to the broker
    # With Rasa's RabbitMQ broker (endpoints.scaled.yml): the queue it fills, read into the feed.
    insights_rabbitmq_url: Optional[str] = None
    insights_rabbitmq_queue: str = "insights_events"

    @classmethod
    def from_environment(cls) -> "Settings":
        env = Environment()  # every problem at once: one restart to fix them
        api_token = env.required("HANDOFF_API_TOKEN", "the token the action server sends to open a handoff")
        rasa_url = env.required("RASA_URL", "the Rasa server's HTTP API, which takes agents' messages to customers")
        rasa_token = env.required("RASA_API_TOKEN", "the token of the Rasa server's HTTP API (--auth-token)")
        tracker_db_url = env.required("TRACKER_DB_URL", "the Rasa server's tracker store, read for what customers write")
        port = env.whole_number("HANDOFF_PORT", 8090)
        poll_s = env.number("HANDOFF_POLL_S", 0.5)
        acknowledge_every_min = env.number("HANDOFF_ACKNOWLEDGE_EVERY_MIN", 5.0)
        orders_api_timeout_s = env.number("ORDERS_API_TIMEOUT_S", 3.0)
        insights_poll_s = env.number("INSIGHTS_POLL_S", 5.0)
        insights_reconcile_s = env.number("INSIGHTS_RECONCILE_S", 60.0)
        insights_grace_s = env.number("INSIGHTS_GRACE_S", 30.0)
        env.check()
        tool, tool_settings = agents_tool()
        return cls(
            host=env.get("HANDOFF_HOST", "127.0.0.1"),
            port=port,
            database_url=env.get("HANDOFF_DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'handoff.db'}"),
            api_token=api_token,
            rasa_url=rasa_url.rstrip("/"),
            rasa_token=rasa_token,
            tracker_db_url=tracker_db_url,
            tool=tool,
            tool_settings=tool_settings,
            agents_file=agents_file(),
            poll_s=poll_s,
            acknowledge_every_min=acknowledge_every_min,
            orders_api_url=env.get("ORDERS_API_URL", LOCAL_ORDERS_API).rstrip("/"),
            orders_api_token=env.optional("ORDERS_API_TOKEN"),
            orders_api_timeout_s=orders_api_timeout_s,
            insights_db_url=insights_location.url_from(os.environ),
            insights_poll_s=insights_poll_s,
            insights_reconcile_s=insights_reconcile_s,
            insights_grace_s=insights_grace_s,
            insights_rabbitmq_url=env.optional("INSIGHTS_RABBITMQ_URL"),
            insights_rabbitmq_queue=env.get("INSIGHTS_RABBITMQ_QUEUE", "insights_events"),
        )
