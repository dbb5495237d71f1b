"""Which user account a customer must disconnect before returning a device.

The help centre asks for it on all smartphones, tablets, smartwatches and MacBooks; which
account each device has is data, actions/device_accounts.yml.
"""
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

import yaml

SPECIFIC = "specific"  # we know which account to name
NOT_NEEDED = "not_needed"  # a kind of device the rule does not cover
ACCOUNTS_FILE = Path(__file__).with_name("device_accounts.yml")


@lru_cache(maxsize=1)
def _rules() -> dict:
    return yaml.safe_load(ACCOUNTS_FILE.read_text())


@dataclass(frozen=True)
class AccountCheck:
    kind: Optional[str]  # SPECIFIC, NOT_NEEDED, or None when only the general rule applies
    account: Optional[str] = None


def account_check(device: Optional[str]) -> AccountCheck:
    if not device:
        return AccountCheck(None)
    name = device.lower()
    for rule in _rules()["accounts"]:
        if re.search(rule["pattern"], name):
            return AccountCheck(SPECIFIC, rule["account"]) if rule["account"] else AccountCheck(None)
    if re.search(_rules()["not_needed"], name):
        return AccountCheck(NOT_NEEDED)
    return AccountCheck(None)
