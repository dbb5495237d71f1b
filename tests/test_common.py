"""common/: what every service shares is defined there once, needs nothing but the standard
library (each service keeps its own dependency set), and is what the services use."""
import ast
import re
import sys

import pytest

from actions.settings import Settings as ActionServer
from backend.settings import Settings as Backend
from common.settings import SettingsError
from handoff.settings import Settings as Handoff
from shop.settings import Settings as Shop
from tools.services import ROOT

SERVICES = ("actions", "backend", "brand", "channels", "handoff", "language", "shop", "stores", "tools")


def python_files(*folders: str):
    for folder in folders:
        yield from (path for path in (ROOT / folder).rglob("*.py") if "tests" not in path.relative_to(ROOT).parts)


def test_common_imports_the_standard_library_only():
    for path in python_files("common"):
        tree = ast.parse(path.read_text())
        imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
        imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        outside = {name for name in imported
                   if name.split(".")[0] not in sys.stdlib_module_names and name.split(".")[0] != "common"}
        assert not outside, f"{path.name} imports {outside}"


@pytest.mark.parametrize("copy", [
    r"\d\{8\}",  # the order number's form (common/identifiers.py)
    r"eyJ\[",  # a customer token's
    r"@\[",  # an e-mail address's
    r"hmac\.new\(",  # an HMAC signature (common/signing.py)
    r"class SettingsError",  # the settings' error (common/settings.py)
    r"def _?pem\(",
    r"'none'; sandbox",  # how a return photo is served (common/inert_photos.py)
])
def test_no_service_writes_a_shared_definition_again(copy):
    found = [str(path.relative_to(ROOT)) for path in python_files(*SERVICES) if re.search(copy, path.read_text())]
    assert not found, f"{copy} is written again in {found}"


def test_every_service_says_every_settings_problem_at_once_with_one_error(monkeypatch):
    for name in ("ORDERS_API_TOKEN", "CUSTOMER_TOKEN_SECRET", "CUSTOMER_TOKEN_PUBLIC_KEY", "CUSTOMER_TOKEN_PRIVATE_KEY",
                 "SHOP_SESSION_SECRET", "BACKEND_API_TOKEN", "HANDOFF_API_TOKEN", "RASA_URL", "RASA_API_TOKEN",
                 "TRACKER_DB_URL"):
        monkeypatch.delenv(name, raising=False)
    for name in ("ORDERS_API_TIMEOUT_S", "SHOP_PORT", "BACKEND_PORT", "BACKEND_VERIFICATION_PAUSE_S", "HANDOFF_POLL_S"):
        monkeypatch.setenv(name, "soon")
    expected = {
        ActionServer: ["ORDERS_API_TOKEN", "CUSTOMER_TOKEN_SECRET (or CUSTOMER_TOKEN_PUBLIC_KEY)", "ORDERS_API_TIMEOUT_S"],
        Shop: ["ORDERS_API_TOKEN", "CUSTOMER_TOKEN_SECRET (or CUSTOMER_TOKEN_PRIVATE_KEY)", "SHOP_SESSION_SECRET",
               "SHOP_PORT"],
        Backend: ["BACKEND_API_TOKEN", "BACKEND_PORT", "BACKEND_VERIFICATION_PAUSE_S"],
        Handoff: ["HANDOFF_API_TOKEN", "RASA_URL", "RASA_API_TOKEN", "TRACKER_DB_URL", "HANDOFF_POLL_S",
                  "ORDERS_API_TIMEOUT_S"],
    }
    for service, named in expected.items():
        with pytest.raises(SettingsError) as error:
            service.from_environment()
        assert [problem.split(" is not set")[0].split(" must be ")[0] for problem in error.value.problems] == named
        assert str(error.value) == "; ".join(error.value.problems)
