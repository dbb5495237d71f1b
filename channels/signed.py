"""Inbound webhooks accept only requests the provider signed.

Rasa's connectors check signatures inside their handlers, each its own way (Facebook only
the old SHA-1 header, Slack answering 400, Twilio and Telegram not at all). A request
middleware on the connector's blueprint runs before any handler: a POST to /webhook whose
signature doesn't verify gets 403 and never reaches Rasa, so nothing is processed and
nothing is sent. The signatures themselves are made and compared by common/signing.py.
"""
import logging
from typing import Callable, Optional, Text

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

logger = logging.getLogger(__name__)


def require_signature(blueprint: Blueprint, channel: Text, verify: Callable[[Request], bool],
                      url_prefix: Text) -> Blueprint:
    """Makes `verify(request)` guard every POST to the blueprint's /webhook, served under
    /webhooks/<url_prefix>/ (the connector's name)."""
    webhook = f"/{url_prefix}/webhook"

    @blueprint.middleware("request")
    async def signed_only(request: Request) -> Optional[HTTPResponse]:
        # Sanic attaches blueprint middleware by route name, and Rasa gives both Twilio
        # channels' routes the same names: each check looks at its own path only.
        if request.method != "POST" or not request.path.rstrip("/").endswith(webhook):
            return None
        try:
            valid = verify(request)
        except Exception:  # a malformed header is a bad signature, not a server error
            logger.debug("%s signature check failed", channel, exc_info=True)
            valid = False
        if valid:
            return None
        logger.warning("%s webhook: request with a missing or wrong signature rejected", channel)
        return response.json({"error": "bad_signature", "channel": channel}, status=403)

    return blueprint
