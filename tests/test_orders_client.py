"""The orders client against the real order backend (started by the `backend` fixture)."""
import socket
from datetime import timezone
from decimal import Decimal

import pytest

from actions.orders_client import (
    INVALID, NOT_FOUND, PAUSED, TOO_MANY_ATTEMPTS, UNAVAILABLE, OrdersClient, OrdersError, Verification,
)


@pytest.fixture
def client(backend):
    url, token = backend
    return OrdersClient(url, token, timeout_s=3)


def test_an_order_comes_back_typed(client):
    order = client.order("40512351")
    assert order.seller.timezone == "Europe/Berlin" and order.seller.subdivision == "BY"
    assert order.items[0].name == "Pixel 7 128GB" and not order.large_device
    assert order.shipment.carrier == "UPS" and order.shipment.shipped_at.tzinfo == timezone.utc
    assert [e.status for e in order.shipment.events] == ["Picked up by UPS", "In transit"]
    assert (order.customer_timezone, order.customer_locale) == ("Europe/Paris", "en_GB")


def test_a_large_device_and_a_refund(client):
    assert client.order("40512350").large_device
    refund = client.order("40512365").latest_return
    assert (refund.refund_state, refund.refund_amount, refund.refund_currency) == ("refunded", Decimal("349.00"), "EUR")


def test_a_customers_orders(client):
    orders = client.customer_orders("cus_ben")
    assert {o.number for o in orders} >= {"40512346", "40512349"}
    assert orders == sorted(orders, key=lambda o: o.placed_at, reverse=True)


def test_a_customers_name_and_an_unknown_customer(client):
    assert client.customer("cus_cleo").name == "Cleo Evans"
    with pytest.raises(OrdersError) as error:
        client.customer("nobody")
    assert error.value.kind == NOT_FOUND


@pytest.mark.parametrize("number", ["99999999", "00000000"])
def test_unknown_order_is_not_found(client, number):
    with pytest.raises(OrdersError) as error:
        client.order(number)
    assert error.value.kind == NOT_FOUND


@pytest.mark.parametrize("number", ["1234", "4051234x", "", "405123451"])
def test_malformed_numbers_are_refused_before_any_request(client, number):
    with pytest.raises(OrdersError) as error:
        client.order(number)
    assert error.value.kind == INVALID


def test_a_wrong_token_reads_as_unavailable(backend):
    url, _ = backend
    with pytest.raises(OrdersError) as error:
        OrdersClient(url, "wrong").order("40512351")
    assert error.value.kind == UNAVAILABLE


def test_a_backend_that_is_down_is_unavailable():
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(OrdersError) as error:
        OrdersClient(f"http://127.0.0.1:{port}", "t", timeout_s=1).order("40512351")
    assert error.value.kind == UNAVAILABLE


def test_a_backend_that_hangs_times_out_as_unavailable():
    with socket.socket() as server:  # accepts connections, never answers
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        with pytest.raises(OrdersError) as error:
            OrdersClient(f"http://127.0.0.1:{port}", "t", timeout_s=0.5).order("40512351")
    assert error.value.kind == UNAVAILABLE


def test_verification_with_the_email_or_postcode_on_the_order(client):
    assert client.verify("40512351", email="ana.martin@example.com") == Verification(True)
    assert client.verify("40512351", postcode="75011")
    assert not client.verify("40512351", email="ben.carter@example.com")
    assert not client.verify("99999999", email="ana.martin@example.com")
    assert not client.verify("1234", email="ana.martin@example.com")  # refused before any request
    assert not client.verify("40512351")  # nothing to check: no request either


def test_a_conversation_that_used_its_attempts_is_told_for_how_long(client):
    for _ in range(4):
        assert client.verify("40512364", email="guess@example.com", conversation="c1") == Verification(False)
    last = client.verify("40512364", email="guess@example.com", conversation="c1")
    assert not last and 3590 <= last.retry_after_s <= 3600  # an hour, as the backend counts it
    with pytest.raises(OrdersError) as error:
        client.verify("40512364", email="ana.martin@example.com", conversation="c1")
    assert error.value.kind == TOO_MANY_ATTEMPTS and 3590 <= error.value.retry_after_s <= 3600
    assert client.verify("40512364", email="ana.martin@example.com", conversation="c2")  # another conversation


def test_an_order_under_attack_pauses_its_checks_for_minutes(client):
    for conversation in ("c1", "c2"):
        for _ in range(5):
            client.verify("40512363", email="guess@example.com", conversation=conversation)
    with pytest.raises(OrdersError) as error:
        client.verify("40512363", email="ben.carter@example.com", conversation="c3")
    assert error.value.kind == PAUSED and 290 <= error.value.retry_after_s <= 300
