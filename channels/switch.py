"""A messaging channel is on only when every variable it needs is set.

credentials.yml lists every channel with ${VARIABLES} that default to "" (defaults.mk), so a
deployment that hasn't set up, say, Telegram must neither create a Telegram client (Rasa's
connector would call the Telegram API at startup) nor accept anything on its webhook.
`SwitchedChannel` goes first in a connector's bases: when a required setting is empty,
`from_credentials` returns a `ChannelOff` in the connector's place, which only answers 404
naming the variables that turn the channel on, and says so once in the log at startup.
"""
import logging
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

logger = logging.getLogger(__name__)


class ChannelOff(InputChannel):
    """Stands in for a channel that isn't configured: its webhook answers 404."""

    def __init__(self, channel: Text, title: Text, variables: List[Text], unset: List[Text]) -> None:
        self.channel = channel
        self.title = title
        self.variables = variables
        self.unset = unset

    def url_prefix(self) -> Text:
        # Same URLs as the real connector, so the provider (or a curl) gets a useful answer.
        return self.channel

    def message(self) -> Text:
        return f"{self.title} channel off: set {', '.join(self.variables)} to enable"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        off = Blueprint(f"{self.channel}_off")
        body = {"error": "channel_off", "channel": self.channel, "message": self.message(),
                "variables": self.variables, "unset": self.unset}

        async def answer(_: Request, path: Text = "") -> HTTPResponse:
            return response.json(body, status=404)

        off.add_route(answer, "/", methods=["GET", "POST"], name="root")
        off.add_route(answer, "/<path:path>", methods=["GET", "POST"], name="path")

        return off


class SwitchedChannel:
    """Mixin, first in the bases of a Rasa input channel.

    `settings` maps each credentials.yml key the channel cannot work without to the
    environment variable credentials.yml reads it from (for the 404 answer and the log);
    tests/channels checks the two agree. Every channel also reads `api_url`, the provider
    API's address: empty means the provider's own.
    """

    title: Text = ""
    settings: Dict[Text, Text] = {}
    api_url: Text = ""

    def configure(self, credentials: Dict[Text, Any]) -> None:
        """Reads the settings Rasa's connector doesn't know (API address, secrets)."""

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        credentials = credentials or {}
        unset = [variable for key, variable in cls.settings.items() if not credentials.get(key)]
        if not unset:
            channel = super().from_credentials(credentials)  # type: ignore[misc]
            channel.api_url = setting(credentials, "api_url")
            channel.configure(credentials)
            return channel
        off = ChannelOff(cls.name(), cls.title, list(cls.settings.values()), unset)  # type: ignore[attr-defined]
        if len(unset) < len(cls.settings):
            # Half configured is a mistake worth a warning; not configured at all is a choice.
            logger.warning("%s (still unset: %s)", off.message(), ", ".join(unset))
        else:
            logger.info(off.message())
        return off


def setting(credentials: Dict[Text, Any], key: Text) -> Text:
    """A setting Rasa's connector doesn't read; "" when its variable is empty."""
    return (credentials.get(key) or "").strip()
