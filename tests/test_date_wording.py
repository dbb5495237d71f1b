"""Deadlines as customers read them, in their own time zone and locale."""
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from actions.date_wording import DateWording, wait_words
from actions.deadlines import Place, label_outreach_by, return_label_valid_until, ship_by

LONDON = Place("GB", "Europe/London", "ENG")
NEW_YORK = Place("US", "America/New_York")


def moment(text, zone="Europe/London"):
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone))


def test_end_of_a_day_later_this_year():
    wording = DateWording(moment("2026-11-27 09:00"), "Europe/London", "en_GB")
    deadline = ship_by(moment("2026-11-30 15:00"), LONDON)  # Monday after 1 PM: Tuesday
    assert wording.by(deadline) == "by the end of Tuesday, 1 December"


def test_today_and_tomorrow():
    confirmed = moment("2026-11-25 10:00")  # Wednesday before 1 PM: ships that day
    assert DateWording(moment("2026-11-25 10:05"), "Europe/London").by(ship_by(confirmed, LONDON)) == \
        "by the end of today"
    assert DateWording(moment("2026-11-24 18:00"), "Europe/London").by(ship_by(confirmed, LONDON)) == \
        "by the end of tomorrow"


def test_american_english_orders_month_and_day_and_uses_12_hour_times():
    wording = DateWording(moment("2026-11-27 09:00", "America/New_York"), "America/New_York", "en_US")
    deadline = ship_by(moment("2026-11-30 15:00", "America/New_York"), NEW_YORK)
    assert wording.by(deadline) == "by the end of Tuesday, December 1"


def test_a_sellers_end_of_day_seen_from_another_time_zone_is_an_exact_time():
    deadline = ship_by(moment("2026-11-20 12:30", "America/New_York"), NEW_YORK)  # ends Fri 20, New York
    in_london = DateWording(moment("2026-11-20 18:00"), "Europe/London", "en_GB")
    assert in_london.by(deadline) == "by tomorrow at 05:00"
    in_los_angeles = DateWording(moment("2026-11-16 09:00", "America/Los_Angeles"), "America/Los_Angeles", "en_US")
    assert in_los_angeles.by(deadline) == "by Friday, November 20 at 9:00\u202fPM"


def test_until_with_the_days_left():
    asked = moment("2026-11-24 10:00", "Europe/Paris")
    wording = DateWording(moment("2026-12-02 08:00", "Europe/Paris"), "Europe/Paris", "en_GB")
    assert wording.until(return_label_valid_until(asked, "Europe/Paris")) == \
        "until Tuesday, 8 December at 10:00, 6 days from now"


def test_the_year_is_said_when_it_is_not_this_year():
    asked = moment("2026-12-20 10:00", "Europe/Paris")
    wording = DateWording(moment("2026-12-20 10:00", "Europe/Paris"), "Europe/Paris", "en_GB")
    assert wording.until(return_label_valid_until(asked, "Europe/Paris")) == \
        "until Sunday, 3 January 2027 at 10:00, 14 days from now"


def test_reasons_a_person_can_read():
    wording = DateWording(moment("2026-12-21 09:00"), "Europe/London", "en_GB")
    deadline = ship_by(moment("2026-12-24 14:00"), LONDON)
    assert wording.reasons(deadline) == (
        "confirmed after 13:00 on Thursday; Friday, 25 December is a public holiday (Christmas Day); "
        "Monday, 28 December is a public holiday (Boxing Day (observed))")
    outreach = label_outreach_by(moment("2026-12-24 10:00"), LONDON)
    assert wording.by(outreach) == "by the end of Tuesday, 29 December"


@pytest.mark.parametrize("seconds, words", [
    (None, "a while"), (1, "a minute"), (60, "a minute"), (61, "2 minutes"), (300, "5 minutes"),
    (3540, "59 minutes"), (3541, "an hour"), (3600, "an hour"), (3601, "2 hours"),
])
def test_the_wait_is_said_rounded_up(seconds, words):
    assert wait_words(seconds) == words
