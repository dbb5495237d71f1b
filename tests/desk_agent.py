"""An agent on the reference desk (handoff/), over its JSON API, as the desk's page uses it:
shared by the handoff conversation tests."""
import time

import requests


class DeskAgent:
    """An agent on the reference desk, over its JSON API (what the desk's page calls)."""

    def __init__(self, assistant):
        self.url = assistant.desk_url
        self.session = requests.Session()
        password = assistant.agents_file.with_suffix(".demo-password").read_text().strip()
        login = self.session.post(f"{self.url}/login", data={"login": "maria", "password": password}, timeout=10)
        assert login.ok and self.session.cookies.get("desk_session")

    def handoff_of(self, channel: str) -> dict:
        handoffs = self.session.get(f"{self.url}/api/handoffs", timeout=10).json()
        [handoff] = [h for h in handoffs if h["channel"] == channel and h["status"] in ("waiting", "active")]
        return self.session.get(f"{self.url}/api/handoffs/{handoff['id']}", timeout=10).json()

    def conversation(self, handoff_id: str) -> dict:
        return self.session.get(f"{self.url}/api/handoffs/{handoff_id}", timeout=10).json()

    def wait_for_customer(self, handoff_id: str, text: str, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(m["from"] == "customer" and m["text"] == text for m in self.conversation(handoff_id)["messages"]):
                return
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never reached the agent")

    def reply(self, handoff_id: str, text: str) -> None:
        assert self.session.post(f"{self.url}/api/handoffs/{handoff_id}/reply", json={"text": text}, timeout=10).ok

    def resolve(self, handoff_id: str) -> None:
        assert self.session.post(f"{self.url}/api/handoffs/{handoff_id}/resolve", timeout=10).status_code == 204

    def latest(self) -> dict:
        """The most recent handoff, as the agent opens it."""
        [newest, *_] = sorted(self.session.get(f"{self.url}/api/handoffs", timeout=10).json(),
                              key=lambda h: h["since"], reverse=True)
        return self.conversation(newest["id"])
