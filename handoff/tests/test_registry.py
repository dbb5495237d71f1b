"""HANDOFF_TOOL and its variables build the agents' tool, or say what is missing."""
import pytest

from handoff.settings import SettingsError
from handoff.tools.chatwoot import ChatwootTool
from handoff.tools.desk import DeskTool
from handoff.tools.registry import tool_named
from handoff.tools.webhook import WebhookTool
from handoff.tools.zendesk import ZendeskTool

CHATWOOT = {"base_url": "https://chat.example.test", "account_id": "3", "inbox_id": "7", "api_token": "t0k3n",
            "webhook_secret": "s3cr3t", "timeout_s": "2.5"}


def test_the_desk_needs_nothing():
    assert isinstance(tool_named("desk", {}), DeskTool)


def test_each_tool_is_built_from_its_variables_typed_as_its_adapter_wants():
    chatwoot = tool_named("chatwoot", CHATWOOT)
    assert isinstance(chatwoot, ChatwootTool) and chatwoot.name == "chatwoot"
    assert isinstance(tool_named("zendesk", {"base_url": "https://acme.zendesk.com", "email": "bot@acme.test",
                                             "api_token": "t", "webhook_secret": "s"}), ZendeskTool)
    assert isinstance(tool_named("webhook", {"url": "https://tool.example.test/in", "secret": "s"}), WebhookTool)


def test_a_missing_variable_is_named():
    with pytest.raises(SettingsError, match="CHATWOOT_API_TOKEN"):
        tool_named("chatwoot", {k: v for k, v in CHATWOOT.items() if k != "api_token"})
    with pytest.raises(SettingsError, match="HANDOFF_WEBHOOK_SECRET"):
        tool_named("webhook", {"url": "https://tool.example.test/in"})


def test_an_empty_secret_or_an_unknown_tool_is_refused():
    with pytest.raises(SettingsError, match="webhook"):
        tool_named("webhook", {"url": "https://tool.example.test/in", "secret": ""})
    with pytest.raises(SettingsError, match="choose one of chatwoot, desk, webhook, zendesk"):
        tool_named("freshdesk", {})
