"""Telegram: Rasa's Telegram connector, switched off when unset, with a secret-token webhook,
a configurable Bot API address, and buttons that fit Telegram's limits.

Webhook: /webhooks/telegram/webhook, registered with Telegram at startup (and again on
POST /webhooks/telegram/set_webhook) together with the secret Telegram then sends back in
every update's X-Telegram-Bot-Api-Secret-Token header.

A photo or a file the customer sends goes to the return's photo slots (channels/photo_relay.py),
downloaded through the Bot API (getFile, then the file) on the configured address.
"""
import asyncio
import json
import logging
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from aiogram.bot.api import TelegramAPIServer
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, User
from aiogram.utils.exceptions import TelegramAPIError
from rasa.core.channels.channel import UserMessage
from rasa.core.channels.telegram import TelegramInput, TelegramOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.limits import limited
from channels.numbered_choices import numbered_choices
from channels.photo_relay import RELAY, TOO_LARGE_FILE, Photo, PhotoRelayError, declared_too_large, download
from channels.signed import require_signature
from channels.switch import SwitchedChannel, setting
from common.signing import same

logger = logging.getLogger(__name__)

# https://core.telegram.org/bots/api#inlinekeyboardbutton: callback_data is 1-64 bytes.
CALLBACK_DATA_BYTES = 64


class TelegramMessages(TelegramOutput):
    """Rasa's Telegram output on the configured Bot API server."""

    def __init__(self, access_token: Text, api_url: Text, secret_token: Text) -> None:
        super().__init__(access_token)
        if api_url:
            self.server = TelegramAPIServer.from_base(api_url)
        self.secret_token = secret_token
        self._me: Optional[User] = None

    async def get_me(self) -> User:
        # Rasa's handler asks for the bot's name on every update; it never changes.
        if self._me is None:
            self._me = await super().get_me()
        return self._me

    async def set_webhook(self, url: Text, **kwargs: Any) -> bool:
        # aiogram 2.15 predates the secret_token parameter (Bot API 6.1), so call it directly.
        return await self.request("setWebhook", {
            "url": url,
            "secret_token": self.secret_token,
            "allowed_updates": json.dumps(["message", "edited_message", "callback_query"]),
        })

    async def send_text_with_buttons(self, recipient_id: Text, text: Text,
                                     buttons: List[Dict[Text, Any]], **kwargs: Any) -> None:
        if all(len(str(b["payload"]).encode("utf-8")) <= CALLBACK_DATA_BYTES for b in buttons):
            # One button a row: our titles are sentences, and a row squeezes them unreadable.
            keyboard = InlineKeyboardMarkup(row_width=1)
            keyboard.add(*[InlineKeyboardButton(b["title"], callback_data=b["payload"]) for b in buttons])
            await self.send_message(recipient_id, text, reply_markup=keyboard)
        else:
            await self.send_message(recipient_id, numbered_choices(text, buttons))

    async def button_used(self, callback_query: Dict[Text, Any]) -> None:
        """Stops the button's progress spinner and retires the keyboard it was on: the
        question keeps the answer chosen ("✓ Next step") where its buttons were, so it never
        points at buttons that are gone (as in the website widget)."""
        message = callback_query.get("message") or {}
        rows = (message.get("reply_markup") or {}).get("inline_keyboard") or []
        chosen = next((button.get("text") for row in rows for button in row
                       if button.get("callback_data") == callback_query.get("data")), None)
        try:
            await self.answer_callback_query(callback_query["id"])
            if not message.get("message_id"):
                return
            if chosen and message.get("text"):
                await self.edit_message_text(f"{message['text']}\n\n✓ {chosen}", message["chat"]["id"],
                                             message["message_id"])
            else:
                await self.edit_message_reply_markup(message["chat"]["id"], message["message_id"])
        except (TelegramAPIError, KeyError) as error:
            logger.warning("Telegram: could not retire a used button: %s", error)


class TelegramChannel(SwitchedChannel, TelegramInput):
    title = "Telegram"
    settings = {
        "access_token": "TELEGRAM_ACCESS_TOKEN",
        "verify": "TELEGRAM_BOT_NAME",
        "webhook_url": "TELEGRAM_WEBHOOK_URL",
        "secret_token": "TELEGRAM_SECRET_TOKEN",
    }

    def configure(self, credentials: Dict[Text, Any]) -> None:
        self.secret_token = setting(credentials, "secret_token")
        self.debug_mode = False  # a failing update is logged, not raised at Telegram
        self.output: Optional[TelegramMessages] = None

    def signed(self, request: Request) -> bool:
        return same(self.secret_token, request.headers.get("X-Telegram-Bot-Api-Secret-Token"))

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        handle = limited(on_new_message)
        webhook = require_signature(super().blueprint(handle), self.title, self.signed, self.name())

        @webhook.middleware("request")
        async def retire_used_buttons(request: Request) -> None:
            # Runs after the signature check; Rasa's handler then reads the button's payload.
            if request.method == "POST" and request.path.endswith("/webhook"):
                update = request.json if isinstance(request.json, dict) else {}
                if update.get("callback_query") and self.output:
                    asyncio.create_task(self.output.button_used(update["callback_query"]))

        @webhook.middleware("request")
        async def relay_photos(request: Request) -> Optional[HTTPResponse]:
            # Rasa's handler reads text and locations only, and drops a photo's caption.
            if request.method == "POST" and request.path.endswith("/webhook"):
                update = request.json if isinstance(request.json, dict) else {}
                sent = update.get("message")
                if isinstance(sent, dict) and (sent.get("photo") or sent.get("document")):
                    await self._relay_photo(request, sent, handle)
                    return response.text("success")
            return None

        return webhook

    async def _relay_photo(self, request: Request, sent: Dict[Text, Any],
                           handle: Callable[[UserMessage], Awaitable[Any]]) -> None:
        """The photo (its largest size) or the file, then its caption as a message of its own."""
        output = self.get_output_channel()
        file = sent.get("document") or max(sent["photo"], key=lambda size: size.get("width", 0) * size.get("height", 0))

        async def fetch() -> Photo:
            if declared_too_large(file.get("file_size")):
                return TOO_LARGE_FILE  # the Bot API isn't even asked for it
            try:
                found = await output.get_file(file["file_id"])
            except (TelegramAPIError, asyncio.TimeoutError) as error:
                raise PhotoRelayError(f"Telegram getFile failed: {type(error).__name__}") from None
            if not found.file_path:
                raise PhotoRelayError("Telegram gave no file path")
            return await download(output.get_file_url(found.file_path), found.file_size)

        sender_id = str(sent["chat"]["id"])  # as Rasa's handler names the conversation
        metadata = self.get_metadata(request)
        try:
            texts = [await RELAY.relay(request.app.ctx.agent.tracker_store, sender_id, fetch)]
            if isinstance(sent.get("caption"), str) and sent["caption"].strip():
                texts.append(sent["caption"])
            for text in texts:
                await handle(UserMessage(text, output, sender_id, input_channel=self.name(), metadata=metadata))
        except Exception:
            logger.exception("Telegram: a photo could not be handled")

    def get_metadata(self, request: Request) -> Optional[Dict[Text, Any]]:
        """The language the customer's Telegram app is set to (`language_code`): the hint the
        conversation's language starts from (language/language_identifier.py)."""
        update = request.json if isinstance(request.json, dict) else {}
        sent = update.get("message") or update.get("edited_message") or update.get("callback_query") or {}
        code = (sent.get("from") or {}).get("language_code") if isinstance(sent, dict) else None
        return {"language": code} if isinstance(code, str) else None

    def get_output_channel(self) -> TelegramMessages:
        # First called by blueprint() at startup, before the server's event loop runs; later
        # (the HTTP API's output_channel=latest) from inside it, where asyncio.run can't go.
        if self.output is None:
            self.output = TelegramMessages(self.access_token, self.api_url, self.secret_token)
            asyncio.run(self._register_webhook())
        return self.output

    async def _register_webhook(self) -> None:
        # A Bot of its own: its HTTP session belongs to this short-lived event loop, and the
        # output's must be created later, in the server's.
        bot = TelegramMessages(self.access_token, self.api_url, self.secret_token)
        try:
            await bot.set_webhook(self.webhook_url)
            logger.info("Telegram webhook registered: %s", self.webhook_url)
        except TelegramAPIError as error:
            # The website and the other channels still work; POST .../set_webhook retries.
            logger.error("Telegram: could not register the webhook %s: %s", self.webhook_url, error)
        finally:
            await bot.close()
