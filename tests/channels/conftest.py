"""The messaging channels, end to end over HTTP: a scratch assistant with every channel
configured, whose provider API addresses point at a recorder in this process.

These tests run in the action server's virtualenv, which has no Rasa nor provider SDKs:
they post what the provider would post, signed as the provider signs it, and look at what
the Rasa server then sends to the (fake) provider.
"""
import pytest

from channel_env import SETTINGS, TELEGRAM_BOT_NAME, api_urls
from fake_providers import Recorder
from tools.services import scratch_assistant


@pytest.fixture(scope="session")
def recorder():
    with Recorder(TELEGRAM_BOT_NAME) as running:
        yield running


@pytest.fixture(scope="session")
def messaging(recorder):
    """The assistant with all five messaging channels on, talking to the recorder."""
    with scratch_assistant(extra_env={**SETTINGS, **api_urls(recorder)}) as running:
        yield running
