"""Orders picked by what the customer bought (actions/named_orders.py)."""
from datetime import datetime, timezone

import pytest

from actions.named_orders import fits, order_picked, orders_named
from actions.orders_client import OrderSummary

PLACED = datetime(2026, 11, 1, tzinfo=timezone.utc)


def order(number, name, kind):
    return OrderSummary(number, PLACED, (name,), (kind,))


IPHONE_13 = order("40512345", "iPhone 13 128GB", "smartphone")
MACBOOK = order("40512348", "MacBook Air 13 (2020)", "laptop")
PIXEL = order("40512351", "Pixel 7 128GB", "smartphone")
IPHONE_12 = order("40512360", "iPhone 12 64GB", "smartphone")
WATCH = order("40512364", "Galaxy Watch4", "smartwatch")
TV = order("40512350", 'Samsung 55" QLED TV', "tv")
ORDERS = [IPHONE_13, MACBOOK, PIXEL, IPHONE_12, WATCH, TV]


@pytest.mark.parametrize("phrase, expected", [
    ("iPhone 13", [IPHONE_13]), ("iphone", [IPHONE_13, IPHONE_12]), ("iPhones", [IPHONE_13, IPHONE_12]),
    ("MacBook", [MACBOOK]), ("macbook air", [MACBOOK]), ("laptop", [MACBOOK]), ("watch", [WATCH]),
    ("galaxy watch", [WATCH]), ("phone", [IPHONE_13, PIXEL, IPHONE_12]), ("television", [TV]),
    ("iPhone 15", []), ("ipad", []),
])
def test_a_device_named_fits_the_orders_that_hold_it(phrase, expected):
    assert [o for o in ORDERS if fits(phrase, o)] == expected


@pytest.mark.parametrize("phrase, expected", [
    ("portable", [IPHONE_13, PIXEL, IPHONE_12]), ("ordinateur portable", [MACBOOK]), ("télé", [TV]),
    ("Handy", [IPHONE_13, PIXEL, IPHONE_12]), ("Fernseher", [TV]),
    ("móvil", [IPHONE_13, PIXEL, IPHONE_12]), ("portátil", [MACBOOK]), ("reloj", [WATCH]),
    ("cellulare", [IPHONE_13, PIXEL, IPHONE_12]), ("portatile", [MACBOOK]), ("orologio", [WATCH]),
])
def test_a_device_named_in_any_language_fits_the_orders_that_hold_it(phrase, expected):
    assert [o for o in ORDERS if fits(phrase, o)] == expected


def test_the_devices_nlu_found_come_first_then_product_names_in_the_text():
    assert orders_named("my iphone 13 and the macbook", ["iPhone 13", "MacBook"], ORDERS) == [IPHONE_13, MACBOOK]
    assert orders_named("where's my samsung", [], ORDERS) == [TV]
    assert orders_named("where is my order", [], ORDERS) is None


@pytest.mark.parametrize("reply, devices, picked", [
    ("the 12", [], IPHONE_12), ("the 128gb one", [], IPHONE_13), ("my iPhone 13", ["iPhone 13"], IPHONE_13),
    ("the iphone", ["iPhone"], None), ("the newer one", [], None),
])
def test_a_reply_picks_one_of_the_offered_orders_by_what_sets_it_apart(reply, devices, picked):
    assert order_picked(reply, devices, [IPHONE_13, IPHONE_12]) == picked
