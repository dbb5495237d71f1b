"""The action server's settings: environment variables, read here only, with laptop defaults."""
import os
from dataclasses import dataclass

# Matches backend/settings.py; `make run` says when it is in use.
DEVELOPMENT_TOKEN = "dev-only-token-change-me"


@dataclass(frozen=True)
class Settings:
    orders_api_url: str
    orders_api_token: str
    orders_api_timeout_s: float
    # Whose business days count for support's promises (e.g. the label outreach).
    support_country: str
    support_timezone: str

    @classmethod
    def from_environment(cls) -> "Settings":
        return cls(
            orders_api_url=os.environ.get("ORDERS_API_URL", "http://127.0.0.1:8000"),
            orders_api_token=os.environ.get("ORDERS_API_TOKEN", DEVELOPMENT_TOKEN),
            orders_api_timeout_s=float(os.environ.get("ORDERS_API_TIMEOUT_S", "3")),
            support_country=os.environ.get("SUPPORT_COUNTRY", "FR"),
            support_timezone=os.environ.get("SUPPORT_TIMEZONE", "Europe/Paris"),
        )


SETTINGS = Settings.from_environment()
