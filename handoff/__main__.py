"""`python -m handoff`: the handoff service (API, tool callbacks, the reference desk with its
insights and review queue), its delivery worker and the insights' reader of the feed, in one
process."""
import logging
import sys
from datetime import timedelta
from pathlib import Path
from typing import List, Tuple

import uvicorn

from handoff import agents
from handoff.app import create_app
from handoff.conversations import Conversations
from handoff.rasa_api import RasaApi
from handoff.settings import Settings, SettingsError, agents_tool
from handoff.store import connect
from handoff.tools.base import AgentTool
from handoff.tools.registry import tool_named
from handoff.worker import Worker, start
from insights import ingest, rabbitmq_feed, store as insights_store

DEMO_AGENT = ("maria", "Maria")
DEMO_LEAD = ("lena", "Lena")
# Each demo account's generated password, in a file beside the agents file.
DEMO_PASSWORD, DEMO_LEAD_PASSWORD = ".demo-password", ".demo-lead-password"


def demo_accounts(agents_file: Path) -> List[Path]:
    """On a laptop's first start, a demo agent and a demo team lead, each one's generated
    password in a file beside the agents file. Returns the password files written."""
    first_start = not agents.load(agents_file)
    wanted = [(DEMO_AGENT, agents.AGENT, DEMO_PASSWORD)] if first_start else []
    # A demo set up before team leads existed (its agent's password file is there) gets its lead.
    demo = first_start or agents_file.with_suffix(DEMO_PASSWORD).exists()
    has_lead = any(entry.get("role") == agents.LEAD for entry in agents.load(agents_file).values())
    if demo and not has_lead and not agents_file.with_suffix(DEMO_LEAD_PASSWORD).exists():
        wanted.append((DEMO_LEAD, agents.LEAD, DEMO_LEAD_PASSWORD))
    written = []
    for (login, name), role, suffix in wanted:
        password = agents.add(agents_file, login, name, role)
        demo_password = agents_file.with_suffix(suffix)
        demo_password.write_text(password + "\n")
        demo_password.chmod(0o600)
        logging.info("Desk %s %r created; their password is in %s", role, login, demo_password)
        written.append(demo_password)
    return written


def configured() -> Tuple[Settings, AgentTool]:
    """The settings and the agents' tool, or one SettingsError naming every problem with both."""
    problems = []
    try:
        settings = Settings.from_environment()
    except SettingsError as error:
        problems += error.problems
    try:
        tool = tool_named(*agents_tool())
    except SettingsError as error:
        problems += error.problems
    if problems:
        raise SettingsError(*problems)
    return settings, tool


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s - %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # its request lines hold Rasa's token
    try:
        settings, tool = configured()
    except SettingsError as error:
        print(f"The handoff service can't start: {error}", file=sys.stderr)
        return 2
    if tool.name == "desk":
        demo_accounts(settings.agents_file)
    sessions = connect(settings.database_url)
    # One reader of Rasa's tracker store for the worker and the insights' reconciler.
    conversations = Conversations(settings.tracker_db_url)
    worker = Worker(sessions, tool, RasaApi(settings.rasa_url, settings.rasa_token), conversations,
                    timedelta(minutes=settings.acknowledge_every_min))
    stop = start(worker, settings.poll_s)
    insights = insights_store.connect(settings.insights_db_url)
    stop_insights = ingest.start(ingest.Ingest(insights, conversations,
                                                 grace_s=settings.insights_grace_s),
                                 settings.insights_poll_s, settings.insights_reconcile_s)
    if settings.insights_rabbitmq_url:  # Rasa's RabbitMQ broker feeds it (endpoints.scaled.yml)
        stop_bus = rabbitmq_feed.start(rabbitmq_feed.RabbitFeed(insights, settings.insights_rabbitmq_url,
                                                                settings.insights_rabbitmq_queue))
    try:
        uvicorn.run(create_app(settings, sessions, tool, insights), host=settings.host, port=settings.port,
                    log_level="warning")
    finally:
        stop.set()
        stop_insights.set()
        if settings.insights_rabbitmq_url:
            stop_bus.set()
    return 0


if __name__ == "__main__":
    sys.exit(main())
