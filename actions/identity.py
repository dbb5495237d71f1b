"""Who is asking: the customer id in a signed token the website passes with each message.

The token is a JWT signed by the marketplace's website: HS256 with a shared secret, or
RS256 with the website's public key. `sub` is the customer id; `exp` and the audience are
required. Anything else (no token, bad signature, expired, wrong audience) means "not
logged in": the caller then treats the customer as anonymous.
"""
from dataclasses import dataclass
from typing import Optional

import jwt


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
