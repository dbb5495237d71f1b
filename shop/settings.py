"""The demo shop's settings: environment variables, read here only, with laptop defaults."""
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parent.parent
# Match actions/settings.py (the action server verifies what the shop signs).
DEVELOPMENT_CUSTOMER_TOKEN_SECRET = "dev-only-customer-token-secret-change-me"
CUSTOMER_TOKEN_AUDIENCE = "refurb-support-assistant"
DEVELOPMENT_ORDERS_API_TOKEN = "dev-only-token-change-me"


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
    customer_token_secret: str
    # RS256 instead of HS256 when set (the action server then has the public key).
    customer_token_private_key: Optional[str]
    customer_token_audience: str
    customer_token_minutes: int
    widget_file: Path
    seed_file: Path
    # Signs the shop's own login cookie.
    session_secret: str

    @classmethod
    def from_environment(cls) -> "Settings":
        host = os.environ.get("SHOP_HOST", os.environ.get("RASA_HOST", "127.0.0.1"))
        return cls(
            host=host,
            port=int(os.environ.get("SHOP_PORT", "8080")),
            assistant_url=os.environ.get(
                "ASSISTANT_PUBLIC_URL", f"http://{host}:{os.environ.get('RASA_PORT', '5005')}").rstrip("/"),
            orders_api_url=os.environ.get("ORDERS_API_URL", "http://127.0.0.1:8000").rstrip("/"),
            orders_api_token=os.environ.get("ORDERS_API_TOKEN", DEVELOPMENT_ORDERS_API_TOKEN),
            customer_token_secret=os.environ.get("CUSTOMER_TOKEN_SECRET") or DEVELOPMENT_CUSTOMER_TOKEN_SECRET,
            customer_token_private_key=_pem(os.environ.get("CUSTOMER_TOKEN_PRIVATE_KEY")),
            customer_token_audience=os.environ.get("CUSTOMER_TOKEN_AUDIENCE", CUSTOMER_TOKEN_AUDIENCE),
            customer_token_minutes=int(os.environ.get("CUSTOMER_TOKEN_MINUTES", "60")),
            widget_file=Path(os.environ.get("WIDGET_FILE", ROOT / "web" / "dist" / "support-chat.js")),
            seed_file=ROOT / "backend" / "seed.yml",
            session_secret=os.environ.get("SHOP_SESSION_SECRET") or "dev-only-shop-session-secret-change-me",
        )
