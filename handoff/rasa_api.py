"""Rasa's HTTP API, as the handoff service uses it: an agent's message (or the service's own
acknowledgement) to the customer on the channel they last wrote from, and the conversation
handed back to the assistant.

Rasa runs with --enable-api and --auth-token; the token goes in the `token` query parameter,
as Rasa expects. One error type, RasaError, for every failure. The slots, values, response
and metadata it uses are the assistant's contract (handoff/assistant_contract.py).
"""
from typing import Any, Dict, List, Optional
from urllib.parse import quote

import httpx

from handoff.assistant_contract import AGENT_KEY, HANDED_BACK, HANDOFF_AGENT, HANDOFF_OUTCOME, HANDOFF_STATE, NOTICE_KEY


class RasaError(Exception):
    """Rasa could not be reached or refused; `retry` says whether trying again may help (a
    request Rasa finds malformed will never pass, and is marked failed for agents to see)."""

    def __init__(self, message: str, retry: bool = True):
        super().__init__(message)
        self.retry = retry


class RasaApi:
    def __init__(self, url: str, token: str, timeout_s: float = 5, client: Optional[httpx.Client] = None):
        self.url = url.rstrip("/")
        self._token = token
        self._client = client or httpx.Client(timeout=timeout_s)

    def _post(self, path: str, body: Any, **params: str) -> None:
        try:
            response = self._client.post(f"{self.url}{path}", json=body, params={"token": self._token, **params})
        except httpx.HTTPError as error:
            raise RasaError(f"Rasa unreachable: {type(error).__name__}") from None
        if response.status_code >= 300:
            # Not the path: it holds the conversation id (a phone number, on SMS).
            raise RasaError(f"Rasa answered {response.status_code} to {path.rsplit('/', 1)[-1]}",
                            retry=response.status_code not in (400, 404, 409, 422))

    def _events(self, conversation_id: str, events: List[Dict[str, Any]]) -> None:
        # execute_side_effects: bot messages among the events are sent to the output channel,
        # "latest": the channel the customer last wrote from (the website's socket.io room,
        # Telegram, ...).
        self._post(f"/conversations/{_path(conversation_id)}/tracker/events", events,
                   output_channel="latest", execute_side_effects="true")

    def agent_says(self, conversation_id: str, text: str, agent_name: Optional[str]) -> None:
        self._events(conversation_id, [{"event": "bot", "text": text,
                                        "metadata": {AGENT_KEY: {"name": agent_name or "Support"}}}])

    def notify(self, conversation_id: str, text: str) -> None:
        """The service's own message to the customer, said as the assistant (no agent's name)."""
        self._events(conversation_id, [{"event": "bot", "text": text, "metadata": {NOTICE_KEY: True}}])

    def hand_back(self, conversation_id: str, outcome: str, agent_name: Optional[str]) -> None:
        """Resumes the assistant (ConversationResumed) and has it say so: utter_handoff_back
        asks whether the problem was solved. `outcome`: RESOLVED or GIVEN_BACK. Then call listen()."""
        self._events(conversation_id, [
            {"event": "resume"},
            {"event": "slot", "name": HANDOFF_OUTCOME, "value": outcome},
            {"event": "slot", "name": HANDOFF_AGENT, "value": agent_name or "Our support team"},
            {"event": "slot", "name": HANDOFF_STATE, "value": None},
        ])
        self._post(f"/conversations/{_path(conversation_id)}/execute", {"name": HANDED_BACK},
                   output_channel="latest")

    def listen(self, conversation_id: str) -> None:
        """Marks the assistant as waiting for the customer, as after any turn of its own: the
        rules read the reply to utter_handoff_back (the rating) only after action_listen."""
        self._events(conversation_id, [{"event": "action", "name": "action_listen"}])


def _path(conversation_id: str) -> str:
    # Rasa's server (Sanic's router) doesn't decode its path's %-escapes: a WhatsApp sender
    # "whatsapp:+15551234567" sent as "whatsapp%3A%2B15551234567" would name another, empty,
    # conversation. Only what a path can't hold is escaped; ":", "+", "@" and "/" (the route
    # takes a path) go as they are.
    return quote(conversation_id, safe="/:@+!$&'()*,;=")
