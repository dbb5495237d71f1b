"""What happened to a missing package, from the customer's own words.

The help centre helps when a package was misplaced by the carrier, stolen, or given to
the wrong person; this tells which one a message describes (None when it doesn't say), in
any language: the patterns are data, actions/replies.yml and locale/<code>/replies.yml.
"""
from typing import Optional

from actions.replies import first_described

NOT_DELIVERED = "not_delivered"  # marked delivered, or lost by the carrier
STOLEN = "stolen"
WRONG_PERSON = "wrong_person"


def what_happened(text: Optional[str]) -> Optional[str]:
    """Checked in this order: the first that matches wins. A button's payload ("/missing_package")
    describes nothing."""
    if (text or "").startswith("/"):
        return None
    return first_described((STOLEN, WRONG_PERSON, NOT_DELIVERED), text)
