"""What the handoff service says in words, to customers and to agents: handoff/wording.yml,
which support staff edit."""
from pathlib import Path

import yaml

WORDING = yaml.safe_load(Path(__file__).with_name("wording.yml").read_text())


def channel_name(channel: str) -> str:
    """Where the customer is, as agents say it ("website chat" for Rasa's socketio)."""
    return WORDING["desk"]["channels"].get(channel, channel)
