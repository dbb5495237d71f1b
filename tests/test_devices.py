import pytest

from actions.devices import NOT_NEEDED, SPECIFIC, AccountCheck, account_check


@pytest.mark.parametrize("device, account", [
    ("iPhone 13 Pro", "Apple ID"),
    ("ipad air", "Apple ID"),
    ("Apple Watch Series 7", "Apple ID"),
    ("MacBook Air", "Apple ID"),
    ("Galaxy S21", "Samsung account and Google account"),
    ("pixel 7", "Google account"),
])
def test_names_the_account_to_disconnect(device, account):
    assert account_check(device) == AccountCheck(SPECIFIC, account)


@pytest.mark.parametrize("device", ["phone", "smartphone", "tablet", "smartwatch", "cell phone"])
def test_kinds_that_need_it_without_telling_which_account(device):
    assert account_check(device) == AccountCheck(None)


@pytest.mark.parametrize("device", ["laptop", "TV", "PS5", "headphones", "AirPods", "iMac", "washing machine"])
def test_devices_the_rule_does_not_cover(device):
    assert account_check(device) == AccountCheck(NOT_NEEDED)


def test_no_device_known():
    assert account_check(None) == AccountCheck(None)
