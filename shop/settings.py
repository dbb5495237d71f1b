"""The demo shop's settings: environment variables, read here only.

Secrets have no defaults: without ORDERS_API_TOKEN, SHOP_SESSION_SECRET, or a key to sign
customer tokens with (CUSTOMER_TOKEN_SECRET or CUSTOMER_TOKEN_PRIVATE_KEY), the shop does not
start and says which variable is missing. `make run` generates development secrets into
var/secrets.env.
"""
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from brand.profile import profile_path

ROOT = Path(__file__).resolve().parent.parent
CUSTOMER_TOKEN_AUDIENCE = "refurb-support-assistant"


class SettingsError(ValueError):
    """A setting is missing: the shop does not start."""


def _pem(value: Optional[str]) -> Optional[str]:
    """A PEM key given inline or as a file path."""
    if value and not value.lstrip().startswith("-----BEGIN") and Path(value).is_file():
        return Path(value).read_text()
    return value or None


@dataclass(frozen=True)
class Settings:
    host: str
    port: int
    # Where browsers reach the assistant's Rasa server (the widget's socket.io connection).
    assistant_url: str
    orders_api_url: str
    orders_api_token: str
    # HS256 with the secret, or RS256 with the private key when set (the action server then
    # has the public key): one of the two is set.
    customer_token_secret: Optional[str]
    customer_token_private_key: Optional[str]
    customer_token_audience: str
    customer_token_minutes: int
    widget_file: Path
    seed_file: Path
    # Signs the shop's own login cookie.
    session_secret: str
    # The assistant's brand profile (BRAND_PROFILE, read by brand/profile.py): the shop's menus
    # and buttons have the names its answers send customers to.
    brand_profile: Path

    @classmethod
    def from_environment(cls) -> "Settings":
        host = os.environ.get("SHOP_HOST", os.environ.get("RASA_HOST", "127.0.0.1"))
        private_key = _pem(os.environ.get("CUSTOMER_TOKEN_PRIVATE_KEY"))
        secret = os.environ.get("CUSTOMER_TOKEN_SECRET") or None
        orders_api_token = os.environ.get("ORDERS_API_TOKEN")
        session_secret = os.environ.get("SHOP_SESSION_SECRET")
        problems = [f"{name} is not set: {meaning}" for name, value, meaning in (
            ("ORDERS_API_TOKEN", orders_api_token, "the token the order backend requires"),
            ("CUSTOMER_TOKEN_SECRET (or CUSTOMER_TOKEN_PRIVATE_KEY)", private_key or secret,
             "the key the shop signs customer tokens with"),
            ("SHOP_SESSION_SECRET", session_secret, "the secret that signs the shop's login cookie"),
        ) if not value]
        if problems:  # all of them at once: one restart to fix them
            raise SettingsError("; ".join(problems))
        return cls(
            host=host,
            port=int(os.environ.get("SHOP_PORT", "8080")),
            assistant_url=os.environ.get(
                "ASSISTANT_PUBLIC_URL", f"http://{host}:{os.environ.get('RASA_PORT', '5005')}").rstrip("/"),
            orders_api_url=os.environ.get("ORDERS_API_URL", "http://127.0.0.1:8000").rstrip("/"),
            orders_api_token=orders_api_token,
            customer_token_secret=secret,
            customer_token_private_key=private_key,
            customer_token_audience=os.environ.get("CUSTOMER_TOKEN_AUDIENCE", CUSTOMER_TOKEN_AUDIENCE),
            customer_token_minutes=int(os.environ.get("CUSTOMER_TOKEN_MINUTES", "60")),
            widget_file=Path(os.environ.get("WIDGET_FILE", ROOT / "web" / "dist" / "support-chat.js")),
            seed_file=ROOT / "backend" / "seed.yml",
            session_secret=session_secret,
            brand_profile=profile_path(),
        )
