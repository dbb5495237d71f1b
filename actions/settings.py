"""The action server's settings: environment variables, read here only, with laptop defaults."""
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Optional


def _pem(value: Optional[str]) -> Optional[str]:
    if value and not value.lstrip().startswith("-----BEGIN") and Path(value).is_file():
        return Path(value).read_text()
    return value or None

# Matches backend/settings.py; `make run` says when it is in use.
DEVELOPMENT_TOKEN = "dev-only-token-change-me"
DEVELOPMENT_CUSTOMER_TOKEN_SECRET = "dev-only-customer-token-secret-change-me"


@dataclass(frozen=True)
class Settings:
    orders_api_url: str
    orders_api_token: str
    orders_api_timeout_s: float
    # Whose business days count for support's promises (e.g. the label outreach).
    support_country: str
    support_timezone: str
    # The website's signed customer tokens (actions/identity.py).
    customer_token_audience: str
    customer_token_secret: Optional[str]
    customer_token_public_key: Optional[str]

    @classmethod
    def from_environment(cls) -> "Settings":
        return cls(
            orders_api_url=os.environ.get("ORDERS_API_URL", "http://127.0.0.1:8000"),
            orders_api_token=os.environ.get("ORDERS_API_TOKEN", DEVELOPMENT_TOKEN),
            orders_api_timeout_s=float(os.environ.get("ORDERS_API_TIMEOUT_S", "3")),
            support_country=os.environ.get("SUPPORT_COUNTRY", "FR"),
            support_timezone=os.environ.get("SUPPORT_TIMEZONE", "Europe/Paris"),
            customer_token_audience=os.environ.get("CUSTOMER_TOKEN_AUDIENCE", "refurb-support-assistant"),
            customer_token_secret=os.environ.get("CUSTOMER_TOKEN_SECRET", DEVELOPMENT_CUSTOMER_TOKEN_SECRET),
            # A PEM public key, or a file holding one: RS256 tokens.
            customer_token_public_key=_pem(os.environ.get("CUSTOMER_TOKEN_PUBLIC_KEY")),
        )


SETTINGS = Settings.from_environment()
