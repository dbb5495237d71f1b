"""The settings the channel tests give the assistant, and what they expect back from
domain.yml."""
import os
import re
import subprocess
import uuid
from typing import Any, Collection, Dict, List

import yaml

from brand.profile import load as load_brand
from fake_providers import Recorder
from tools.services import ROOT

TELEGRAM_BOT_NAME = "refurb_support_test_bot"
PUBLIC = "https://support.example.test"  # where the proxy in front of the Rasa server is

# Made-up credentials, in the providers' formats.
SETTINGS = {
    "TELEGRAM_ACCESS_TOKEN": "123456789:AAHtest-token_for-the-fake-Bot-API-1234",
    "TELEGRAM_BOT_NAME": TELEGRAM_BOT_NAME,
    "TELEGRAM_WEBHOOK_URL": f"{PUBLIC}/webhooks/telegram/webhook",
    "TELEGRAM_SECRET_TOKEN": "telegram-secret_" + uuid.uuid4().hex,
    "FACEBOOK_VERIFY_TOKEN": "verify-" + uuid.uuid4().hex,
    "FACEBOOK_APP_SECRET": uuid.uuid4().hex,
    "FACEBOOK_PAGE_ACCESS_TOKEN": "EAAtestpagetoken" + uuid.uuid4().hex,
    "SLACK_BOT_TOKEN": "xoxb-1234-5678-" + uuid.uuid4().hex[:24],
    "SLACK_SIGNING_SECRET": uuid.uuid4().hex,
    "TWILIO_ACCOUNT_SID": "AC" + uuid.uuid4().hex,
    "TWILIO_AUTH_TOKEN": uuid.uuid4().hex,
    "TWILIO_SMS_NUMBER": "+15005550006",
    "TWILIO_SMS_WEBHOOK_URL": f"{PUBLIC}/webhooks/twilio/webhook",
    "TWILIO_WHATSAPP_NUMBER": "+14155238886",
    "TWILIO_WHATSAPP_WEBHOOK_URL": f"{PUBLIC}/webhooks/twilio_whatsapp/webhook",
}


def api_urls(recorder: Recorder) -> Dict[str, str]:
    return {
        "TELEGRAM_API_URL": f"{recorder.url}/telegram",
        "FACEBOOK_API_URL": f"{recorder.url}/facebook/v19.0",
        "SLACK_API_URL": f"{recorder.url}/slack/api/",
        "TWILIO_API_URL": f"{recorder.url}/twilio",
    }


def credentials_variables() -> Dict[str, List[str]]:
    """The ${VARIABLES} each messaging channel reads in credentials.yml, by class path (the
    website's widget and REST need none: they are always on)."""
    sections = yaml.safe_load((ROOT / "credentials.yml").read_text())
    return {name: [variable for value in values.values() for variable in re.findall(r"\$\{(\w+)\}", str(value))]
            for name, values in sections.items()
            if name.startswith("channels.") and not name.startswith(("channels.website.", "channels.rest."))}


def make_defaults(names: Collection[str]) -> List[str]:
    """Those of `names` that make's recipes get empty when the shell sets none, written as a
    default in defaults.mk reads ("NAME ?="): defaults.mk defines them from credentials.yml."""
    env = {name: value for name, value in os.environ.items()
           if name not in names and not name.startswith(("MAKE", "MFLAGS"))}
    recipes = subprocess.run(["make", "-s", "-f", "defaults.mk", "--eval", "environment: ; @env", "environment"],
                             cwd=ROOT, env=env, capture_output=True, text=True, check=True).stdout
    return [f"{line[:-1]} ?=" for line in recipes.splitlines() if line.endswith("=") and line[:-1] in names]


def new_id() -> str:
    return uuid.uuid4().hex[:10]


DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text())
BRAND = load_brand(ROOT / "brand.yml")


def response(name: str, **slots: Any) -> Dict[str, Any]:
    """A response's variation in domain.yml for these slot values, as Rasa picks it: the
    first whose conditions they meet (a slot not given is null), else the first without
    conditions. Has "text", maybe "buttons"."""
    variations = [v for v in DOMAIN["responses"][name] if not v.get("channel")]  # cards are the widget's
    for variation in sorted(variations, key=lambda v: not v.get("condition")):
        if all(slots.get(c["name"]) == c["value"] for c in variation.get("condition", [])):
            return {"text": _unescaped(variation["text"]),
                    **({"buttons": [{"title": _unescaped(b["title"]), "payload": _unescaped(b["payload"])}
                                    for b in variation["buttons"]]} if "buttons" in variation else {})}
    raise KeyError(f"{name} has no variation for {slots}")


def _unescaped(template: str) -> str:
    """As Rasa sends a template without {slot} placeholders: the marketplace's names filled in
    from its brand profile (brand/nlg.py), "{{" and "}}" are braces."""
    for name, value in BRAND.items():
        template = template.replace("{" + name + "}", value)
    return template.replace("{{", "{").replace("}}", "}")


def numbered(text: str, buttons: List[Dict[str, str]]) -> str:
    """The numbered-choices format, as specified: the text, then "1. Title" lines."""
    return "\n".join([text] + [f"{i}. {b['title']}" for i, b in enumerate(buttons, 1)])
