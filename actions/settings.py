"""The action server's settings: environment variables, read here only.

Secrets have no defaults: without ORDERS_API_TOKEN, or without a way to check customer tokens
(CUSTOMER_TOKEN_SECRET or CUSTOMER_TOKEN_PUBLIC_KEY), the action server does not start and
its log says which variable is missing. `make run` generates development secrets into
var/secrets.env; anywhere else, set your own.
"""
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from brand.profile import BrandProfileError, Profile, read as read_brand_profile

logger = logging.getLogger(__name__)

# RFC 7518 §3.2: an HS256 key must be at least as long as the hash (256 bits); a shorter
# secret can be guessed offline from a single token, and with it any customer's identity.
MIN_SECRET_LENGTH = 32


class SettingsError(ValueError):
    """A setting is missing or unusable: the action server does not start."""


def _pem(value: Optional[str]) -> Optional[str]:
    if value and not value.lstrip().startswith("-----BEGIN") and Path(value).is_file():
        return Path(value).read_text()
    return value or None


@dataclass(frozen=True)
class Settings:
    orders_api_url: str
    orders_api_token: str
    orders_api_timeout_s: float
    # The marketplace's brand profile (brand/profile.py): support's hours and calendar count
    # its promises (the label outreach, when a person answers).
    brand: Profile
    # The website's signed customer tokens (actions/identity.py): one of the two is set.
    customer_token_audience: str
    customer_token_secret: Optional[str]
    customer_token_public_key: Optional[str]
    # The handoff service (handoff/): where conversations go to a person.
    handoff_url: str
    handoff_api_token: Optional[str]

    @classmethod
    def from_environment(cls) -> "Settings":
        # A PEM public key, or a file holding one: RS256 tokens, and no shared secret needed.
        public_key = _pem(os.environ.get("CUSTOMER_TOKEN_PUBLIC_KEY"))
        secret = os.environ.get("CUSTOMER_TOKEN_SECRET") or None
        orders_api_token = os.environ.get("ORDERS_API_TOKEN")
        problems = []  # all of them at once: one restart to fix them
        if not orders_api_token:
            problems.append("ORDERS_API_TOKEN is not set: the token the order backend requires")
        if not (public_key or secret):
            problems.append("CUSTOMER_TOKEN_SECRET (or CUSTOMER_TOKEN_PUBLIC_KEY) is not set: "
                            "the key that checks the website's customer tokens")
        elif secret and not public_key and len(secret) < MIN_SECRET_LENGTH:
            problems.append(f"CUSTOMER_TOKEN_SECRET is too short: HS256 needs at least {MIN_SECRET_LENGTH} characters")
        try:
            brand = read_brand_profile()
        except BrandProfileError as error:
            problems.append(str(error))
        if problems:
            raise SettingsError("; ".join(problems))
        return cls(
            orders_api_url=os.environ.get("ORDERS_API_URL", "http://127.0.0.1:8000"),
            orders_api_token=orders_api_token,
            orders_api_timeout_s=float(os.environ.get("ORDERS_API_TIMEOUT_S", "3")),
            brand=brand,
            customer_token_audience=os.environ.get("CUSTOMER_TOKEN_AUDIENCE", "refurb-support-assistant"),
            customer_token_secret=secret,
            customer_token_public_key=public_key,
            handoff_url=os.environ.get("HANDOFF_URL", "http://127.0.0.1:8090"),
            # Optional: without it, handing over says the team can't be reached.
            handoff_api_token=os.environ.get("HANDOFF_API_TOKEN") or None,
        )


def _read() -> Settings:
    # rasa-sdk imports this package when it starts, before it listens: stopping here keeps a
    # misconfigured server from ever answering. SystemExit, not the error: rasa-sdk catches
    # ImportError only, and a one-line reason reads better in the log than a traceback.
    try:
        settings = Settings.from_environment()
    except SettingsError as error:
        logger.critical("The action server can't start: %s", error)
        raise SystemExit(2) from error
    if not settings.handoff_api_token:
        logger.warning("HANDOFF_API_TOKEN is not set: customers asking for a person are told "
                       "the team can't be reached")
    return settings


SETTINGS = _read()
