"""Slack: Rasa's connector, switched off when unset, on a configurable Web API address, with
posts that today's Slack apps accept and buttons up to Slack's limit.

Webhook: /webhooks/slack/webhook, for both the Events API (messages) and Interactivity
(button clicks). Rasa's connector already checks Slack's signature; `require_signature`
makes a bad one a 403 like on every other channel.
"""
import logging
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.slack import SlackBot, SlackInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from channels.limits import limited
from channels.numbered_choices import numbered_choices
from channels.signed import require_signature
from channels.switch import SwitchedChannel

logger = logging.getLogger(__name__)

# https://api.slack.com/reference/block-kit/blocks#actions: up to 25 elements, and a
# button's text is at most 75 characters.
BUTTONS_MAX = 25
BUTTON_TITLE_MAX = 75


def escaped(text: Text) -> Text:
    """Slack reads &, < and > as markup (https://api.slack.com/reference/surfaces/formatting#escaping)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class SlackMessages(SlackBot):
    """Rasa's Slack output on the configured Web API address."""

    def __init__(self, token: Text, api_url: Text, slack_channel: Optional[Text] = None,
                 thread_id: Optional[Text] = None, proxy: Optional[Text] = None) -> None:
        super().__init__(token, slack_channel, thread_id, proxy)
        if api_url:
            self.client = AsyncWebClient(token, base_url=api_url.rstrip("/") + "/", proxy=proxy)

    async def _post_message(self, channel: Text, **kwargs: Any) -> None:
        # Slack apps made since 2020 get "invalid_arguments" for any `as_user`, which Rasa's
        # connector always sends; bot tokens post as the app anyway.
        kwargs.pop("as_user", None)
        kwargs.pop("type", None)  # not a chat.postMessage argument
        try:
            await super()._post_message(channel, **kwargs)
        except SlackApiError as error:
            logger.warning("Slack refused a message: %s", error.response.get("error"))

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await super().send_text_message(recipient_id, escaped(text), **kwargs)

    async def send_text_with_buttons(self, recipient_id: Text, text: Text,
                                     buttons: List[Dict[Text, Any]], **kwargs: Any) -> None:
        # Rasa's connector drops every button beyond five; Slack takes 25.
        if len(buttons) > BUTTONS_MAX or any(len(str(b["title"])) > BUTTON_TITLE_MAX for b in buttons):
            await self.send_text_message(recipient_id, numbered_choices(text, buttons))
            return
        recipient = self.slack_channel or recipient_id
        await self._post_message(channel=recipient, text=escaped(text), blocks=[
            {"type": "section", "text": {"type": "plain_text", "text": text}},
            {"type": "actions", "elements": [
                {"type": "button", "text": {"type": "plain_text", "text": b["title"]}, "value": b["payload"]}
                for b in buttons]},
        ])


class SlackChannel(SwitchedChannel, SlackInput):
    title = "Slack"
    settings = {
        "slack_token": "SLACK_BOT_TOKEN",
        "slack_signing_secret": "SLACK_SIGNING_SECRET",
    }

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = require_signature(super().blueprint(limited(on_new_message)), self.title,
                                    self.is_request_from_slack_authentic, self.name())

        @webhook.middleware("request")
        async def url_verification(request: Request) -> Optional[HTTPResponse]:
            # Slack checks a new Events URL with a signed challenge and wants it back as
            # {"challenge": ...}; Rasa's connector answers a bare JSON string.
            if request.method == "POST" and request.headers.get("content-type") == "application/json":
                event = request.json if isinstance(request.json, dict) else {}
                if event.get("type") == "url_verification":
                    return response.json({"challenge": event.get("challenge", "")})
            return None

        return webhook

    def get_output_channel(self, channel: Optional[Text] = None,
                           thread_id: Optional[Text] = None) -> SlackMessages:
        return SlackMessages(self.slack_token, self.api_url, channel or self.slack_channel, thread_id, self.proxy)
