"""What happened to a missing package, from the customer's own words.

The help centre helps when a package was misplaced by the carrier, stolen, or given to
the wrong person; this tells which one a message describes (None when it doesn't say).
"""
import re
from typing import Optional

NOT_DELIVERED = "not_delivered"  # marked delivered, or lost by the carrier
STOLEN = "stolen"
WRONG_PERSON = "wrong_person"

# Checked in order: the first that matches wins.
_SIGNS = (
    (STOLEN, r"\bstol(e|en)\b|\btheft\b|\bthie(f|ves)\b|porch pirate|\bnicked\b|\brobbed\b"),
    (WRONG_PERSON, r"wrong (person|address|house|door|flat|apartment|building|name)|\bneighbou?rs?\b|someone else|"
                   r"somebody else|signed (for )?by"),
    (NOT_DELIVERED, r"\bnever (arrived|came|got|received|turned up|showed up)|not (been )?(delivered|arrived|received)|"
                    r"(says|said|shows|showing|marked( as)?) (it was |it's |its )?delivered|\blost\b|misplaced|"
                    r"\bdidn'?t (arrive|come|get|receive)|\bhaven'?t (got|received)|\bmissing\b"),
)


def what_happened(text: Optional[str]) -> Optional[str]:
    lowered = (text or "").lower()
    return next((kind for kind, pattern in _SIGNS if re.search(pattern, lowered)), None)
