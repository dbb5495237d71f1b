"""The agents' tool HANDOFF_TOOL names, built from its settings (handoff/settings.py: the
variables with the tool's prefix, e.g. CHATWOOT_BASE_URL -> base_url)."""
import inspect
from typing import Dict

from handoff.settings import TOOL_PREFIXES, SettingsError
from handoff.tools.base import AgentTool
from handoff.tools.chatwoot import ChatwootTool
from handoff.tools.desk import DeskTool
from handoff.tools.webhook import WebhookTool
from handoff.tools.zendesk import ZendeskTool

TOOLS: Dict[str, type] = {"desk": DeskTool, "chatwoot": ChatwootTool, "zendesk": ZendeskTool, "webhook": WebhookTool}


def tool_named(name: str, settings: Dict[str, str]) -> AgentTool:
    if name not in TOOLS:
        raise SettingsError(f"HANDOFF_TOOL={name!r}: choose one of {', '.join(sorted(TOOLS))}")
    parameters = inspect.signature(TOOLS[name]).parameters
    missing = [p for p, spec in parameters.items() if spec.default is inspect.Parameter.empty
               and p not in settings and spec.kind is spec.POSITIONAL_OR_KEYWORD]
    if missing:
        raise SettingsError(f"{name} needs {', '.join(TOOL_PREFIXES[name] + m.upper() for m in missing)}")
    known = {}
    for key, value in settings.items():
        if key in parameters and key != "client":
            kind = parameters[key].annotation
            try:
                known[key] = kind(value) if kind in (int, float) else value
            except ValueError:
                raise SettingsError(f"{TOOL_PREFIXES[name]}{key.upper()} must be a "
                                    f"{'whole number' if kind is int else 'number'}, not {value!r}") from None
    try:
        return TOOLS[name](**known)
    except ValueError as error:
        raise SettingsError(f"{name}: {error}") from None
