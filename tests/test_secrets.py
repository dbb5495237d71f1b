"""Secrets fail closed: no service has a default for one, each refuses to start without its
own and says which variable is missing, and `make run` generates development ones once into
var/secrets.env instead."""
import stat
from pathlib import Path

import pytest

from actions.settings import Settings, SettingsError
from tools.run import say_which_secrets_are_for_development
from tools.services import (
    ACTIONS_VENV, Secrets, Service, ServiceError, backend_service, development_secrets, free_port, shop_service,
)


def refusal(service: Service) -> str:
    """The log of a service that must not start: it exits with status 2 before listening."""
    service.start()
    try:
        with pytest.raises(ServiceError, match="exited with 2") as error:
            service.wait_ready(60)
    finally:
        service.stop()
    return str(error.value)


def action_server(log_dir: Path, **env: str) -> Service:
    """The action server as `make run` starts it, with `env` over the test process's settings."""
    port = free_port()
    return Service("action server", [str(ACTIONS_VENV / "bin" / "python"), "-m", "rasa_sdk", "--actions", "actions",
                                     "--port", str(port), "--logging-config_file", "logging.yml"],
                   f"http://127.0.0.1:{port}/health", log_dir / "actions.log", {"SANIC_HOST": "127.0.0.1", **env})


@pytest.mark.parametrize("unset, named", [
    ({"CUSTOMER_TOKEN_SECRET": "", "CUSTOMER_TOKEN_PUBLIC_KEY": ""}, "CUSTOMER_TOKEN_SECRET (or CUSTOMER_TOKEN_PUBLIC_KEY) is not set"),
    ({"ORDERS_API_TOKEN": ""}, "ORDERS_API_TOKEN is not set"),
    ({"CUSTOMER_TOKEN_SECRET": "too-short-to-be-safe"}, "CUSTOMER_TOKEN_SECRET is too short"),
])
def test_the_action_server_refuses_to_start_without_its_secrets(tmp_path, unset, named):
    log = refusal(action_server(tmp_path, **unset))
    assert f"CRITICAL actions.settings - The action server can't start: {named}" in log
    assert "Action endpoint is up and running" not in log


def test_every_missing_secret_is_named_at_once(monkeypatch):
    for name in ("ORDERS_API_TOKEN", "CUSTOMER_TOKEN_SECRET", "CUSTOMER_TOKEN_PUBLIC_KEY"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(SettingsError) as error:
        Settings.from_environment()
    assert str(error.value) == ("ORDERS_API_TOKEN is not set: the token the order backend requires; "
                                "CUSTOMER_TOKEN_SECRET (or CUSTOMER_TOKEN_PUBLIC_KEY) is not set: "
                                "the key that checks the website's customer tokens")


def test_the_order_backend_refuses_to_start_without_its_token(tmp_path):
    log = refusal(backend_service(free_port(), tmp_path / "backend.db", tmp_path, token=""))
    assert "The order backend can't start: BACKEND_API_TOKEN is not set" in log
    assert not (tmp_path / "backend.db").exists()  # nothing done before the check


@pytest.mark.parametrize("unset, named", [
    ({"ORDERS_API_TOKEN": ""}, "ORDERS_API_TOKEN is not set"),
    ({"SHOP_SESSION_SECRET": ""}, "SHOP_SESSION_SECRET is not set"),
    ({"CUSTOMER_TOKEN_SECRET": "", "CUSTOMER_TOKEN_PRIVATE_KEY": ""},
     "CUSTOMER_TOKEN_SECRET (or CUSTOMER_TOKEN_PRIVATE_KEY) is not set"),
])
def test_the_demo_shop_refuses_to_start_without_its_secrets(tmp_path, unset, named):
    shop = shop_service(free_port(), "127.0.0.1", "http://127.0.0.1:9", "http://127.0.0.1:9", Secrets.random(),
                        tmp_path)
    shop.env.update(unset)
    assert f"The demo shop can't start: {named}" in refusal(shop)


def test_make_run_generates_development_secrets_once_and_keeps_them_private(tmp_path):
    path = tmp_path / "var" / "secrets.env"
    first, generated, stored = development_secrets(path, environ={})
    assert generated == ["ORDERS_API_TOKEN", "CUSTOMER_TOKEN_SECRET", "SHOP_SESSION_SECRET"] and stored == []
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len({first.orders_api_token, first.customer_token_secret, first.shop_session_secret}) == 3
    assert all(len(value) >= 32 for value in vars(first).values())

    again, generated, stored = development_secrets(path, environ={})
    assert again == first and generated == [] and len(stored) == 3


def test_secrets_set_in_the_environment_win_and_are_never_written(tmp_path):
    path = tmp_path / "secrets.env"
    own = "an-operators-own-token-0123456789abcdefgh"
    secrets, generated, _ = development_secrets(path, environ={"ORDERS_API_TOKEN": own})
    assert secrets.orders_api_token == own and "ORDERS_API_TOKEN" not in generated
    assert own not in path.read_text()


def test_with_the_websites_rs256_key_no_shared_secret_is_made_up(tmp_path):
    secrets, generated, _ = development_secrets(tmp_path / "secrets.env",
                                                environ={"CUSTOMER_TOKEN_PUBLIC_KEY": "/etc/site/public.pem"})
    assert secrets.customer_token_secret is None and "CUSTOMER_TOKEN_SECRET" not in generated
    # the key variables stay the environment's
    assert "CUSTOMER_TOKEN_PUBLIC_KEY" not in secrets.environment()


def test_a_secret_missing_from_an_older_file_is_added_and_the_others_kept(tmp_path):
    path = tmp_path / "secrets.env"
    path.write_text("# by hand\nORDERS_API_TOKEN=kept-from-before-0123456789abcdefghijk\n")
    secrets, generated, stored = development_secrets(path, environ={})
    assert secrets.orders_api_token == "kept-from-before-0123456789abcdefghijk" and stored == ["ORDERS_API_TOKEN"]
    assert generated == ["CUSTOMER_TOKEN_SECRET", "SHOP_SESSION_SECRET"]
    assert development_secrets(path, environ={})[0] == secrets


def test_make_run_says_when_development_secrets_are_in_use(capsys):
    say_which_secrets_are_for_development(["ORDERS_API_TOKEN", "SHOP_SESSION_SECRET"], [])
    say_which_secrets_are_for_development([], ["CUSTOMER_TOKEN_SECRET"])
    first, second = capsys.readouterr().out.splitlines()
    assert first.startswith("Generated development secrets for ORDERS_API_TOKEN, SHOP_SESSION_SECRET "
                            "into var/secrets.env (readable by you only)")
    assert second.startswith("Using the development secrets of var/secrets.env for CUSTOMER_TOKEN_SECRET")
    assert "set your own anywhere else" in first and "set your own anywhere else" in second
