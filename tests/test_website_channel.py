"""The website chat channel (channels/website.py) at the socket.io protocol level, and typed
answers to buttons on any channel (language/numbered_choice_resolver.py)."""
import json
import re

import pytest
import requests
import yaml

from brand.profile import read as brand_profile
from tools.services import ROOT

pytestmark = pytest.mark.e2e
LIMITS = yaml.safe_load((ROOT / "channels" / "limits.yml").read_text())


class PollingSocket:
    """A minimal socket.io client over HTTP long-polling (engine.io 4), enough to speak to
    the channel as a browser page from `origin` would."""

    def __init__(self, server: str, origin: str):
        self.url = f"{server}/socket.io/"
        self.http = requests.Session()
        self.http.headers["Origin"] = origin
        opened = self.http.get(self.url, params={"EIO": 4, "transport": "polling"}, timeout=10)
        self.status = opened.status_code
        self.waiting = []
        if opened.ok:
            self.sid = json.loads(opened.text[1:])["sid"]
            self.send("40")  # join the default namespace
            assert self.receive()[0].startswith("40")

    def send(self, packet: str) -> None:
        self.http.post(self.url, params={"EIO": 4, "transport": "polling", "sid": self.sid},
                       data=packet, timeout=10).raise_for_status()

    def receive(self):
        reply = self.http.get(self.url, params={"EIO": 4, "transport": "polling", "sid": self.sid}, timeout=30)
        return [packet for packet in reply.text.split("\x1e") if packet != "2"]  # skip pings

    def emit(self, event: str, data) -> None:
        self.send("42" + json.dumps([event, data]))

    def next_event(self):
        # One poll can bring several events: the ones not returned yet wait their turn.
        while not self.waiting:
            self.waiting.extend(json.loads(packet[2:]) for packet in self.receive() if packet.startswith("42"))
        return self.waiting.pop(0)


def test_the_shops_pages_may_connect_and_other_sites_may_not(assistant):
    assert PollingSocket(assistant.url, assistant.shop_url).status == 200
    assert PollingSocket(assistant.url, "https://evil.example").status == 400


def test_a_page_cannot_choose_a_guessable_session_id(assistant):
    socket = PollingSocket(assistant.url, assistant.shop_url)
    socket.emit("session_request", {"session_id": "cus_ana"})
    event, session_id = socket.next_event()
    assert event == "session_confirm"
    assert re.fullmatch(r"[0-9a-f]{32}", session_id)


def test_replies_reach_a_persistent_session_after_the_brands_welcome(assistant):
    # Rasa 3.6 with python-socketio 5.10+ sends them nowhere (enter_room not awaited); the
    # widget's browser tests (tests/browser/) show the same across page reloads.
    credentials = yaml.safe_load((ROOT / "credentials.yml").read_text())
    assert credentials["channels.website.WebsiteChatInput"]["session_persistence"] is True
    socket = PollingSocket(assistant.url, assistant.shop_url)
    session_id = "0123456789abcdef0123456789abcdef"
    socket.emit("session_request", {"session_id": session_id})
    assert socket.next_event() == ["session_confirm", session_id]
    event, welcome = socket.next_event()
    assert event == "welcome" and brand_profile(ROOT / "brand.yml").welcome.items() <= welcome.items()
    socket.emit("user_uttered", {"message": "hello", "session_id": session_id, "customData": {}})
    event, answer = socket.next_event()
    assert event == "bot_uttered" and answer["text"]


def test_the_welcome_tells_the_widget_how_long_a_message_the_server_reads(assistant):
    socket = PollingSocket(assistant.url, assistant.shop_url)
    socket.emit("session_request", {})
    assert socket.next_event()[0] == "session_confirm"
    event, welcome = socket.next_event()
    assert event == "welcome" and welcome["max_message_characters"] == LIMITS["max_message_characters"]


def test_until_then_the_widget_counts_to_the_servers_limit():
    widget = (ROOT / "web" / "src" / "widget.js").read_text()
    default = re.search(r"maxMessageCharacters: (\d+)", widget)
    assert default and int(default.group(1)) == LIMITS["max_message_characters"]


def test_typing_a_buttons_number_or_title_answers_it(chat):
    steps = yaml.safe_load((ROOT / "domain.yml").read_text())["responses"]["utter_checklist_step"]
    step_2 = next(v["text"] for v in steps if v.get("text", "").startswith("Step 2 of"))
    offered = chat.say("what do I need to do before sending my phone back?")
    assert [b["title"] for b in offered[-1]["buttons"]][0] == "Next step"
    assert step_2 in chat.text("1")
    assert "Step 3 of" in chat.text("next step")
