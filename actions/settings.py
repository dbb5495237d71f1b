"""The action server's settings: environment variables, read here only.

Secrets have no defaults: without ORDERS_API_TOKEN, or without a way to check customer tokens
(CUSTOMER_TOKEN_SECRET or CUSTOMER_TOKEN_PUBLIC_KEY), the action server does not start and
its log says which variable is missing. `make run` generates development secrets into
var/secrets.env; anywhere else, set your own.
"""
import logging
from dataclasses import dataclass
from typing import Optional

from brand.profile import BrandProfileError, Profile, read as read_brand_profile
from language.languages import load as load_languages
from common.settings import Environment, SettingsError  # SettingsError: what from_environment raises

logger = logging.getLogger(__name__)

# RFC 7518 §3.2: an HS256 key must be at least as long as the hash (256 bits); a shorter
# secret can be guessed offline from a single token, and with it any customer's identity.
MIN_SECRET_LENGTH = 32


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
    # The language support's agents work in: what the ticket says about the conversation.
    support_language: str = "en"
    # Where customers' browsers and the messaging channels reach the order backend's signed photo
    # links (README, "Return photos"): its public address behind a proxy; the API's by default.
    photos_public_url: str = "http://127.0.0.1:8000"

    @classmethod
    def from_environment(cls) -> "Settings":
        env = Environment()  # every problem at once: one restart to fix them
        orders_api_token = env.required("ORDERS_API_TOKEN", "the token the order backend requires")
        # A PEM public key, or a file holding one: RS256 tokens, and no shared secret needed.
        public_key, secret = env.key_or_secret("CUSTOMER_TOKEN_PUBLIC_KEY", "CUSTOMER_TOKEN_SECRET",
                                               "the key that checks the website's customer tokens")
        if secret and not public_key and len(secret) < MIN_SECRET_LENGTH:
            env.problem(f"CUSTOMER_TOKEN_SECRET is too short: HS256 needs at least {MIN_SECRET_LENGTH} characters")
        orders_api_timeout_s = env.number("ORDERS_API_TIMEOUT_S", 3.0)
        try:
            brand = read_brand_profile()
        except BrandProfileError as error:
            env.problem(str(error))
        support_language = env.get("SUPPORT_LANGUAGE", "en")
        if not load_languages().known(support_language):
            env.problem(f"SUPPORT_LANGUAGE={support_language!r}: choose one of {', '.join(load_languages().codes)}")
        env.check()
        orders_api_url = env.get("ORDERS_API_URL", "http://127.0.0.1:8000")
        return cls(
            orders_api_url=orders_api_url,
            orders_api_token=orders_api_token,
            orders_api_timeout_s=orders_api_timeout_s,
            brand=brand,
            customer_token_audience=env.get("CUSTOMER_TOKEN_AUDIENCE", "refurb-support-assistant"),
            customer_token_secret=secret,
            customer_token_public_key=public_key,
            handoff_url=env.get("HANDOFF_URL", "http://127.0.0.1:8090"),
            # Optional: without it, handing over says the team can't be reached.
            handoff_api_token=env.optional("HANDOFF_API_TOKEN"),
            support_language=load_languages().known(support_language) or "en",
            photos_public_url=env.get("PHOTOS_PUBLIC_URL", orders_api_url),
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
