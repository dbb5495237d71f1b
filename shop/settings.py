"""The demo shop's settings: environment variables, read here only.

Secrets have no defaults: without ORDERS_API_TOKEN, SHOP_SESSION_SECRET, or a key to sign
customer tokens with (CUSTOMER_TOKEN_SECRET or CUSTOMER_TOKEN_PRIVATE_KEY), the shop does not
start and says which variable is missing. `make run` generates development secrets into
var/secrets.env.
"""
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from brand.profile import profile_path
from common.settings import Environment, SettingsError  # SettingsError: what from_environment raises

ROOT = Path(__file__).resolve().parent.parent
CUSTOMER_TOKEN_AUDIENCE = "refurb-support-assistant"


@dataclass(frozen=True)
class Settings:
    host: str
    port: int
    # Where browsers reach the assistant's Rasa server (the widget's socket.io connection).
    assistant_url: str
    orders_api_url: str
    orders_api_token: str
    # Where browsers reach the order backend's signed photo links (the widget uploads the
    # return photos there): the page's policy lets the widget connect to it and show them.
    photos_url: str
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
        env = Environment()  # every problem at once: one restart to fix them
        host = env.get("SHOP_HOST", env.get("RASA_HOST", "127.0.0.1"))
        orders_api_token = env.required("ORDERS_API_TOKEN", "the token the order backend requires")
        private_key, secret = env.key_or_secret("CUSTOMER_TOKEN_PRIVATE_KEY", "CUSTOMER_TOKEN_SECRET",
                                                "the key the shop signs customer tokens with")
        session_secret = env.required("SHOP_SESSION_SECRET", "the secret that signs the shop's login cookie")
        port = env.whole_number("SHOP_PORT", 8080)
        customer_token_minutes = env.whole_number("CUSTOMER_TOKEN_MINUTES", 60)
        env.check()
        orders_api_url = env.get("ORDERS_API_URL", "http://127.0.0.1:8000").rstrip("/")
        return cls(
            host=host,
            port=port,
            assistant_url=env.get("ASSISTANT_PUBLIC_URL", f"http://{host}:{env.get('RASA_PORT', '5005')}").rstrip("/"),
            orders_api_url=orders_api_url,
            orders_api_token=orders_api_token,
            photos_url=env.get("PHOTOS_PUBLIC_URL", orders_api_url).rstrip("/"),
            customer_token_secret=secret,
            customer_token_private_key=private_key,
            customer_token_audience=env.get("CUSTOMER_TOKEN_AUDIENCE", CUSTOMER_TOKEN_AUDIENCE),
            customer_token_minutes=customer_token_minutes,
            widget_file=Path(env.get("WIDGET_FILE", ROOT / "web" / "dist" / "support-chat.js")),
            seed_file=ROOT / "backend" / "seed.yml",
            session_secret=session_secret,
            brand_profile=profile_path(),
        )
