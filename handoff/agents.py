"""The reference desk's agents: a YAML file of logins, display names and scrypt password
hashes (HANDOFF_AGENTS_FILE). `python -m handoff.agents add LOGIN "Display Name"` adds one and
prints a generated password; `make run` creates a demo agent the first time."""
import hashlib
import hmac
import secrets
import sys
from pathlib import Path
from typing import Dict, Optional

import yaml

from handoff.settings import agents_file

_SCRYPT = {"n": 2 ** 14, "r": 8, "p": 1}


def password_hash(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, **_SCRYPT)
    return f"scrypt${salt.hex()}${digest.hex()}"


def _matches(password: str, stored: str) -> bool:
    try:
        scheme, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    candidate = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), **_SCRYPT)
    return hmac.compare_digest(candidate.hex(), digest)


def load(path: Path) -> Dict[str, dict]:
    return (yaml.safe_load(path.read_text()) or {}).get("agents", {}) if path.exists() else {}


def authenticate(path: Path, login: str, password: str) -> Optional[str]:
    """The agent's display name when the password is theirs, else None."""
    agent = load(path).get(login)
    if agent is None:
        _matches(password, password_hash("timing"))  # as slow for an unknown login
        return None
    return agent["name"] if _matches(password, agent["password_hash"]) else None


def add(path: Path, login: str, name: str) -> str:
    """Adds (or resets) an agent; returns the generated password."""
    password = secrets.token_urlsafe(12)
    agents = load(path)
    agents[login] = {"name": name, "password_hash": password_hash(password)}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump({"agents": agents}, sort_keys=True))
    path.chmod(0o600)
    return password


def main(argv) -> int:
    if len(argv) != 4 or argv[1] != "add":
        print('usage: python -m handoff.agents add LOGIN "Display Name"', file=sys.stderr)
        return 2
    print(f"{argv[2]}'s password: {add(agents_file(), argv[2], argv[3])}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
