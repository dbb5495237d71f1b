"""The website chat widget's channel (web/): Rasa's socket.io connector, with three fixes.

1. Session persistence works. Rasa 3.6 calls `sio.enter_room(...)` without awaiting it, and
   since python-socketio 5.10 that is a coroutine: the socket never joins its session's room
   and the assistant's replies go nowhere (the widget waits forever).
2. Only the shop's own pages may connect (`allowed_origins`). Rasa switches python-socketio's
   origin check off, so any website could talk to the assistant in its visitors' names.
3. Session ids are random 32-hex strings. The id names the conversation in the tracker
   store, so a page must not pick a guessable one, or one of another channel's senders.

It greets: once a session is confirmed, a `welcome` event carries the brand profile's
greeting, suggested topics and the assistant's name and avatar (brand.yml, `widget`), and the
longest message the server reads (channels/limits.yml), which the widget counts down to.

And it tells the widget who is answering: messages an agent sent through the handoff service
(handoff/rasa_api.py) carry the agent's name, and the assistant's hand-back ends that. And which
quick reply a typed answer took (channels/website_responses.py), for the widget to mark it.

With several Rasa servers (README, "Scaling out"), WIDGET_REDIS_URL makes them share the
widget's sockets through Redis (python-socketio's AsyncRedisManager): a message for a
conversation, such as an agent's sent through Rasa's HTTP API to any replica, reaches the
customer's socket on whichever replica holds it.
"""
import logging
import os
import re
import uuid
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint
from socketio import AsyncRedisManager, AsyncServer

from brand.profile import read as brand_profile
from channels.limits import limited, limits
from language.languages import load as load_languages
# The handoff service's names: the metadata on an agent's message (BotUttered metadata), and the
# response that hands the conversation back to the assistant (domain.yml).
from handoff.assistant_contract import AGENT_KEY as AGENT, HANDED_BACK as HAND_BACK

logger = logging.getLogger(__name__)

SESSION_ID = re.compile(r"[0-9a-f]{32}")
# The quick reply the customer's last message answered (channels/website_responses.py).
ANSWERED = "answered"


def _origins(setting: Optional[Text]) -> Optional[List[Text]]:
    """'https://shop.example https://www.shop.example' -> a list; empty -> None, which
    python-socketio reads as "the Rasa server's own origin only"."""
    origins = [origin.rstrip("/") for origin in re.split(r"[\s,]+", setting or "") if origin]
    return origins or None


def share_sockets_through_redis(sio: AsyncServer, blueprint: Blueprint, redis_url: Optional[Text]) -> None:
    """Emits go through Redis to every replica, each delivering to its own sockets."""
    if not redis_url:
        return
    sio.manager = AsyncRedisManager(redis_url, channel="support-widget")
    sio.manager.set_server(sio)

    @blueprint.listener("after_server_start")
    async def subscribe(*_: Any) -> None:
        # python-socketio subscribes on the first connection only, and the session_confirm it
        # then emits through Redis could come back before the subscription: subscribe now.
        sio.manager_initialized = True
        sio.manager.initialize()


def valid_session_id(session_id: Any) -> bool:
    return isinstance(session_id, str) and SESSION_ID.fullmatch(session_id) is not None


class WebsiteOutput(SocketIOOutput):
    """Rasa's socket.io output, plus who answers: {"agent": {"name": ...}} on an agent's
    message, {"handoff": "ended"} when the assistant takes the conversation back; and
    {"answered": payload}, the quick reply the customer's message was taken as."""

    _extra: Dict[Text, Any] = {}

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        extra: Dict[Text, Any] = {}
        if isinstance(message.get(AGENT), dict):
            extra[AGENT] = {"name": str(message[AGENT].get("name") or "")}
        if message.get("utter_action") == HAND_BACK:
            extra["handoff"] = "ended"
        if isinstance(message.get(ANSWERED), str):
            extra[ANSWERED] = message[ANSWERED]
        self._extra = extra
        try:
            await super().send_response(recipient_id, message)
        finally:
            self._extra = {}

    async def send_custom_json(self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any) -> None:
        # A card (domain.yml's `custom` for this channel) goes as one message the widget
        # renders: {"custom": {...}}. Rasa's own passes the payload as emit()'s arguments.
        await self._send_message(recipient_id, {"custom": json_message})

    async def _send_message(self, socket_id: Text, response: Any) -> None:
        await super()._send_message(socket_id, {**response, **self._extra} if isinstance(response, dict) else response)


class WebsiteChatInput(SocketIOInput):
    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        channel = super().from_credentials(credentials)
        channel.allowed_origins = _origins((credentials or {}).get("allowed_origins"))
        return channel

    def get_output_channel(self) -> Optional[OutputChannel]:
        """The channel for messages the conversation didn't get from a reply (Rasa's HTTP API:
        an agent's message, the hand-back): to the session's room."""
        return WebsiteOutput(self.sio, self.bot_message_evt) if self.sio is not None else super().get_output_channel()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        async def answered_through_website_output(message: UserMessage) -> Any:
            # Rasa's handler answers through its own SocketIOOutput, which can't send a card.
            message.output_channel = WebsiteOutput(self.sio, self.bot_message_evt)
            return await on_new_message(message)

        blueprint = super().blueprint(limited(answered_through_website_output))
        sio = self.sio
        sio.eio.cors_allowed_origins = getattr(self, "allowed_origins", None)
        share_sockets_through_redis(sio, blueprint, os.environ.get("WIDGET_REDIS_URL"))
        namespace = self.namespace or "/"
        handle_message = sio.handlers[namespace][self.user_message_evt]
        # The widget refuses to send a longer message, and says so, rather than have it refused.
        # Its welcome is in the page's language (the widget sends it with its session request).
        languages = load_languages()
        welcomes = {code: {**brand_profile(language=code).welcome, "language": code,
                           "max_message_characters": limits()["max_message_characters"]} for code in languages.codes}

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: Text, data: Optional[Dict]) -> None:
            requested = (data or {}).get("session_id") if isinstance(data, dict) else None
            session_id = requested if valid_session_id(requested) else uuid.uuid4().hex
            if self.session_persistence:
                await sio.enter_room(sid, session_id, namespace=namespace)
            await sio.emit("session_confirm", session_id, room=sid, namespace=namespace)
            # The widget's first screen: the assistant's name and avatar, the greeting and the
            # suggested topics, from the brand profile (brand.yml, `widget`); and the limit.
            asked = languages.known((data or {}).get("language") if isinstance(data, dict) else None)
            await sio.emit("welcome", welcomes[asked or languages.default], room=sid, namespace=namespace)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def user_message(sid: Text, data: Any) -> None:
            if not isinstance(data, dict) or not isinstance(data.get("message"), str):
                return
            if self.session_persistence and not valid_session_id(data.get("session_id")):
                logger.info("Ignored a widget message without a valid session id.")
                return
            await handle_message(sid, data)

        return blueprint
