"""common/settings.py: every service reads its environment variables the same way, and one
SettingsError names every problem at once (tests/test_secrets.py: each service's own words)."""
import pytest

from common.settings import Environment, SettingsError, pem


def test_every_problem_is_kept_and_named_at_once():
    env = Environment({"PORT": "80a", "TIMEOUT_S": "soon", "EMPTY": "", "LIMIT": "0"})
    assert env.required("TOKEN", "the token callers send") == ""
    assert env.required("EMPTY") == ""
    assert env.whole_number("PORT", 8000) == 8000
    assert env.number("TIMEOUT_S", 3.0) == 3.0
    assert env.whole_number("LIMIT", 5, minimum=1) == 5
    env.problem("BRAND_PROFILE: no such file")
    with pytest.raises(SettingsError) as error:
        env.check()
    assert error.value.problems == (
        "TOKEN is not set: the token callers send", "EMPTY is not set", "PORT must be a whole number, not '80a'",
        "TIMEOUT_S must be a number, not 'soon'", "LIMIT must be a whole number above 0, not '0'",
        "BRAND_PROFILE: no such file")
    assert str(error.value) == "; ".join(error.value.problems)
    assert isinstance(error.value, ValueError)


def test_values_and_defaults():
    env = Environment({"TOKEN": "t0k3n", "PORT": " 8090 ", "POLL_S": "0.5", "EMPTY": "", "HOST": ""})
    assert env.required("TOKEN") == "t0k3n"
    assert env.whole_number("PORT", 80) == 8090 and env.whole_number("UNSET", 80) == 80
    assert env.number("POLL_S", 1.0) == 0.5 and env.number("UNSET", 1.0) == 1.0
    assert env.optional("EMPTY") is None and env.optional("TOKEN") == "t0k3n" and env.optional("UNSET") is None
    assert env.get("HOST", "127.0.0.1") == "" and env.get("UNSET", "127.0.0.1") == "127.0.0.1"
    env.check()  # nothing wrong: no error
    # A number set to "" is a problem, as before (int("") refused it).
    empty = Environment({"PORT": ""})
    empty.whole_number("PORT", 80)
    with pytest.raises(SettingsError, match="PORT must be a whole number, not ''"):
        empty.check()


def test_a_pem_key_is_given_inline_or_as_a_file(tmp_path):
    key = "-----BEGIN PUBLIC KEY-----\nMFkw...\n-----END PUBLIC KEY-----\n"
    path = tmp_path / "public.pem"
    path.write_text(key)
    assert pem(key) == key and pem(str(path)) == key
    assert pem("") is None and pem(None) is None
    assert pem(str(tmp_path / "missing.pem")) == str(tmp_path / "missing.pem")  # then the key check says it's wrong


def test_a_pem_key_or_a_shared_secret_one_of_the_two(tmp_path):
    path = tmp_path / "private.pem"
    path.write_text("-----BEGIN PRIVATE KEY-----\n...\n")
    assert Environment({"KEY": str(path)}).key_or_secret("KEY", "SECRET", "signs tokens") == (path.read_text(), None)
    assert Environment({"SECRET": "s3cr3t", "KEY": ""}).key_or_secret("KEY", "SECRET", "signs tokens") == (None, "s3cr3t")
    neither = Environment({"SECRET": ""})
    assert neither.key_or_secret("KEY", "SECRET", "signs tokens") == (None, None)
    assert neither.problems == ["SECRET (or KEY) is not set: signs tokens"]
