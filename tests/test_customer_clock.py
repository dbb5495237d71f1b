"""One clock: answers say times in the time zone and locale the customer's browser sent (as the
widget's timestamps do), else the order's, and say whose clock when the seller's differs: "your
time" on the browser's own clock, the zone's city on the account's."""
from datetime import timedelta

import pytest

from actions.date_wording import Reader, known_locale, known_timezone, reader_from
from actions.deadlines import Place
from actions.order_answers import order_reader, order_status
from actions.orders_client import Return, Shipment, TrackingEvent
from actions.return_answers import return_status

from test_order_answers import NOW, order  # Wednesday: 11:00 Paris, 05:00 New York
SUPPORT = Place("FR", "Europe/Paris")
NEW_YORK_BROWSER = Reader("America/New_York", "en_US", own_clock=True)
NNBSP = "\u202f"  # CLDR puts a narrow no-break space before AM/PM


def test_the_browsers_zone_and_locale_are_used_over_the_orders():
    pending = order(payment_state="pending", confirmed_at=None, placed_at=NOW - timedelta(minutes=10))
    answer = order_status(pending, "track_order", NOW, NEW_YORK_BROWSER)
    assert answer.values["order_email_by"] == f"by today at 5:20{NNBSP}AM your time"
    assert answer.values["order_placed_when"] == f"today at 4:50{NNBSP}AM your time"


def test_without_a_browser_reader_the_orders_zone_and_locale_are_used():
    pending = order(payment_state="pending", confirmed_at=None, placed_at=NOW - timedelta(minutes=10))
    assert order_status(pending, "track_order", NOW).values["order_email_by"] == "by today at 11:20"
    assert order_reader(pending) == Reader("Europe/Paris", "en_GB")


def test_a_sellers_end_of_day_is_said_on_the_customers_own_clock_as_their_time():
    answer = order_status(order(), "shipping_time", NOW, NEW_YORK_BROWSER)  # confirmed 09:00 Paris
    assert answer.values["order_ship_by"] == f"by today at 6:00{NNBSP}PM your time"
    # the cutoff is the seller's: it names the seller's zone
    assert answer.values["order_ship_reasons"] == \
        f"confirmed by 1:00{NNBSP}PM Paris time on Wednesday, so that day counts"


def test_no_zone_is_named_when_the_customers_clock_shows_the_sellers_time():
    # Berlin is another zone than Paris, but the same clock
    answer = order_status(order(), "shipping_time", NOW, Reader("Europe/Berlin", "en_GB"))
    assert answer.values["order_ship_by"] == "by the end of today"
    assert answer.values["order_ship_reasons"] == "confirmed by 13:00 on Wednesday, so that day counts"
    assert answer.values["order_confirmed_when"] == "today at 09:00"


def test_a_date_alone_names_no_zone():
    shipment = Shipment("UPS", "1Z", "https://ups.example/1Z", NOW - timedelta(days=1), NOW + timedelta(days=1), None,
                        (TrackingEvent(NOW - timedelta(hours=3), "In transit", "Lyon"),))
    answer = order_status(order(shipment=shipment), "track_order", NOW, NEW_YORK_BROWSER)
    assert answer.values["order_delivery_estimate"] == "tomorrow"
    assert answer.values["order_last_event"] == f"In transit, Lyon (today at 2:00{NNBSP}AM your time)"


@pytest.mark.parametrize("locale, said", [("en_GB", "yesterday at 14:00 London time"),
                                          ("en_US", f"yesterday at 2:00{NNBSP}PM London time")])
def test_british_english_says_24_hour_times_and_american_english_12_hour(locale, said):
    shipment = Shipment("UPS", "1Z", "https://ups.example/1Z", NOW - timedelta(days=2), None,
                        NOW - timedelta(hours=20), ())
    answer = order_status(order(shipment=shipment), "track_order", NOW, Reader("Europe/London", locale))
    assert answer.values["order_delivered_when"] == said


def test_a_return_label_is_valid_until_a_time_said_in_the_browsers_zone():
    asked = NOW - timedelta(days=3)  # 11:00 Paris, where the order's customer is: valid until 11:00 there
    ret = Return(reason="repair", help_requested_at=asked, label_issued_at=asked, label_url="https://labels.example/1.pdf",
                 carrier="DHL", pickup_offered=True, tracking_number=None, tracking_url=None, shipped_at=None,
                 received_at=None, refund_state="none", refund_amount=None, refund_currency=None, refunded_at=None)
    answer = return_status(order(returns=(ret,)), "return_label", NOW, SUPPORT, NEW_YORK_BROWSER)
    assert answer.values["return_label_valid_until"] == \
        f"until Sunday, December 6 at 5:00{NNBSP}AM your time, 11 days from now"


def test_the_browsers_values_are_taken_in_their_usual_spellings():
    assert known_timezone("America/New_York") == "America/New_York"
    assert known_locale("en-GB") == "en_GB" and known_locale("en-US") == "en_US" and known_locale("en") == "en"


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "europe/london", "../../etc/passwd", "/etc/localtime",
                                  "localtime", "America", "", None, 42, ["Europe/London"]])
def test_an_invalid_time_zone_is_ignored(zone):
    assert known_timezone(zone) is None
    assert reader_from(zone, "en-US", Reader("Europe/Paris", "en_GB")) == Reader("Europe/Paris", "en_US", own_clock=False)


@pytest.mark.parametrize("locale", ["xx-YY", "en-US-u-ca-gregory", "", "e" * 100, None, 7,
                                    "pt-PT"])  # no Portuguese phrases: the answer would mix two languages
def test_an_invalid_locale_is_ignored(locale):
    assert known_locale(locale) is None
    assert reader_from("America/New_York", locale, Reader("Europe/Paris", "en_GB")) == \
        Reader("America/New_York", "en_GB", own_clock=True)


def test_a_londoner_is_told_their_own_time_not_london_time():
    # A London browser, a Paris seller: the time is on the customer's own clock, so "your time"
    answer = order_status(order(), "shipping_time", NOW, reader_from("Europe/London", "en-GB", order_reader(order())))
    assert answer.values["order_confirmed_when"] == "today at 08:00 your time"
    assert "London" not in answer.values["order_confirmed_when"]


def test_on_the_accounts_clock_the_zone_is_named_by_its_city():
    # no browser: the order's customer's zone, which may not be where they are now
    london_account = Reader("Europe/London", "en_GB")
    answer = order_status(order(), "shipping_time", NOW, london_account)
    assert answer.values["order_confirmed_when"] == "today at 08:00 London time"
