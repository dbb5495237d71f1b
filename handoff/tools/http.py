"""What every HTTP adapter shares: one call that turns any failure into ToolError, the
pieces of an HMAC signature check as SignatureError (common/signing.py makes and compares the
signatures: digest, constant-time compare, 5-minute window), and reading a callback's body as
a JSON object.

Adapters never retry: the service queues a failed call and tries it again later, so a
ToolError only has to say whether trying again can help (`retry`) and what went wrong,
without the credentials (messages end up in logs).
"""
import json
from datetime import datetime
from typing import Any, Dict, Iterable, Optional

import httpx

from common import signing
from handoff.tools.base import SignatureError, ToolError

# 408 and 429 say "later"; 409 is a conflict with a concurrent update (Zendesk answers it when
# two updates of one ticket collide): the same call can succeed a moment later.
_RETRY_4XX = {408, 409, 429}


def call(client: httpx.Client, method: str, url: str, *, what: str, timeout: float,
         redact: Iterable[str] = (), **kwargs) -> httpx.Response:
    """Sends one request; returns a 2xx response or raises ToolError. `what` names the call
    for people ("zendesk create ticket"); `redact` lists strings that must never appear in
    the error (tokens, secrets), in case the far end echoes them."""
    try:
        response = client.request(method, url, timeout=timeout, **kwargs)
    except httpx.TimeoutException as exc:
        raise ToolError(f"{what}: timed out after {timeout:g}s ({type(exc).__name__})", retry=True) from None
    except httpx.HTTPError as exc:  # connection refused, DNS, TLS, protocol errors
        raise ToolError(f"{what}: could not reach the server ({type(exc).__name__})", retry=True) from None
    if response.is_success:
        return response
    status = response.status_code
    retry = status >= 500 or status in _RETRY_4XX
    detail = _scrub(response.text[:300], redact).strip()
    after = response.headers.get("retry-after")
    message = f"{what}: HTTP {status}" + (f", retry after {after}s" if after else "")
    message += f": {detail}" if detail else ""
    raise ToolError(message, retry=retry)


def _scrub(text: str, secrets: Iterable[str]) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


def check_same(expected: str, given: Optional[str]) -> None:
    """Constant-time compare, so a forger cannot learn the signature byte by byte."""
    if not signing.same(expected, given.strip() if given else given):
        raise SignatureError("bad signature")


def check_fresh(sent_at: datetime, now: Optional[datetime] = None) -> None:
    """Refuses a signature older (or further ahead) than signing.WINDOW: a captured callback
    cannot be replayed later."""
    if not signing.fresh(sent_at, now):
        raise SignatureError("signature timestamp outside the 5-minute window")


def unix_time(stamp: str, header: str) -> datetime:
    """A signature's timestamp header in Unix seconds, as a time; anything else (not digits,
    or a number no calendar holds) is a bad signature, not a server error."""
    sent_at = signing.unix_time(stamp)
    if sent_at is None:
        raise SignatureError(f"missing or unreadable {header}")
    return sent_at


def json_object(body: bytes, what: str) -> Dict[str, Any]:
    """A callback's body as a JSON object; anything else is a ValueError naming `what`
    ("zendesk callback")."""
    try:
        data = json.loads(body)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise ValueError(f"{what}: the body is not a JSON object")
    return data
