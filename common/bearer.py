"""The check of an `Authorization: Bearer <token>` header, for the services that take one: the
order backend (BACKEND_API_TOKEN, sent by the action server and the demo shop; sellers' own
tokens) and the handoff service (HANDOFF_API_TOKEN, sent by the action server)."""
from typing import Optional

from common.signing import same


def header(token: str) -> str:
    """The Authorization header's value that carries the token."""
    return f"Bearer {token}"


def authorised(authorization: Optional[str], token: str) -> bool:
    """Whether the Authorization header carries the token, compared in constant time; a
    missing header never matches, and neither does anything when no token is configured."""
    return bool(token) and same(header(token), authorization)


def token(authorization: Optional[str]) -> Optional[str]:
    """The token an Authorization header carries, else None (no header, another scheme)."""
    scheme, _, given = (authorization or "").partition(" ")
    return given or None if scheme == "Bearer" else None
