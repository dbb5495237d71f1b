"""Which user account a customer must disconnect before returning a device.

The help centre asks for it on all smartphones, tablets, smartwatches and MacBooks.
"""
import re
from dataclasses import dataclass
from typing import Optional

SPECIFIC = "specific"  # we know which account to name
NOT_NEEDED = "not_needed"  # a kind of device the rule does not cover

# First match wins: product lines before generic kinds. (pattern, account or None)
_RULES = (
    (r"iphone|ipad|apple watch|macbook", "Apple ID"),
    (r"galaxy", "Samsung account and Google account"),
    (r"pixel|oneplus|xiaomi|redmi|huawei|oppo|motorola", "Google account"),
    (r"\b(phone|smartphone|mobile|cell ?phone|tablet|smartwatch|watch)s?\b", None),  # needed, but we can't tell which account
)
_NOT_NEEDED = r"laptop|notebook|computer|desktop|chromebook|imac|mac mini|surface|thinkpad|tv|television|console|playstation|ps\d|xbox|switch|headphones|earbuds|airpods|camera|gopro|reader|kindle|monitor|speaker|machine|fridge|vacuum|dyson|ipod"


@dataclass(frozen=True)
class AccountCheck:
    kind: Optional[str]  # SPECIFIC, NOT_NEEDED, or None when only the general rule applies
    account: Optional[str] = None


def account_check(device: Optional[str]) -> AccountCheck:
    if not device:
        return AccountCheck(None)
    name = device.lower()
    for pattern, account in _RULES:
        if re.search(pattern, name):
            return AccountCheck(SPECIFIC, account) if account else AccountCheck(None)
    if re.search(_NOT_NEEDED, name):
        return AccountCheck(NOT_NEEDED)
    return AccountCheck(None)
