"""The one way into the handoff service (handoff/): open a handoff, store a rating. HTTP with
`requests`, one error type."""
from dataclasses import dataclass
from typing import Any, Dict

import requests


class HandoffError(Exception):
    """The handoff service could not take the conversation (down, slow, or refused)."""


@dataclass(frozen=True)
class Opened:
    handoff_id: str
    waiting_ahead: int  # customers waiting for a person before this one


class HandoffClient:
    def __init__(self, url: str, token: str, timeout_s: float = 5):
        self.url = url.rstrip("/")
        self.timeout_s = timeout_s
        self._session = requests.Session()
        self._session.headers["Authorization"] = f"Bearer {token}"

    def _post(self, path: str, body: Dict[str, Any]) -> requests.Response:
        # No retry: opening twice would queue the customer twice; the customer can ask again.
        try:
            response = self._session.post(f"{self.url}{path}", json=body, timeout=self.timeout_s)
        except requests.RequestException as error:
            raise HandoffError(f"handoff service unreachable: {type(error).__name__}") from None
        if response.status_code >= 300:
            raise HandoffError(f"handoff service answered {response.status_code}")
        return response

    def open(self, ticket: Dict[str, Any]) -> Opened:
        reply = self._post("/handoffs", ticket).json()
        return Opened(reply["id"], int(reply.get("waiting_ahead", 0)))

    def rate(self, handoff_id: str, solved: bool) -> None:
        self._post(f"/handoffs/{handoff_id}/rating", {"solved": solved})
