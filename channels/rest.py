"""REST (POST /webhooks/rest/webhook): Rasa's own connector behind the bounds of
channels/limits.py, like every other channel."""
from typing import Any, Awaitable, Callable, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint

from channels.limits import limited


class RestChannel(RestInput):
    @classmethod
    def name(cls) -> Text:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        return super().blueprint(limited(on_new_message))
