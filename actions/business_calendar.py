"""Business days of a seller's country (and region): no weekends, no public holidays.

Holidays and weekends come from the `holidays` package, so each country's calendar is
data (including regional ones: US states, German Länder, Spanish communities);
python-dateutil walks the days.
"""
from datetime import date, timedelta
from functools import lru_cache
from typing import Optional

import holidays
from dateutil.rrule import DAILY, rrule

# The countries the marketplace's sellers ship from.
SELLER_COUNTRIES = ("US", "GB", "FR", "DE", "ES", "IT")


class UnknownCalendar(ValueError):
    """The country or region has no holiday calendar."""


@lru_cache(maxsize=64)
def _holidays(country: str, subdivision: Optional[str]) -> holidays.HolidayBase:
    try:
        calendar = holidays.country_holidays(country, subdiv=subdivision)
    except NotImplementedError as error:
        raise UnknownCalendar(f"no holiday calendar for {country}") from error
    # Holiday names in English where the country's calendar has them.
    if "en_US" in getattr(calendar, "supported_languages", ()):
        calendar = holidays.country_holidays(country, subdiv=subdivision, language="en_US")
    return calendar


class BusinessCalendar:
    def __init__(self, country: str, subdivision: Optional[str] = None):
        try:
            self._holidays = _holidays(country.upper(), subdivision)
        except (KeyError, ValueError) as error:
            raise UnknownCalendar(f"no holiday calendar for {country}/{subdivision}: {error}") from error
        self.country = country.upper()
        self.subdivision = subdivision
        self._weekend = frozenset(getattr(self._holidays, "weekend", {5, 6}))

    def is_weekend(self, day: date) -> bool:
        return day.weekday() in self._weekend

    def holiday(self, day: date) -> Optional[str]:
        """The public holiday's name, or None."""
        return self._holidays.get(day)

    def is_business_day(self, day: date) -> bool:
        return not self.is_weekend(day) and self.holiday(day) is None

    def business_days_after(self, day: date, count: int) -> date:
        """The `count`-th business day after `day` (`day` itself not counted); count >= 1."""
        if count < 1:
            raise ValueError("count must be at least 1")
        found = 0
        for candidate in rrule(DAILY, dtstart=day + timedelta(days=1)):
            if self.is_business_day(candidate.date()):
                found += 1
                if found == count:
                    return candidate.date()
        raise AssertionError("unreachable: rrule is unbounded")

    def skipped_days(self, start: date, end: date):
        """The days strictly between start and end that are not business days, in order."""
        return [d.date() for d in rrule(DAILY, dtstart=start + timedelta(days=1), until=end - timedelta(days=1))
                if not self.is_business_day(d.date())]
