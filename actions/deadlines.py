"""By when? The help centre's time rules, applied to real calendars.

Datetimes in and out are timezone-aware. Business days follow the seller's country and
region (actions/business_calendar.py); the rules themselves (cutoff, business-day counts,
validity periods) are configuration in actions/deadline_rules.yml.

"End of day" means the seller's local midnight at the end of that day: a deadline "by
the end of Tuesday" is the instant Wednesday 00:00 starts where the seller is. It is shown
to the customer in their own time zone (actions/date_wording.py).
"""
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Optional, Tuple
from zoneinfo import ZoneInfo

import yaml

from actions.business_calendar import BusinessCalendar

RULES_FILE = Path(__file__).with_name("deadline_rules.yml")

# Why a deadline falls where it does (Reason.code).
CONFIRMED_BY_CUTOFF = "confirmed_by_cutoff"
CONFIRMED_AFTER_CUTOFF = "confirmed_after_cutoff"
CONFIRMED_ON_WEEKEND = "confirmed_on_weekend"
CONFIRMED_ON_HOLIDAY = "confirmed_on_holiday"
LARGE_DEVICE = "large_device"
HOLIDAY = "holiday"


@dataclass(frozen=True)
class Rules:
    cutoff: time
    business_days: int
    large_device_business_days: int
    confirmation_email_minutes: int
    return_label_valid_days: int
    label_outreach_business_days: int

    @classmethod
    def from_file(cls, path: Path = RULES_FILE) -> "Rules":
        data = yaml.safe_load(path.read_text())
        shipping = data["shipping"]
        return cls(
            cutoff=time.fromisoformat(shipping["cutoff"]),
            business_days=int(shipping["business_days"]),
            large_device_business_days=int(shipping["large_device_business_days"]),
            confirmation_email_minutes=int(data["confirmation_email_minutes"]),
            return_label_valid_days=int(data["return_label_valid_days"]),
            label_outreach_business_days=int(data["label_outreach_business_days"]),
        )


@lru_cache(maxsize=1)
def default_rules() -> Rules:
    return Rules.from_file()


@dataclass(frozen=True)
class Place:
    """Where business days are counted: a seller, or the support team."""

    country: str
    timezone: str
    subdivision: Optional[str] = None

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def calendar(self) -> BusinessCalendar:
        return BusinessCalendar(self.country, self.subdivision)


@dataclass(frozen=True)
class Reason:
    code: str
    day: Optional[date] = None
    name: Optional[str] = None  # a holiday's name
    count: Optional[int] = None  # business days
    cutoff: Optional[time] = None


@dataclass(frozen=True)
class Deadline:
    at: datetime  # the instant the deadline passes (timezone-aware)
    end_of_day: bool  # True: "by the end of <day>"; False: an exact moment
    zone: ZoneInfo  # where the deadline's day is counted
    reasons: Tuple[Reason, ...] = field(default=())

    @property
    def day(self) -> date:
        """The last day that still meets the deadline, where it is counted."""
        local = self.at.astimezone(self.zone)
        return (local - timedelta(days=1)).date() if self.end_of_day else local.date()

    def passed(self, now: datetime) -> bool:
        return now >= self.at


def _require_aware(moment: datetime, name: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware")


def _end_of(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)


def _holidays_between(calendar: BusinessCalendar, start: date, end: date) -> list:
    """Holidays that moved the deadline: those between start and end on weekdays."""
    return [Reason(HOLIDAY, day=d, name=calendar.holiday(d))
            for d in calendar.skipped_days(start, end) if not calendar.is_weekend(d)]


def _closed_day_reason(calendar: BusinessCalendar, day: date) -> Reason:
    name = calendar.holiday(day)
    if name:
        return Reason(CONFIRMED_ON_HOLIDAY, day=day, name=name)
    return Reason(CONFIRMED_ON_WEEKEND, day=day)


def ship_by(confirmed_at: datetime, seller: Place, large_device: bool = False,
            rules: Optional[Rules] = None) -> Deadline:
    """The end of the day by which the seller must have shipped.

    The confirmation day counts as the first business day when it is one and the order was
    confirmed at or before the cutoff; otherwise counting starts on the next business day.
    """
    _require_aware(confirmed_at, "confirmed_at")
    rules = rules or default_rules()
    calendar, zone = seller.calendar, seller.zone
    local = confirmed_at.astimezone(zone)
    day = local.date()
    count = rules.large_device_business_days if large_device else rules.business_days
    reasons = [Reason(LARGE_DEVICE, count=count)] if large_device else []
    if calendar.is_business_day(day) and local.time() <= rules.cutoff:
        reasons.append(Reason(CONFIRMED_BY_CUTOFF, day=day, cutoff=rules.cutoff))
        last = day if count == 1 else calendar.business_days_after(day, count - 1)
    else:
        if calendar.is_business_day(day):
            reasons.append(Reason(CONFIRMED_AFTER_CUTOFF, day=day, cutoff=rules.cutoff))
        else:
            reasons.append(_closed_day_reason(calendar, day))
        last = calendar.business_days_after(day, count)
    reasons += _holidays_between(calendar, day, last)
    return Deadline(_end_of(last, zone), end_of_day=True, zone=zone, reasons=tuple(reasons))


def contact_seller_from(confirmed_at: datetime, seller: Place, large_device: bool = False,
                        rules: Optional[Rules] = None) -> datetime:
    """From when a customer whose order has not shipped should contact the seller."""
    return ship_by(confirmed_at, seller, large_device, rules).at


def confirmation_email_by(placed_at: datetime, rules: Optional[Rules] = None) -> Deadline:
    """After this moment without a confirmation e-mail, the customer should ask their bank."""
    _require_aware(placed_at, "placed_at")
    rules = rules or default_rules()
    return Deadline(placed_at + timedelta(minutes=rules.confirmation_email_minutes),
                    end_of_day=False, zone=placed_at.tzinfo)


def return_label_valid_until(asked_at: datetime, timezone: str, rules: Optional[Rules] = None) -> Deadline:
    """The moment the return label stops being valid: N calendar days after the customer
    asked for help, at the same time of day where the customer is (so a clock change in
    between does not move it by an hour)."""
    _require_aware(asked_at, "asked_at")
    rules = rules or default_rules()
    zone = ZoneInfo(timezone)
    local = asked_at.astimezone(zone)
    # Wall-clock arithmetic: aware datetime + timedelta keeps the local time of day.
    return Deadline(local + timedelta(days=rules.return_label_valid_days), end_of_day=False, zone=zone)


def label_outreach_by(asked_at: datetime, support: Place, rules: Optional[Rules] = None) -> Deadline:
    """When no "Print return label" button appeared: support reaches out by the end of the
    Nth business day after the customer asked for help."""
    _require_aware(asked_at, "asked_at")
    rules = rules or default_rules()
    calendar, zone = support.calendar, support.zone
    day = asked_at.astimezone(zone).date()
    last = calendar.business_days_after(day, rules.label_outreach_business_days)
    return Deadline(_end_of(last, zone), end_of_day=True, zone=zone,
                    reasons=tuple(_holidays_between(calendar, day, last)))
