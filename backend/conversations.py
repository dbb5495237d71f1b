"""Who is asking, as the backend keeps it: a hash of the conversation id the assistant sends
(never the id itself, which on messaging channels is the customer's account id). The backend
needs to tell conversations apart, not to know them."""
import hashlib
import math
from datetime import timedelta
from typing import Optional


def source(conversation: Optional[str]) -> str:
    """"" for a caller that sends none."""
    return hashlib.sha256(conversation.encode()).hexdigest() if conversation else ""


def seconds(delta: timedelta) -> int:
    """Whole seconds, rounded up: a wait that is told is never shorter than the real one."""
    return max(1, math.ceil(delta.total_seconds()))
