"""Facebook Messenger: Rasa's connector, switched off when unset, checking the SHA-256
signature, on a configurable Graph API address, with buttons that fit Messenger's limits.

Webhook: /webhooks/facebook/webhook (GET answers Facebook's verification challenge).

A photo or a file the customer sends goes to the return's photo slots (channels/photo_relay.py),
downloaded from the attachment's URL.
"""
import asyncio
import logging
from functools import partial
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from fbmessenger import MessengerClient
from fbmessenger.elements import Text as FacebookText
from fbmessenger.sender_actions import SenderAction
from rasa.core.channels.channel import UserMessage
from rasa.core.channels.facebook import FacebookInput, Messenger, MessengerBot
from rasa.core.tracker_store import TrackerStore
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.limits import limited
from channels.numbered_choices import numbered_choices
from channels.photo_relay import RELAY, download
from channels.signed import require_signature
from channels.switch import SwitchedChannel
from common.signing import hex_digest, same

logger = logging.getLogger(__name__)

# https://developers.facebook.com/docs/messenger-platform/send-messages/quick-replies allows
# 13 quick replies; fbmessenger 6.0 refuses more than 11.
QUICK_REPLIES_MAX = 11
QUICK_REPLY_TITLE_MAX = 20
# https://developers.facebook.com/docs/messenger-platform/reference/webhook-events/messages:
# the attachments that may be a photo of the device (the backend judges a file by its content).
PHOTO_ATTACHMENTS = ("image", "file")


class GraphApi(MessengerClient):
    """fbmessenger's client on the configured Graph API address, with a timeout, and
    logging what Facebook refused (fbmessenger returns the error and nobody looks)."""

    def __init__(self, page_access_token: Text, app_secret: Text, api_url: Text) -> None:
        # With the app secret, every call carries appsecret_proof, which pages can require.
        super().__init__(page_access_token, app_secret=app_secret)
        if api_url:
            self.graph_url = api_url.rstrip("/")

    def send(self, payload: Dict, recipient_id: Text, *args: Any, **kwargs: Any) -> Dict:
        return self._checked(super().send(payload, recipient_id, *args, timeout=10, **kwargs))

    def send_action(self, sender_action: Dict, recipient_id: Text, timeout: Optional[float] = None) -> Dict:
        return self._checked(super().send_action(sender_action, recipient_id, timeout=10))

    @staticmethod
    def _checked(answer: Dict) -> Dict:
        if isinstance(answer, dict) and "error" in answer:
            error = answer["error"]
            logger.warning("Facebook refused a message: %s (code %s)", error.get("message"), error.get("code"))
        return answer


class FacebookMessages(MessengerBot):
    """Messenger shows at most 3 buttons, titled in 20 characters, and Rasa's connector
    drops them all beyond that. Ours sends quick replies (up to 11, gone once used, as in
    the website widget); when the titles are too long, the choices as numbered lines with
    quick replies "1", "2", ..., so a tap and a typed number both work."""

    # fbmessenger is synchronous: each call runs in a thread so that a slow Graph API
    # doesn't hold up every other conversation on the server.
    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        for part in text.strip().split("\n\n"):
            await asyncio.to_thread(self.send, recipient_id, FacebookText(text=part))

    async def send_quick_replies(self, recipient_id: Text, text: Text,
                                 quick_replies: List[Dict[Text, Any]], **kwargs: Any) -> None:
        message = FacebookText(text=text, quick_replies=self._convert_to_quick_reply(quick_replies))
        await asyncio.to_thread(self.send, recipient_id, message)

    async def send_action(self, recipient_id: Text, sender_action: Text) -> None:
        await asyncio.to_thread(self.messenger_client.send_action, SenderAction(sender_action).to_dict(),
                                recipient_id)

    async def send_text_with_buttons(self, recipient_id: Text, text: Text,
                                     buttons: List[Dict[Text, Any]], **kwargs: Any) -> None:
        if len(buttons) > QUICK_REPLIES_MAX:
            await self.send_text_message(recipient_id, numbered_choices(text, buttons))
            return
        if any(len(str(b["title"])) > QUICK_REPLY_TITLE_MAX for b in buttons):
            text = numbered_choices(text, buttons)
            buttons = [{"title": str(n), "payload": b["payload"]} for n, b in enumerate(buttons, 1)]
        await self.send_quick_replies(recipient_id, text, buttons)


class FacebookConversation(Messenger):
    """One webhook call's messages, answered through `FacebookMessages`."""

    def __init__(self, client: GraphApi, on_new_message: Callable[[UserMessage], Awaitable[Any]],
                 tracker_store: TrackerStore) -> None:
        self.on_new_message = on_new_message
        self.client = client
        self.tracker_store = tracker_store
        self.last_message: Dict[Text, Any] = {}

    async def handle(self, payload: Dict, metadata: Optional[Dict[Text, Any]]) -> None:
        # Facebook batches events: Rasa's handler answers the first of each entry only.
        for entry in payload.get("entry", []):
            for event in entry.get("messaging", []):
                self.last_message = event
                if event.get("message"):
                    await self.message(event, metadata)
                elif event.get("postback"):
                    await self.postback(event, metadata)

    async def message(self, event: Dict[Text, Any], metadata: Optional[Dict[Text, Any]]) -> None:
        """Photos and files go to the return's photo slots, a message each (Rasa's handler would
        hand Rasa the first one's URL); a sticker or a like (an image too) as Rasa takes it."""
        sent = event["message"]
        urls = [attachment["payload"]["url"] for attachment in sent.get("attachments") or []
                if attachment.get("type") in PHOTO_ATTACHMENTS
                and isinstance((attachment.get("payload") or {}).get("url"), str)]
        if not urls or sent.get("sticker_id") or sent.get("is_echo"):
            await super().message(event, metadata)
            return
        sender_id = self.get_user_id()
        try:
            for url in urls:
                text = await RELAY.relay(self.tracker_store, sender_id, partial(download, url))
                await self._handle_user_message(text, sender_id, metadata)
        except Exception:
            logger.exception("Facebook: a photo could not be handled")
        if isinstance(sent.get("text"), str) and sent["text"].strip():
            await self._handle_user_message(sent["text"], sender_id, metadata)

    async def _handle_user_message(self, text: Text, sender_id: Text,
                                   metadata: Optional[Dict[Text, Any]]) -> None:
        out_channel = FacebookMessages(self.client)
        await out_channel.send_action(sender_id, sender_action="mark_seen")
        await out_channel.send_action(sender_id, sender_action="typing_on")
        try:
            await self.on_new_message(UserMessage(text, out_channel, sender_id,
                                                  input_channel=self.name(), metadata=metadata))
        except Exception:
            logger.exception("Facebook: a message could not be handled")
        finally:
            await out_channel.send_action(sender_id, sender_action="typing_off")


class FacebookChannel(SwitchedChannel, FacebookInput):
    title = "Facebook Messenger"
    settings = {
        "verify": "FACEBOOK_VERIFY_TOKEN",
        "secret": "FACEBOOK_APP_SECRET",
        "page-access-token": "FACEBOOK_PAGE_ACCESS_TOKEN",
    }

    def configure(self, credentials: Dict[Text, Any]) -> None:
        # One client (and its connection pool) for every delivery and reply.
        self.graph = GraphApi(self.fb_access_token, self.fb_secret, self.api_url)

    def signed(self, request: Request) -> bool:
        """X-Hub-Signature-256: "sha256=" and the HMAC-SHA256 of the body, keyed with the
        app secret (Rasa's connector checks only the older SHA-1 header)."""
        expected = "sha256=" + hex_digest(self.fb_secret, request.body)
        return same(expected, request.headers.get("X-Hub-Signature-256"))

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        # Rasa's routes, except that the POST handler uses the clients above.
        webhook = Blueprint("fb_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["GET"])
        async def verification(request: Request) -> HTTPResponse:
            if same(self.fb_verify, request.args.get("hub.verify_token")):
                return response.text(request.args.get("hub.challenge", ""))
            logger.warning("Facebook webhook verification with a wrong FACEBOOK_VERIFY_TOKEN")
            return response.text("wrong verify token", status=403)

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            conversation = FacebookConversation(self.graph, limited(on_new_message),
                                                request.app.ctx.agent.tracker_store)
            await conversation.handle(request.json or {}, self.get_metadata(request))
            return response.text("success")

        return require_signature(webhook, self.title, self.signed, self.name())

    def get_output_channel(self) -> FacebookMessages:
        return FacebookMessages(self.graph)
