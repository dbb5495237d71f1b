"""Deadlines said the way a person reads them, in the customer's time zone and locale.

"by the end of today", "by the end of Tuesday, 2 December", "by Saturday, 21 November at
05:00" (a seller's end of day seen from another time zone), "until Monday, 8 December at
10:00, 6 days from now". Day and month names and their order come from CLDR via Babel; the
phrases around them from actions/date_phrases.yml.
"""
import re
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Dict
from zoneinfo import ZoneInfo

import yaml
from babel.dates import format_date, format_time, get_date_format

from actions.deadlines import Deadline, Reason

PHRASES_FILE = Path(__file__).with_name("date_phrases.yml")


@lru_cache(maxsize=1)
def _all_phrases() -> Dict[str, dict]:
    return yaml.safe_load(PHRASES_FILE.read_text())


@lru_cache(maxsize=32)
def _day_pattern(locale: str) -> str:
    """The locale's full date format without the year: "EEEE, d MMMM" for en_GB."""
    full = get_date_format("full", locale=locale).pattern
    return re.sub(r"[,\s]*\by+\b[.,]?", "", full).strip(" ,")


class DateWording:
    def __init__(self, now: datetime, timezone: str, locale: str = "en_GB"):
        if now.tzinfo is None:
            raise ValueError("now must be timezone-aware")
        self.zone = ZoneInfo(timezone)
        self.locale = locale
        self.today = now.astimezone(self.zone).date()
        phrases = _all_phrases()
        self.phrases = phrases.get(locale.split("_")[0]) or phrases["en"]

    def day(self, day: date) -> str:
        """"today", "tomorrow" or "Tuesday, 2 December" (with the year when not this year)."""
        offset = (day - self.today).days
        if offset == 0:
            return self.phrases["today"]
        if offset == 1:
            return self.phrases["tomorrow"]
        pattern = _day_pattern(self.locale) + ("" if day.year == self.today.year else " y")
        return format_date(day, pattern, locale=self.locale)

    def time(self, moment: time) -> str:
        return format_time(moment, format="short", locale=self.locale)

    def when(self, moment: datetime) -> str:
        """A past or future moment: "today at 10:05", "Friday, 20 November at 15:12"."""
        local = moment.astimezone(self.zone)
        offset = (local.date() - self.today).days
        day = self.phrases["yesterday"] if offset == -1 else self.day(local.date())
        return self.phrases["at_moment"].format(day=day, time=self.time(local.time()))

    def _local(self, deadline: Deadline):
        """The deadline where the customer is: (day, time of day, whether it is a day's end)."""
        local = deadline.at.astimezone(self.zone)
        if deadline.end_of_day and local.time() == time(0):
            return (local.date() - timedelta(days=1), None)
        return (local.date(), local.time())

    def by(self, deadline: Deadline) -> str:
        day, moment = self._local(deadline)
        if moment is None:
            return self.phrases["by_end_of_day"].format(day=self.day(day))
        return self.phrases["by_moment"].format(day=self.day(day), time=self.time(moment))

    def until(self, deadline: Deadline, with_distance: bool = True) -> str:
        day, moment = self._local(deadline)
        if moment is None:
            text = self.phrases["until_end_of_day"].format(day=self.day(day))
        else:
            text = self.phrases["until_moment"].format(day=self.day(day), time=self.time(moment))
        offset = (day - self.today).days
        if with_distance and offset > 1:
            distance = self.phrases["days_from_now"].format(count=offset)
            text = self.phrases["with_distance"].format(deadline=text, distance=distance)
        return text

    def reasons(self, deadline: Deadline) -> str:
        """Why the deadline falls where it does, in one short line."""
        return self.phrases["reason_separator"].join(self.reason(r) for r in deadline.reasons)

    def reason(self, reason: Reason) -> str:
        template = self.phrases["reasons"][reason.code]
        return template.format(
            day=self.day(reason.day) if reason.day else "",
            weekday=format_date(reason.day, "EEEE", locale=self.locale) if reason.day else "",
            name=reason.name or "",
            count=reason.count or "",
            cutoff=self.time(reason.cutoff) if reason.cutoff else "",
        )
