"""The desk's agents: a YAML file of logins, display names, roles and scrypt password hashes
(HANDOFF_AGENTS_FILE). `python -m handoff.agents add LOGIN "Display Name" [--role lead]` adds
one and prints a generated password; `make run` creates a demo agent and a demo team lead the
first time. A team lead (role `lead`) also sees the insights (/desk/insights)."""
import argparse
import hashlib
import hmac
import secrets
import sys
from pathlib import Path
from typing import Dict, Optional

import yaml

from handoff.settings import agents_file

_SCRYPT = {"n": 2 ** 14, "r": 8, "p": 1}
AGENT, LEAD = "agent", "lead"
ROLES = (AGENT, LEAD)


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


def role(path: Path, login: str) -> str:
    """The agent's role: LEAD only when the file says so (an entry without one is an agent)."""
    return LEAD if load(path).get(login, {}).get("role") == LEAD else AGENT


def add(path: Path, login: str, name: str, role: str = AGENT) -> str:
    """Adds (or resets) an agent; returns the generated password."""
    if role not in ROLES:
        raise ValueError(f"unknown role: {role}")
    password = secrets.token_urlsafe(12)
    agents = load(path)
    agents[login] = {"name": name, "password_hash": password_hash(password)}
    if role != AGENT:  # an entry without a role is an agent, as every entry was before roles
        agents[login]["role"] = role
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump({"agents": agents}, sort_keys=True))
    path.chmod(0o600)
    return password


def main(argv) -> int:
    parser = argparse.ArgumentParser(prog="python -m handoff.agents")
    commands = parser.add_subparsers(dest="command", required=True)
    adding = commands.add_parser("add", help="add an agent (or reset their password); prints the password")
    adding.add_argument("login")
    adding.add_argument("name", help="the name the desk and customers see")
    adding.add_argument("--role", choices=ROLES, default=AGENT, help="lead: also sees the insights")
    arguments = parser.parse_args(argv[1:])
    print(f"{arguments.login}'s password: {add(agents_file(), arguments.login, arguments.name, arguments.role)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
