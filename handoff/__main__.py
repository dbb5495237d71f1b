"""`python -m handoff`: the handoff service (API, tool callbacks, the reference desk with its
insights and review queue), its delivery worker and the insights' reader of the feed, in one
process."""
import logging
import sys
from datetime import timedelta
from typing import Tuple

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
from insights import ingest, store as insights_store
from insights.tracker_events import TrackerEvents

DEMO_AGENT = ("maria", "Maria")


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
    if tool.name == "desk" and not agents.load(settings.agents_file):
        # A first start on a laptop: one demo agent, its generated password beside the file.
        password = agents.add(settings.agents_file, *DEMO_AGENT)
        demo = settings.agents_file.with_suffix(".demo-password")
        demo.write_text(password + "\n")
        demo.chmod(0o600)
        logging.info("Desk agent %r created; its password is in %s", DEMO_AGENT[0], demo)
    sessions = connect(settings.database_url)
    worker = Worker(sessions, tool, RasaApi(settings.rasa_url, settings.rasa_token),
                    Conversations(settings.tracker_db_url), timedelta(minutes=settings.acknowledge_every_min))
    stop = start(worker, settings.poll_s)
    insights = insights_store.connect(settings.insights_db_url)
    stop_insights = ingest.start(ingest.Ingest(insights, TrackerEvents(settings.tracker_db_url),
                                                 grace_s=settings.insights_grace_s),
                                 settings.insights_poll_s, settings.insights_reconcile_s)
    try:
        uvicorn.run(create_app(settings, sessions, tool, insights), host=settings.host, port=settings.port,
                    log_level="warning")
    finally:
        stop.set()
        stop_insights.set()
    return 0


if __name__ == "__main__":
    sys.exit(main())
