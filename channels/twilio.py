"""SMS and WhatsApp through Twilio: Rasa's Twilio connector, switched off when unset, with
signed webhooks, a configurable API address, and buttons as numbered choices.

Two channels, two webhooks: /webhooks/twilio/webhook (SMS) and
/webhooks/twilio_whatsapp/webhook (WhatsApp), one Twilio account for both.

Media the customer sends (a WhatsApp photo or file, an MMS) go to the return's photo slots
(channels/photo_relay.py), fetched from Twilio with the account's credentials; their text
(Body, a photo's caption) follows as a message of its own.
"""
import asyncio
import logging
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text
from functools import partial
from urllib.parse import SplitResult, urlsplit, urlunsplit

import aiohttp
from rasa.core.channels.channel import UserMessage
from rasa.core.channels.twilio import TwilioInput, TwilioOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.request_validator import RequestValidator

from channels.limits import limited
from channels.numbered_choices import numbered_choices
from channels.photo_relay import RELAY, download
from channels.signed import require_signature
from channels.switch import SwitchedChannel, setting

logger = logging.getLogger(__name__)
TWILIO_API = "https://api.twilio.com"
# https://www.twilio.com/docs/messaging/guides/webhook-request: at most 10 media a message.
MEDIA_MAX = 10
# The Twilio client logs ten INFO lines per message sent; keep its warnings only.
_api_log = logging.getLogger(f"{__name__}.api")
_api_log.setLevel(logging.WARNING)


class TwilioApi(TwilioHttpClient):
    """Sends the client's calls to `base_url` (a regional or test endpoint) instead of
    https://api.twilio.com, keeping the path; with a timeout, so that a hung API can't hold a
    send (and its thread) forever."""

    def __init__(self, base_url: Text) -> None:
        super().__init__(timeout=10, logger=_api_log)
        self.base = urlsplit(base_url.rstrip("/")) if base_url else None

    def request(self, method: Text, url: Text, *args: Any, **kwargs: Any):
        if self.base:
            url = _on(self.base, url)
        return super().request(method, url, *args, **kwargs)

    def media_address(self, url: Text) -> Text:
        """A medium's URL (MediaUrl0...: on Twilio's API, which serves it to the account only)
        on the configured API, or Twilio's: the account's credentials go nowhere else."""
        return _on(self.base or urlsplit(TWILIO_API), url)


def _on(base: SplitResult, url: Text) -> Text:
    """`url`'s path and query on `base`."""
    path, query = urlsplit(url)[2:4]
    return urlunsplit((base.scheme, base.netloc, base.path + path, query, ""))


class TwilioMessages(TwilioOutput):
    """Rasa's Twilio output on the configured API, with buttons as numbered choices."""

    def __init__(self, account_sid: Text, auth_token: Text, number: Text, api_url: Text) -> None:
        super().__init__(account_sid, auth_token, number)
        self.http_client = TwilioApi(api_url)

    async def _send_message(self, message_data: Dict[Text, Any]) -> Any:
        # The Twilio client is synchronous: in a thread, so that the server keeps serving.
        # (Rasa's version retries in a loop that never runs again after an error.)
        try:
            return await asyncio.to_thread(self.messages.create, **message_data)
        except TwilioRestException as error:
            logger.warning("Twilio refused a message: %s (code %s)", error.msg, error.code)
            return None

    async def send_text_with_buttons(self, recipient_id: Text, text: Text,
                                     buttons: List[Dict[Text, Any]], **kwargs: Any) -> None:
        # One message, so that the numbers arrive with the question they answer (Rasa's
        # default sends each button as a message of its own).
        await self._send_message({"to": recipient_id, "from_": self.twilio_number,
                                  "body": numbered_choices(text, buttons)})


class TwilioSmsChannel(SwitchedChannel, TwilioInput):
    title = "Twilio SMS"
    settings = {
        "account_sid": "TWILIO_ACCOUNT_SID",
        "auth_token": "TWILIO_AUTH_TOKEN",
        "twilio_number": "TWILIO_SMS_NUMBER",
        # Twilio signs the URL it posts to, which only the proxy in front of us knows.
        "webhook_url": "TWILIO_SMS_WEBHOOK_URL",
    }

    def configure(self, credentials: Dict[Text, Any]) -> None:
        self.webhook_url = setting(credentials, "webhook_url")
        self.validator = RequestValidator(self.auth_token)
        # Rasa's handler asks for an output channel per message: one client serves them all.
        self.output = TwilioMessages(self.account_sid, self.auth_token, self.twilio_number, self.api_url)

    def signed(self, request: Request) -> bool:
        """X-Twilio-Signature: base64 HMAC-SHA1, keyed with the auth token, of the public
        webhook URL followed by every POST parameter name and value, sorted by name."""
        signature = request.headers.get("X-Twilio-Signature", "")
        return bool(signature) and self.validator.validate(self.webhook_url, request.form, signature)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        handle = limited(on_new_message)
        webhook = super().blueprint(handle)
        # Rasa names every Twilio blueprint "twilio_webhook", and Sanic wants unique names.
        webhook.name = f"{self.name()}_webhook"
        webhook = require_signature(webhook, self.title, self.signed, self.name())
        own_path = f"/{self.name()}/webhook"

        @webhook.middleware("request")
        async def relay_media(request: Request) -> Optional[HTTPResponse]:
            # After the signature check. Rasa's handler would hand the empty Body of a photo to
            # Rasa and drop the photo. Both Twilio channels' middleware sees both webhooks.
            if (request.method == "POST" and request.path.rstrip("/").endswith(own_path)
                    and request.form.get("From") and self._media(request)):
                await self._relay_media(request, handle)
                return response.text("", status=204)
            return None

        return webhook

    @staticmethod
    def _media(request: Request) -> List[Text]:
        count = request.form.get("NumMedia") or "0"
        number = int(count) if count.isdigit() else 0
        return [url for url in (request.form.get(f"MediaUrl{i}") for i in range(min(number, MEDIA_MAX))) if url]

    async def _relay_media(self, request: Request, handle: Callable[[UserMessage], Awaitable[Any]]) -> None:
        """Each medium in turn, then the text that came with them."""
        sender_id = request.form.get("From")
        metadata = self.get_metadata(request)
        credentials = aiohttp.BasicAuth(self.account_sid, self.auth_token)  # Twilio's media need them
        try:
            for url in self._media(request):
                fetch = partial(download, self.output.http_client.media_address(url), auth=credentials)
                await handle(self._message(await RELAY.relay(request.app.ctx.agent.tracker_store, sender_id, fetch),
                                           sender_id, metadata))
            body = (request.form.get("Body") or "").replace("¡", "@")  # as Rasa's handler reads it
            if body.strip():
                await handle(self._message(body, sender_id, metadata))
        except Exception:
            logger.exception("%s: a message with media could not be handled", self.title)

    def _message(self, text: Text, sender_id: Text, metadata: Optional[Dict[Text, Any]]) -> UserMessage:
        return UserMessage(text, self.output, sender_id, input_channel=self.name(), metadata=metadata)

    def get_output_channel(self) -> TwilioMessages:
        return self.output


class TwilioWhatsAppChannel(TwilioSmsChannel):
    title = "Twilio WhatsApp"
    settings = {
        "account_sid": "TWILIO_ACCOUNT_SID",
        "auth_token": "TWILIO_AUTH_TOKEN",
        "twilio_number": "TWILIO_WHATSAPP_NUMBER",
        "webhook_url": "TWILIO_WHATSAPP_WEBHOOK_URL",
    }

    @classmethod
    def name(cls) -> Text:
        return "twilio_whatsapp"

    def configure(self, credentials: Dict[Text, Any]) -> None:
        # Twilio addresses WhatsApp numbers as "whatsapp:+14155238886".
        if not self.twilio_number.startswith("whatsapp:"):
            self.twilio_number = f"whatsapp:{self.twilio_number}"
        super().configure(credentials)
