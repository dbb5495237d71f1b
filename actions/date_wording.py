"""Deadlines said the way a person reads them, in the customer's time zone and locale.

"by the end of today", "by the end of Tuesday, 2 December", "by Saturday, 21 November at
05:00" (a seller's end of day seen from another time zone), "until Monday, 8 December at
10:00, 6 days from now". Day and month names and their order come from CLDR via Babel; the
phrases around them from actions/date_phrases.yml.

The customer's zone and locale are those their browser sent when valid (`Reader`,
`reader_from`), else the order's. When the customer's clock differs from the seller's (or
support's), a time of day says whose it is: "by Saturday, 21 November at 05:00 your time"
when their own device told us their zone, else its city ("05:00 London time").
"""
import math
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, FrozenSet, Optional
from zoneinfo import ZoneInfo, available_timezones

import yaml
from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_time, get_date_format, get_timezone_location, format_skeleton

from actions.deadlines import Deadline, Reason
from language.languages import load as languages, wording_files

PHRASES_FILE = Path(__file__).with_name("date_phrases.yml")


@lru_cache(maxsize=1)
def _all_phrases() -> Dict[str, dict]:
    """Each language's phrases: English's in actions/date_phrases.yml, the others' in
    locale/<code>/date_phrases.yml."""
    phrases = {}
    for code, path in wording_files(PHRASES_FILE, "date_phrases.yml").items():
        if path.exists():
            data = yaml.safe_load(path.read_text())
            phrases[code] = data["en"] if code == "en" else data
    return phrases


@lru_cache(maxsize=32)
def _day_pattern(locale: str, with_year: bool = False) -> str:
    """The locale's full date format, without the year unless asked: "EEEE, d MMMM" for
    en_GB, "EEEE, d 'de' MMMM" for es (the "de" before the year goes with it)."""
    full = get_date_format("full", locale=locale).pattern
    return full if with_year else re.sub(r"[,\s]*(?:'[^']*'\s*)?\by+\b[.,]?", "", full).strip(" ,")


@dataclass(frozen=True)
class Reader:
    """Who reads the answer: their IANA time zone ("Europe/London") and Babel locale ("en_GB").
    own_clock: the zone is the one their own device shows (their browser sent it), so a time
    on it is "your time"; otherwise (their account's) it is named by its city."""

    timezone: str
    locale: str
    own_clock: bool = False


@lru_cache(maxsize=1)
def _iana_zones() -> FrozenSet[str]:
    # The server's own "localtime" and tzdata's placeholders name no place.
    return frozenset(available_timezones() - {"localtime", "posixrules", "Factory"})


def known_timezone(value: Any) -> Optional[str]:
    """value when it is an IANA time zone ("America/New_York"), else None."""
    return value if isinstance(value, str) and value in _iana_zones() else None


def known_locale(value: Any) -> Optional[str]:
    """A BCP-47 tag ("en-GB") as the Babel locale it names ("en_GB"), if Babel knows it and the
    phrases are written in its language (else the answer would mix two languages); else None."""
    if not isinstance(value, str) or not 0 < len(value) <= 35:
        return None
    try:
        locale = Locale.parse(value.replace("-", "_"))
    except (ValueError, TypeError, UnknownLocaleError):
        return None
    return str(locale) if locale.language in _all_phrases() else None


def reader_from(timezone: Any, locale: Any, fallback: Reader, language: Optional[str] = None) -> Reader:
    """The reader as their browser describes them, each of zone and locale only when valid;
    the fallback's (the order's) otherwise. language: the conversation's, which the locale
    must speak (a German customer with an English browser reads German dates): the browser's
    locale when it is in that language ("fr-BE"), else the language's usual one."""
    zone = known_timezone(timezone)
    chosen = known_locale(locale) or fallback.locale
    if language and Locale.parse(chosen).language != language:
        chosen = known_locale(languages().by_code[language].locale) if language in languages().by_code else chosen
    return Reader(zone or fallback.timezone, chosen or fallback.locale, own_clock=bool(zone) or fallback.own_clock)


@lru_cache(maxsize=64)
def _zone_name(zone: str, locale: str) -> str:
    """The zone's city in the locale's words: "New York", "Londres"."""
    try:
        city = get_timezone_location(zone, locale=locale, return_city=True)
    except (LookupError, ValueError):
        return zone
    return city.rsplit("/", 1)[-1]  # "Argentina/Buenos Aires": CLDR spells that zone otherwise


def wait_words(seconds: Optional[int], locale: Optional[str] = None) -> str:
    """How long the customer waits, rounded up to whole minutes or hours: "a minute", "5
    minutes", "an hour" (the phrases of the locale's language); "a while" when unknown."""
    phrases = _phrases_for(locale or "en")["wait"]
    if not seconds:
        return phrases["unknown"]  # a backend that didn't say
    minutes = max(1, math.ceil(seconds / 60))
    if minutes < 60:
        return phrases["one_minute"] if minutes == 1 else phrases["minutes"].format(count=minutes)
    hours = math.ceil(minutes / 60)
    return phrases["one_hour"] if hours == 1 else phrases["hours"].format(count=hours)


def _phrases_for(locale: str) -> dict:
    phrases = _all_phrases()
    return phrases.get(locale.split("_")[0]) or phrases["en"]


class DateWording:
    def __init__(self, now: datetime, timezone: str, locale: str = "en_GB",
                 business_timezone: Optional[str] = None, name_zone: bool = False, own_clock: bool = False):
        """business_timezone: the seller's (or support's). When given, a time of day is said
        with its zone's name whenever the customer's clock and the business's differ.
        name_zone: always say it (where the customer's own zone is not known).
        own_clock: timezone is the customer's own device's: its times are "your time"."""
        if now.tzinfo is None:
            raise ValueError("now must be timezone-aware")
        self.zone = ZoneInfo(timezone)
        self.business_zone = ZoneInfo(business_timezone) if business_timezone else None
        self.name_zone = name_zone
        self.own_clock = own_clock
        self.locale = locale
        self.today = now.astimezone(self.zone).date()
        self.phrases = _phrases_for(locale)

    @classmethod
    def for_reader(cls, now: datetime, reader: Reader, business_timezone: Optional[str] = None) -> "DateWording":
        return cls(now, reader.timezone, reader.locale, business_timezone, own_clock=reader.own_clock)

    def day(self, day: date) -> str:
        """"today", "tomorrow" or "Tuesday, 2 December" (with the year when not this year)."""
        offset = (day - self.today).days
        if offset == 0:
            return self.phrases["today"]
        if offset == 1:
            return self.phrases["tomorrow"]
        pattern = _day_pattern(self.locale, with_year=day.year != self.today.year)
        return format_date(day, pattern, locale=self.locale)

    def time(self, moment: time) -> str:
        return format_time(moment, format="short", locale=self.locale)

    def _time_in(self, moment: datetime, zone: tzinfo, other: Optional[tzinfo], always: bool = False,
                 yours: bool = False) -> str:
        """moment's time of day where zone is, with zone named when other's clock then shows
        another time (or always): "05:00 London time", or "05:00 your time" when zone is the
        reader's own (a Londoner isn't told "London time" as if it were somewhere else)."""
        local = moment.astimezone(zone)
        text = self.time(local.time())
        if not always and (other is None or local.utcoffset() == moment.astimezone(other).utcoffset()):
            return text
        if yours:
            return self.phrases["time_in_own_zone"].format(time=text)
        name = _zone_name(getattr(zone, "key", None) or str(zone), self.locale)
        return self.phrases["time_in_zone"].format(time=text, zone=name)

    def _customer_time(self, moment: datetime) -> str:
        return self._time_in(moment, self.zone, self.business_zone, always=self.name_zone, yours=self.own_clock)

    def tracking_event(self, status: str, location: Optional[str], moment: datetime) -> str:
        """A carrier's tracking event: "In transit, Cologne (yesterday at 18:48)"."""
        if location:
            return self.phrases["tracking_event"].format(status=status, location=location, when=self.when(moment))
        return self.phrases["tracking_event_nowhere"].format(status=status, when=self.when(moment))

    def short(self, moment: datetime) -> str:
        """A day as a card's step shows it: "20 Nov" (the locale's abbreviated day and month)."""
        return format_skeleton("MMMd", moment.astimezone(self.zone).date(), locale=self.locale).replace(" ", "\u00a0")

    def when(self, moment: datetime) -> str:
        """A past or future moment: "today at 10:05", "Friday, 20 November at 15:12"."""
        local = moment.astimezone(self.zone)
        offset = (local.date() - self.today).days
        day = self.phrases["yesterday"] if offset == -1 else self.day(local.date())
        return self.phrases["at_moment"].format(day=day, time=self._customer_time(moment))

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
        return self.phrases["by_moment"].format(day=self.day(day), time=self._customer_time(deadline.at))

    def until(self, deadline: Deadline, with_distance: bool = True) -> str:
        day, moment = self._local(deadline)
        if moment is None:
            text = self.phrases["until_end_of_day"].format(day=self.day(day))
        else:
            text = self.phrases["until_moment"].format(day=self.day(day), time=self._customer_time(deadline.at))
        offset = (day - self.today).days
        if with_distance and offset > 1:
            distance = self.phrases["days_from_now"].format(count=offset)
            text = self.phrases["with_distance"].format(deadline=text, distance=distance)
        return text

    def reasons(self, deadline: Deadline) -> str:
        """Why the deadline falls where it does, in one short line."""
        return self.phrases["reason_separator"].join(self.reason(r, deadline.zone) for r in deadline.reasons)

    def reason(self, reason: Reason, zone: Optional[tzinfo] = None) -> str:
        """zone: where the deadline is counted (a cutoff is a time there: "13:00 Paris time"
        when the customer's clock differs and business_timezone was given)."""
        template = self.phrases["reasons"][reason.code]
        cutoff = ""
        if reason.cutoff:
            cutoff = self.time(reason.cutoff)
            if zone is not None and reason.day and self.business_zone is not None:
                cutoff = self._time_in(datetime.combine(reason.day, reason.cutoff, tzinfo=zone), zone, self.zone)
        return template.format(
            day=self.day(reason.day) if reason.day else "",
            weekday=format_date(reason.day, "EEEE", locale=self.locale) if reason.day else "",
            name=reason.name or "",
            count=reason.count or "",
            cutoff=cutoff,
        )
