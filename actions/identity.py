"""Who is asking: the customer id in a signed token the website passes with each message.

The token is a JWT signed by the marketplace's website: HS256 with a shared secret, or
RS256 with the website's public key. `sub` is the customer id; `exp` and the audience are
required. Anything else (no token, bad signature, expired, wrong audience) means "not
logged in": the caller then treats the customer as anonymous.
"""
import re
from dataclasses import dataclass
from typing import Optional

import jwt

from common.identifiers import POSTCODE, whole


class IdentityError(Exception):
    """A token was given but cannot be trusted (`reason`: invalid, expired or unconfigured)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class TokenSettings:
    audience: str
    secret: Optional[str] = None  # HS256
    public_key: Optional[str] = None  # RS256 (PEM); takes precedence over the secret


def verified_customer(token: Optional[str], settings: TokenSettings) -> Optional[str]:
    """The customer id the token vouches for; None when there is no token."""
    if not token:
        return None
    if settings.public_key:
        key, algorithm = settings.public_key, "RS256"
    elif settings.secret:
        key, algorithm = settings.secret, "HS256"
    else:
        raise IdentityError("unconfigured")
    try:
        claims = jwt.decode(token, key, algorithms=[algorithm], audience=settings.audience,
                            options={"require": ["exp", "sub", "aud"]})
    except jwt.ExpiredSignatureError as error:
        raise IdentityError("expired") from error
    except jwt.InvalidTokenError as error:
        raise IdentityError("invalid") from error
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject:
        raise IdentityError("invalid")
    return subject


# A postcode or ZIP code typed on its own line: "75011", "SW1A 2HQ", "10001-1234".
_POSTCODE = re.compile(whole(POSTCODE))


def postcode_in(text: Optional[str]) -> Optional[str]:
    """The message as a postcode, when that is all it is (with digits in it)."""
    candidate = (text or "").strip().strip(".")
    if _POSTCODE.match(candidate) and any(c.isdigit() for c in candidate):
        return candidate
    return None


def mask_email(email: Optional[str]) -> Optional[str]:
    """j***@example.com: enough for a customer to spot a typo, not enough to learn the address."""
    if not email or "@" not in email:
        return None
    local, domain = email.rsplit("@", 1)
    return f"{local[:1]}***@{domain}"
