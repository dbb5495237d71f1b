"""Handing a conversation to a person: why, what the agent needs to know, and what the
customer is told about the wait.

Plain Python (no Rasa imports). The reasons and the summary's wording are data,
actions/handoff.yml; support's hours, its holidays calendar and the typical wait are the
marketplace's, from its brand profile (brand.yml).
"""
import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple
from zoneinfo import ZoneInfo

import yaml

from actions.business_calendar import BusinessCalendar
from actions.date_wording import DateWording, Reader
from actions.identity import mask_email
from actions.settings import SETTINGS
from actions.situations import Situation
from brand.profile import DAYS, Support
from common.identifiers import EMAIL, ORDER_NUMBER, TOKEN
from language.languages import wording_files

CONFIG_FILE = Path(__file__).with_name("handoff.yml")  # English; the others in locale/<code>/handoff.yml

# Reason codes (actions/handoff.yml says them in words).
CUSTOMER_ASKED = "customer_asked"
MISSING_PACKAGE = "missing_package"
LABEL_EXPIRED = "label_expired"
IDENTITY_LOCKED = "identity_locked"
IDENTITY_PAUSED = "identity_paused"  # many failed checks of the order, perhaps by someone else
BACKEND_DOWN = "backend_down"
MISUNDERSTOOD = "misunderstood"

# Who the customer is, for the agent.
LOGGED_IN, VERIFIED, ANONYMOUS = "logged_in", "verified", "anonymous"

# Situations the order conversation was in that are reasons of their own.
_SITUATION_REASONS = {Situation.VERIFICATION_LOCKED: IDENTITY_LOCKED, Situation.VERIFICATION_PAUSED: IDENTITY_PAUSED,
                      Situation.ORDER_SYSTEM_DOWN: BACKEND_DOWN, Situation.LABEL_EXPIRED: LABEL_EXPIRED}
_IDENTIFIERS = re.compile(f"{ORDER_NUMBER.pattern}|{EMAIL.pattern}")


@lru_cache(maxsize=1)
def config() -> Dict[str, Any]:
    """The agents' words, in support's language (SUPPORT_LANGUAGE)."""
    path = wording_files(CONFIG_FILE, "handoff.yml").get(SETTINGS.support_language, CONFIG_FILE)
    return yaml.safe_load((path if path.exists() else CONFIG_FILE).read_text())


def reason_for(order_situation: Optional[str], missing_package: bool, misunderstood_in_a_row: int) -> str:
    """Why the conversation goes to a person, from where it stood when the customer accepted
    (or asked): what the assistant last said about the order, a missing package being dealt
    with, or misunderstandings; else simply because they asked."""
    if order_situation in _SITUATION_REASONS:
        return _SITUATION_REASONS[order_situation]
    if missing_package:
        return MISSING_PACKAGE
    if misunderstood_in_a_row >= 2:
        return MISUNDERSTOOD
    return CUSTOMER_ASKED


def reason_text(reason: str) -> str:
    return config()["reasons"][reason]


# ---- Support's hours -------------------------------------------------------------------

@dataclass(frozen=True)
class Availability:
    open: bool  # a person answers now
    back_at: Optional[datetime]  # when closed: when the team is back (support's time zone)


class SupportHours:
    """When support answers: opening hours per weekday, closed on public holidays."""

    def __init__(self, hours: Dict[str, str], timezone: str, country: str, expected_wait_minutes: int = 5):
        self.zone = ZoneInfo(timezone)
        self.expected_wait_minutes = expected_wait_minutes
        self.calendar = BusinessCalendar(country)
        self.hours: Dict[int, Tuple[time, time]] = {}
        for name, span in hours.items():
            start, end = (time.fromisoformat(part.strip()) for part in span.split("-"))
            self.hours[DAYS.index(name.lower())] = (start, end)

    @classmethod
    def of(cls, support: Support) -> "SupportHours":
        return cls(support.hours, support.timezone, support.holidays, support.expected_wait_minutes)

    def _span(self, day) -> Optional[Tuple[datetime, datetime]]:
        hours = self.hours.get(day.weekday())
        if hours is None or self.calendar.holiday(day) is not None:
            return None
        return (datetime.combine(day, hours[0], self.zone), datetime.combine(day, hours[1], self.zone))

    def availability(self, now: datetime) -> Availability:
        local = now.astimezone(self.zone)
        for offset in range(0, 15):  # two weeks cover any run of closed days
            span = self._span(local.date() + timedelta(days=offset))
            if span is None or span[1] <= local:
                continue
            if span[0] <= local:
                return Availability(True, None)
            return Availability(False, span[0])
        return Availability(False, None)


# What the customer is told (handoff_state in domain.yml).
OPEN, CLOSED = "open", "closed"


@dataclass(frozen=True)
class Wait:
    state: str  # OPEN: a person answers in about `minutes`; CLOSED: the team is back `back_when`
    minutes: Optional[int] = None
    back_when: Optional[str] = None  # "tomorrow at 09:00 Paris time", on the customer's clock


def wait_for(now: datetime, hours: SupportHours, waiting_ahead: int, reader: Optional[Reader] = None) -> Wait:
    """What the customer is told about the wait: inside support's hours, about how long
    (the typical wait for each customer ahead, and theirs); outside, when the team is back,
    on the reader's clock (their browser's), its zone named when support's differs; without
    a reader, on support's clock, named."""
    available = hours.availability(now)
    if available.open:
        return Wait(OPEN, minutes=hours.expected_wait_minutes * (waiting_ahead + 1))
    zone = str(hours.zone)
    words = (DateWording.for_reader(now, reader, business_timezone=zone) if reader
             else DateWording(now, zone, name_zone=True))
    return Wait(CLOSED, back_when=words.when(available.back_at) if available.back_at else None)


# ---- What the agent reads -------------------------------------------------------------------

@dataclass(frozen=True)
class Who:
    status: str  # LOGGED_IN, VERIFIED or ANONYMOUS
    customer_id: Optional[str] = None
    verified_order: Optional[str] = None
    name: Optional[str] = None  # a logged-in customer's full name, for the agent only


def customer_of(customer_id: Optional[str], verified_order: Optional[str], name: Optional[str] = None) -> Who:
    if customer_id:
        return Who(LOGGED_IN, customer_id=customer_id, name=name)
    if verified_order:
        return Who(VERIFIED, verified_order=verified_order)
    return Who(ANONYMOUS)


def redacted_line(text: str, who: Who, known_orders: Sequence[str] = ()) -> str:
    """A transcript line as the agent may read it. The privacy rules: nothing the customer
    hasn't proved is theirs. Order numbers show only when they are the verified order or the
    logged-in customer's; e-mail addresses are masked (a***@example.com), or hidden for a
    customer who proved nothing; tokens never show."""
    shown = set(known_orders) | ({who.verified_order} if who.verified_order else set())

    def hide(match: "re.Match") -> str:
        value = match.group(0)
        if "@" in value:
            return "[email]" if who.status == ANONYMOUS else mask_email(value)
        return value if value in shown else "[order]"

    return _IDENTIFIERS.sub(hide, TOKEN.sub("[token]", text))


def _words(code: str) -> str:
    return code.replace("_", " ")


def topic_names(intents: Sequence[str]) -> List[str]:
    """The topics asked about, in words, each once, in the order first asked."""
    names = config()["topics"]
    return list(dict.fromkeys(names.get(intent) or _words(intent) for intent in intents))


def _order_state(order: Dict[str, Any]) -> Optional[str]:
    # Only where the order stood: the slot also holds where the conversation stood ("ask_order_id").
    return config()["order_states"].get(order.get("situation") or "")


def _customer(who: Who) -> str:
    words = config()["customer"]
    if who.status == LOGGED_IN:
        return words["logged_in"].format(name=who.name) if who.name else words["logged_in_no_name"]
    if who.status == VERIFIED:
        return words["verified"].format(order_id=who.verified_order)
    return words["anonymous"]


def summary(reason: str, who: Who, order: Optional[Dict[str, Any]], topics: Sequence[str],
            language: Optional[str] = None) -> str:
    """The paragraph at the top of the agent's view: who, in which language, why, the order,
    the topics. (The customer's latest message is the desk's to show: they may write more.)"""
    words = config()["summary"]
    parts = [f"{_customer(who)}."]
    if language:
        parts.append(words["language"].format(language=language_name(language)))
    parts.append(f"{reason_text(reason)}.")
    if order and order.get("number"):
        item, state = order.get("item") or config()["details"]["unknown_item"], _order_state(order)
        parts.append(words["order"].format(order_id=order["number"], order_item=item, order_state=state) if state
                     else words["order_no_state"].format(order_id=order["number"], order_item=item))
    if topics:
        parts.append(words["topics"].format(topics=", ".join(topic_names(topics))))
    return " ".join(parts)


def language_name(code: str) -> str:
    """A language's name as support reads it ("French", "français")."""
    return config()["languages"].get(code, code)


def details(who: Who, order: Optional[Dict[str, Any]], language: Optional[str] = None) -> List[Tuple[str, str]]:
    """The facts under the summary, each a label and its value in words: who the customer is,
    what they proved, their language, the order and what the assistant computed about it."""
    words, labels = config()["details"], config()["order_facts"]
    proved = {LOGGED_IN: words["proved_logged_in"], ANONYMOUS: words["proved_nothing"],
              VERIFIED: words["proved_verified"].format(order_id=who.verified_order)}[who.status]
    facts = [(words["customer"], who.name if who.status == LOGGED_IN and who.name else words["guest"]),
             (words["proved"], proved)]
    if language:
        facts.append((words["language"], language_name(language)))
    if not (order and order.get("number")):
        return facts
    facts.append((words["order"], words["order_value"].format(order_id=order["number"],
                                                               order_item=order.get("item") or words["unknown_item"])))
    state = _order_state(order)
    if state:
        facts.append((words["state"], state))
    facts += [(label, str(order[name])) for name, label in labels.items() if order.get(name) not in (None, "")]
    return facts


def tapped(payload: str, offered: Iterable[Dict[str, Any]], intent: Optional[str]) -> str:
    """What a customer who tapped a button read on it: the title of the button with this payload
    among those offered (the latest first), else their intent in words."""
    title = next((b.get("title") for b in offered if b.get("payload") == payload and b.get("title")), None)
    return title or _words(intent or payload.lstrip("/").split("{")[0])
