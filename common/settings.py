"""Reading a service's settings from its environment variables, the same way in every service
(actions/, backend/, handoff/ and shop/settings.py, each the only reader of its own).

Every problem is collected before anything is refused, and one SettingsError names them all:
one restart fixes them.

    env = Environment()
    token = env.required("ORDERS_API_TOKEN", "the token the order backend requires")
    port = env.whole_number("SHOP_PORT", 8080)
    env.check()   # raises SettingsError("ORDERS_API_TOKEN is not set: ...; SHOP_PORT must be ...")
"""
import os
from pathlib import Path
from typing import List, Mapping, Optional, Tuple


class SettingsError(ValueError):
    """Settings that are missing or unusable: the service does not start. `problems` has each
    one; the message is all of them, joined by "; "."""

    def __init__(self, *problems: str):
        self.problems = tuple(problems)
        super().__init__("; ".join(self.problems))


def pem(value: Optional[str]) -> Optional[str]:
    """A PEM key given inline or as a file path: the key's text; None when empty."""
    if value and not value.lstrip().startswith("-----BEGIN") and Path(value).is_file():
        return Path(value).read_text()
    return value or None


class Environment:
    """The environment variables, read with every problem kept; `check()` raises one
    SettingsError naming them all. A required setting set to "" is not set; a number set to ""
    is a problem, as any other text that is not a number."""

    def __init__(self, environ: Optional[Mapping[str, str]] = None):
        self.environ = os.environ if environ is None else environ
        self.problems: List[str] = []

    def get(self, name: str, default: Optional[str] = None) -> Optional[str]:
        """The variable as it is set ("" included), or the default when it is not."""
        return self.environ.get(name, default)

    def optional(self, name: str) -> Optional[str]:
        """The variable's value; None when it is not set or empty."""
        return self.environ.get(name) or None

    def required(self, name: str, meaning: str = "") -> str:
        """The variable's value; "" and a problem ("NAME is not set: meaning") without one."""
        value = self.environ.get(name)
        if not value:
            self.problem(f"{name} is not set" + (f": {meaning}" if meaning else ""))
        return value or ""

    def key_or_secret(self, key: str, secret: str, meaning: str) -> Tuple[Optional[str], Optional[str]]:
        """A PEM key (inline or a file: pem()) or a shared secret, one of the two; a problem
        ("SECRET (or KEY) is not set: meaning") with neither."""
        key_text, secret_text = pem(self.optional(key)), self.optional(secret)
        if not (key_text or secret_text):
            self.problem(f"{secret} (or {key}) is not set: {meaning}")
        return key_text, secret_text

    def whole_number(self, name: str, default: Optional[int] = None, minimum: Optional[int] = None) -> Optional[int]:
        """The variable as a whole number (at least `minimum`), or the default when not set."""
        text = self.environ.get(name)
        if text is None:
            return default
        if not text.strip().isdecimal() or (minimum is not None and int(text) < minimum):
            above = f" above {minimum - 1}" if minimum is not None else ""
            self.problem(f"{name} must be a whole number{above}, not {text!r}")
            return default
        return int(text)

    def number(self, name: str, default: Optional[float] = None) -> Optional[float]:
        """The variable as a number ("2.5"), or the default when not set."""
        text = self.environ.get(name)
        if text is None:
            return default
        try:
            return float(text)
        except ValueError:
            self.problem(f"{name} must be a number, not {text!r}")
            return default

    def problem(self, text: str) -> None:
        """One more thing wrong, in words that name the variable."""
        self.problems.append(text)

    def check(self) -> None:
        """Raises SettingsError naming every problem found, if any."""
        if self.problems:
            raise SettingsError(*self.problems)
