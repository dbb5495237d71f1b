"""The website chat widget's channel (web/): Rasa's socket.io connector, with three fixes.

1. Session persistence works. Rasa 3.6 calls `sio.enter_room(...)` without awaiting it, and
   since python-socketio 5.10 that is a coroutine: the socket never joins its session's room
   and the assistant's replies go nowhere (the widget waits forever).
2. Only the shop's own pages may connect (`allowed_origins`). Rasa switches python-socketio's
   origin check off, so any website could talk to the assistant in its visitors' names.
3. Session ids are random 32-hex strings. The id names the conversation in the tracker
   store, so a page must not pick a guessable one, or one of another channel's senders.
"""
import logging
import re
import uuid
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint

logger = logging.getLogger(__name__)

SESSION_ID = re.compile(r"[0-9a-f]{32}")


def _origins(setting: Optional[Text]) -> Optional[List[Text]]:
    """'https://shop.example https://www.shop.example' -> a list; empty -> None, which
    python-socketio reads as "the Rasa server's own origin only"."""
    origins = [origin.rstrip("/") for origin in re.split(r"[\s,]+", setting or "") if origin]
    return origins or None


def valid_session_id(session_id: Any) -> bool:
    return isinstance(session_id, str) and SESSION_ID.fullmatch(session_id) is not None


class WebsiteChatInput(SocketIOInput):
    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        channel = super().from_credentials(credentials)
        channel.allowed_origins = _origins((credentials or {}).get("allowed_origins"))
        return channel

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(on_new_message)
        sio = self.sio
        sio.eio.cors_allowed_origins = getattr(self, "allowed_origins", None)
        namespace = self.namespace or "/"
        handle_message = sio.handlers[namespace][self.user_message_evt]

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: Text, data: Optional[Dict]) -> None:
            requested = (data or {}).get("session_id") if isinstance(data, dict) else None
            session_id = requested if valid_session_id(requested) else uuid.uuid4().hex
            if self.session_persistence:
                await sio.enter_room(sid, session_id, namespace=namespace)
            await sio.emit("session_confirm", session_id, room=sid, namespace=namespace)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def user_message(sid: Text, data: Any) -> None:
            if not isinstance(data, dict) or not isinstance(data.get("message"), str):
                return
            if self.session_persistence and not valid_session_id(data.get("session_id")):
                logger.info("Ignored a widget message without a valid session id.")
                return
            await handle_message(sid, data)

        return blueprint
