"""Deadlines on real calendars: hand-checked cases, then invariants checked by hypothesis.

Each expected date below was worked out by hand from the rule and the calendar (2026:
Easter Sunday 5 April; European clocks change on 29 March and 25 October, US clocks on
8 March and 1 November; Thanksgiving is Thursday 26 November; Christmas Day is a Friday).
"""
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from actions.business_calendar import BusinessCalendar, UnknownCalendar
from actions.deadlines import (
    CONFIRMED_AFTER_CUTOFF, CONFIRMED_BY_CUTOFF, CONFIRMED_ON_HOLIDAY, CONFIRMED_ON_WEEKEND, HOLIDAY,
    LARGE_DEVICE, Place, Rules, confirmation_email_by, contact_seller_from, label_outreach_by,
    return_label_valid_until, ship_by,
)

PARIS = Place("FR", "Europe/Paris")
BERLIN = Place("DE", "Europe/Berlin")
MUNICH = Place("DE", "Europe/Berlin", "BY")
LONDON = Place("GB", "Europe/London", "ENG")
NEW_YORK = Place("US", "America/New_York")
LOS_ANGELES = Place("US", "America/Los_Angeles", "CA")
MADRID = Place("ES", "Europe/Madrid", "MD")
ROME = Place("IT", "Europe/Rome")


def at(place: Place, text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=place.zone)


# (case, seller, confirmed, large device, last day to ship)
SHIP_BY = [
    ("Friday before 1 PM: ships that day", PARIS, "2026-11-20 10:00", False, date(2026, 11, 20)),
    ("Friday after 1 PM: next business day is Monday", PARIS, "2026-11-20 15:12", False, date(2026, 11, 23)),
    ("12:59 counts that day", PARIS, "2026-11-18 12:59", False, date(2026, 11, 18)),
    ("13:00 counts that day", PARIS, "2026-11-18 13:00", False, date(2026, 11, 18)),
    ("13:01 is after 1 PM", PARIS, "2026-11-18 13:01", False, date(2026, 11, 19)),
    ("Saturday: counts from Monday", PARIS, "2026-11-21 09:00", False, date(2026, 11, 23)),
    ("day before a holiday (Armistice Day, Wed 11 Nov)", PARIS, "2026-11-10 14:00", False, date(2026, 11, 12)),
    ("confirmed on a holiday", PARIS, "2026-11-11 09:00", False, date(2026, 11, 12)),
    ("US Thanksgiving: Friday is a business day federally", NEW_YORK, "2026-11-25 15:00", False, date(2026, 11, 27)),
    ("US Thanksgiving in California: the day after is a holiday too", LOS_ANGELES, "2026-11-25 15:00", False,
     date(2026, 11, 30)),
    ("Christmas to New Year, England: Christmas, weekend, Boxing Day observed", LONDON, "2026-12-24 14:00", False,
     date(2026, 12, 29)),
    ("Christmas Eve, Germany: Christmas, 2nd day on Saturday", BERLIN, "2026-12-24 14:00", False, date(2026, 12, 28)),
    ("New Year's Eve, France: New Year's Day, then the weekend", PARIS, "2026-12-31 14:00", False, date(2027, 1, 4)),
    ("Easter Monday, France (Good Friday is a working day)", PARIS, "2026-04-03 14:00", False, date(2026, 4, 7)),
    ("Good Friday is a business day in France", PARIS, "2026-04-02 14:00", False, date(2026, 4, 3)),
    ("Easter, Germany: Good Friday and Easter Monday", BERLIN, "2026-04-02 14:00", False, date(2026, 4, 7)),
    ("Easter, England: Good Friday and Easter Monday", LONDON, "2026-04-02 14:00", False, date(2026, 4, 7)),
    ("Bavaria: Epiphany is a holiday", MUNICH, "2026-01-05 14:00", False, date(2026, 1, 7)),
    ("Berlin: Epiphany is a working day", BERLIN, "2026-01-05 14:00", False, date(2026, 1, 6)),
    ("Madrid: Maundy Thursday and Good Friday", MADRID, "2026-04-01 14:00", False, date(2026, 4, 6)),
    ("Italy: Easter Monday", ROME, "2026-04-03 14:00", False, date(2026, 4, 7)),
    ("large device before 1 PM on Friday: Friday and Monday", PARIS, "2026-11-20 10:00", True, date(2026, 11, 23)),
    ("large device after 1 PM on Friday: Monday and Tuesday", PARIS, "2026-11-20 15:00", True, date(2026, 11, 24)),
    ("large device over Christmas in England", LONDON, "2026-12-23 09:00", True, date(2026, 12, 24)),
]


@pytest.mark.parametrize("case, seller, confirmed, large, last_day", SHIP_BY, ids=[c[0] for c in SHIP_BY])
def test_ship_by_on_real_calendars(case, seller, confirmed, large, last_day):
    deadline = ship_by(at(seller, confirmed), seller, large_device=large)
    assert deadline.day == last_day
    # the end of that day, where the seller is
    assert deadline.at == datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=seller.zone)
    assert deadline.end_of_day


def test_ship_by_names_why():
    deadline = ship_by(at(LONDON, "2026-12-24 14:00"), LONDON)
    assert [(r.code, r.day, r.name) for r in deadline.reasons] == [
        (CONFIRMED_AFTER_CUTOFF, date(2026, 12, 24), None),
        (HOLIDAY, date(2026, 12, 25), "Christmas Day"),
        (HOLIDAY, date(2026, 12, 28), "Boxing Day (observed)"),  # Boxing Day itself is a Saturday
    ]
    assert [r.code for r in ship_by(at(PARIS, "2026-11-20 10:00"), PARIS, large_device=True).reasons] == [
        LARGE_DEVICE, CONFIRMED_BY_CUTOFF]
    assert ship_by(at(PARIS, "2026-11-21 09:00"), PARIS).reasons[0].code == CONFIRMED_ON_WEEKEND
    assert ship_by(at(PARIS, "2026-11-11 09:00"), PARIS).reasons[0].name == "Armistice Day"
    assert ship_by(at(PARIS, "2026-11-11 09:00"), PARIS).reasons[0].code == CONFIRMED_ON_HOLIDAY


@pytest.mark.parametrize("utc, last_day", [
    # Friday 27 March: Paris is UTC+1, 11:30Z is 12:30 local (by the cutoff), 12:30Z is 13:30
    ("2026-03-27T11:30:00+00:00", date(2026, 3, 27)),
    ("2026-03-27T12:30:00+00:00", date(2026, 3, 30)),
    # Monday 30 March, after the clock change: UTC+2, so 11:30Z is already 13:30 local
    ("2026-03-30T11:30:00+00:00", date(2026, 3, 31)),
    ("2026-03-30T10:30:00+00:00", date(2026, 3, 30)),
])
def test_the_cutoff_is_the_sellers_local_time_across_the_march_clock_change(utc, last_day):
    assert ship_by(datetime.fromisoformat(utc), PARIS).day == last_day


@pytest.mark.parametrize("seller, confirmed, end_utc", [
    # Saturday before the European spring change: Monday's end is Tuesday 00:00 CEST = 22:00Z
    (PARIS, "2026-03-28 10:00", "2026-03-30T22:00:00+00:00"),
    # Friday before the autumn change: Monday's end is Tuesday 00:00 CET = 23:00Z
    (BERLIN, "2026-10-23 14:00", "2026-10-26T23:00:00+00:00"),
    # Friday before the US spring change: Monday's end is Tuesday 00:00 EDT = 04:00Z
    (NEW_YORK, "2026-03-06 16:00", "2026-03-10T04:00:00+00:00"),
    # Friday before the US autumn change: Monday's end is Tuesday 00:00 EST = 05:00Z
    (NEW_YORK, "2026-10-30 16:00", "2026-11-03T05:00:00+00:00"),
])
def test_deadline_instants_across_clock_changes(seller, confirmed, end_utc):
    assert ship_by(at(seller, confirmed), seller).at == datetime.fromisoformat(end_utc)


def test_a_customer_elsewhere_gets_the_sellers_deadline():
    # New York seller, 12:30 there (before the cutoff); the customer in Paris sees 18:30.
    confirmed = datetime(2026, 11, 20, 17, 30, tzinfo=timezone.utc)
    assert ship_by(confirmed, NEW_YORK).at == datetime(2026, 11, 21, 5, 0, tzinfo=timezone.utc)
    assert ship_by(confirmed.astimezone(ZoneInfo("Europe/Paris")), NEW_YORK).day == date(2026, 11, 20)


def test_contact_the_seller_from_the_moment_the_ship_by_deadline_passes():
    confirmed = at(PARIS, "2026-11-20 15:12")
    assert contact_seller_from(confirmed, PARIS) == datetime(2026, 11, 24, 0, 0, tzinfo=PARIS.zone)


def test_confirmation_email_within_30_minutes_of_the_order():
    placed = at(PARIS, "2026-11-25 09:50")
    deadline = confirmation_email_by(placed)
    assert deadline.at == at(PARIS, "2026-11-25 10:20")
    assert not deadline.passed(at(PARIS, "2026-11-25 10:19")) and deadline.passed(at(PARIS, "2026-11-25 10:20"))


@pytest.mark.parametrize("asked, until", [
    ("2026-12-20 10:00", "2027-01-03 10:00"),  # asked on 20 December
    ("2026-03-20 10:00", "2026-04-03 10:00"),  # across the spring clock change: same time of day
])
def test_return_label_valid_14_days_from_asking(asked, until):
    deadline = return_label_valid_until(at(PARIS, asked), "Europe/Paris")
    assert deadline.at == at(PARIS, until)
    assert not deadline.end_of_day


@pytest.mark.parametrize("support, asked, last_day", [
    (PARIS, "2026-12-20 10:00", date(2026, 12, 21)),  # Sunday: Monday
    (LONDON, "2026-12-24 10:00", date(2026, 12, 29)),  # Christmas, weekend, Boxing Day observed
    (PARIS, "2026-11-18 16:00", date(2026, 11, 19)),
])
def test_support_reaches_out_within_1_business_day_without_a_label(support, asked, last_day):
    assert label_outreach_by(at(support, asked), support).day == last_day


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        ship_by(datetime(2026, 11, 20, 10, 0), PARIS)


def test_unknown_country_is_a_clear_error():
    with pytest.raises(UnknownCalendar):
        BusinessCalendar("XX")


def test_rules_come_from_the_configuration_file():
    rules = Rules.from_file()
    assert (rules.cutoff, rules.business_days, rules.large_device_business_days) == (time(13, 0), 1, 2)
    assert (rules.confirmation_email_minutes, rules.return_label_valid_days) == (30, 14)
    later = Rules(time(15, 0), 1, 2, 30, 14, 1)
    assert ship_by(at(PARIS, "2026-11-18 14:00"), PARIS, rules=later).day == date(2026, 11, 18)


# Invariants, over any moment from 2025 to 2028 and every seller calendar.
SELLERS = [PARIS, BERLIN, MUNICH, LONDON, NEW_YORK, LOS_ANGELES, MADRID, ROME, Place("US", "America/Chicago", "TX")]
moments = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2028, 12, 1),
                       timezones=st.just(timezone.utc))


@settings(max_examples=300, deadline=None)
@given(moments, st.sampled_from(SELLERS), st.booleans())
def test_ship_by_is_a_business_day_and_never_before_the_confirmation(confirmed, seller, large):
    deadline = ship_by(confirmed, seller, large_device=large)
    assert seller.calendar.is_business_day(deadline.day)
    assert deadline.at > confirmed


@settings(max_examples=300, deadline=None)
@given(moments, st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=20)), st.sampled_from(SELLERS))
def test_a_later_confirmation_never_gives_an_earlier_deadline(confirmed, delay, seller):
    assert ship_by(confirmed + delay, seller).at >= ship_by(confirmed, seller).at


@settings(max_examples=300, deadline=None)
@given(moments, st.sampled_from(SELLERS))
def test_a_large_device_is_never_due_before_a_standard_one(confirmed, seller):
    assert ship_by(confirmed, seller, large_device=True).at > ship_by(confirmed, seller).at
