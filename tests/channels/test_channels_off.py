"""A messaging channel whose variables aren't set is off: its webhook answers 404 naming
them, and the rest of the assistant works (the shared `assistant` has none set)."""
import pytest
import requests

from channel_env import credentials_variables, make_defaults
from tools.services import MESSAGING_VARIABLES

OPTIONAL = {"TELEGRAM_API_URL", "FACEBOOK_API_URL", "SLACK_API_URL", "TWILIO_API_URL"}
CHANNELS = {"telegram": "channels.telegram.TelegramChannel", "facebook": "channels.facebook.FacebookChannel",
            "slack": "channels.slack.SlackChannel", "twilio": "channels.twilio.TwilioSmsChannel",
            "twilio_whatsapp": "channels.twilio.TwilioWhatsAppChannel"}


def test_every_messaging_channel_in_credentials_yml_is_tested_here():
    assert set(credentials_variables()) == set(CHANNELS.values())


def test_every_channel_variable_defaults_to_empty_in_make_and_in_test_assistants():
    """Rasa refuses to start on an unset ${VARIABLE} in credentials.yml."""
    used = {v for variables in credentials_variables().values() for v in variables}
    assert used == set(MESSAGING_VARIABLES)
    defaults = make_defaults(used)
    assert all(f"{variable} ?=" in defaults for variable in used)


@pytest.mark.parametrize("webhook", sorted(CHANNELS))
def test_a_channel_not_configured_answers_404_naming_what_turns_it_on(assistant, webhook):
    required = [v for v in credentials_variables()[CHANNELS[webhook]] if v not in OPTIONAL]
    for method in ("GET", "POST"):
        reply = requests.request(method, f"{assistant.url}/webhooks/{webhook}/webhook", timeout=10,
                                 json={"message": {"text": "hi"}})
        assert reply.status_code == 404
        body = reply.json()
        assert body["error"] == "channel_off" and body["channel"] == webhook
        assert body["variables"] == body["unset"] == required
        assert all(variable in body["message"] for variable in required)


def test_the_rest_channel_stays_on(assistant):
    reply = requests.post(assistant.rest_webhook, json={"sender": "off-test", "message": "hi"}, timeout=60)
    assert reply.status_code == 200 and reply.json()
