"""The one way into the order backend: HTTP with `requests`, typed results, one error type.

    client = OrdersClient(url, token)
    order = client.order("40512345")      # -> Order, or raises OrdersError

No other module builds backend URLs.
"""
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import List, Optional, Tuple

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import ReadTimeoutError
from urllib3.util import Retry

from common.identifiers import is_order_number

NOT_FOUND = "not_found"
UNAVAILABLE = "unavailable"
INVALID = "invalid"
TOO_MANY_ATTEMPTS = "too_many_attempts"  # this conversation used its attempts to verify that order
PAUSED = "verifications_paused"  # verifications of that order wait a few minutes, for everyone


class OrdersError(Exception):
    """The backend could not answer: `kind` is NOT_FOUND, UNAVAILABLE, INVALID,
    TOO_MANY_ATTEMPTS or PAUSED; for the last two, `retry_after_s` says for how long."""

    def __init__(self, kind: str, message: str, retry_after_s: Optional[int] = None):
        super().__init__(message)
        self.kind = kind
        self.retry_after_s = retry_after_s


def _error_code(response: requests.Response) -> Optional[str]:
    try:
        return response.json().get("error")
    except (ValueError, AttributeError):
        return None


def _retry_after(response: requests.Response) -> Optional[int]:
    """Retry-After in seconds (the backend never sends the HTTP-date form)."""
    value = response.headers.get("Retry-After", "")
    return int(value) if value.isdigit() else None


def _time(text: Optional[str]) -> Optional[datetime]:
    return datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None


@dataclass(frozen=True)
class Seller:
    name: str
    country: str
    subdivision: Optional[str]
    timezone: str


@dataclass(frozen=True)
class Item:
    name: str
    device_kind: str
    large_device: bool


@dataclass(frozen=True)
class TrackingEvent:
    at: datetime
    status: str
    location: Optional[str]


@dataclass(frozen=True)
class Shipment:
    carrier: str
    tracking_number: str
    tracking_url: str
    shipped_at: datetime
    estimated_delivery_at: Optional[datetime]
    delivered_at: Optional[datetime]
    events: Tuple[TrackingEvent, ...]


@dataclass(frozen=True)
class Return:
    reason: str
    help_requested_at: datetime
    label_issued_at: Optional[datetime]
    label_url: Optional[str]
    carrier: Optional[str]
    pickup_offered: bool
    tracking_number: Optional[str]
    tracking_url: Optional[str]
    shipped_at: Optional[datetime]
    received_at: Optional[datetime]
    refund_state: str
    refund_amount: Optional[Decimal]
    refund_currency: Optional[str]
    refunded_at: Optional[datetime]


@dataclass(frozen=True)
class Order:
    number: str
    customer_id: str
    customer_timezone: str
    customer_locale: str
    placed_at: datetime
    confirmed_at: Optional[datetime]
    payment_state: str
    decline_reason: Optional[str]
    confirmation_email_sent_at: Optional[datetime]
    seller: Seller
    items: Tuple[Item, ...]
    shipment: Optional[Shipment]
    returns: Tuple[Return, ...]

    @property
    def large_device(self) -> bool:
        return any(item.large_device for item in self.items)

    @property
    def latest_return(self) -> Optional[Return]:
        return self.returns[-1] if self.returns else None

    @classmethod
    def from_json(cls, data: dict) -> "Order":
        shipment = data.get("shipment")
        return cls(
            number=data["number"],
            customer_id=data["customer"]["id"],
            customer_timezone=data["customer"]["timezone"],
            customer_locale=data["customer"]["locale"],
            placed_at=_time(data["placed_at"]),
            confirmed_at=_time(data.get("confirmed_at")),
            payment_state=data["payment_state"],
            decline_reason=data.get("decline_reason"),
            confirmation_email_sent_at=_time(data.get("confirmation_email_sent_at")),
            seller=Seller(**data["seller"]),
            items=tuple(Item(**i) for i in data["items"]),
            shipment=Shipment(
                carrier=shipment["carrier"], tracking_number=shipment["tracking_number"],
                tracking_url=shipment["tracking_url"], shipped_at=_time(shipment["shipped_at"]),
                estimated_delivery_at=_time(shipment.get("estimated_delivery_at")),
                delivered_at=_time(shipment.get("delivered_at")),
                events=tuple(TrackingEvent(_time(e["at"]), e["status"], e.get("location")) for e in shipment["events"]),
            ) if shipment else None,
            returns=tuple(Return(
                reason=r["reason"], help_requested_at=_time(r["help_requested_at"]),
                label_issued_at=_time(r.get("label_issued_at")), label_url=r.get("label_url"),
                carrier=r.get("carrier"), pickup_offered=r["pickup_offered"],
                tracking_number=r.get("tracking_number"), tracking_url=r.get("tracking_url"),
                shipped_at=_time(r.get("shipped_at")), received_at=_time(r.get("received_at")),
                refund_state=r["refund_state"],
                refund_amount=Decimal(str(r["refund_amount"])) if r.get("refund_amount") is not None else None,
                refund_currency=r.get("refund_currency"), refunded_at=_time(r.get("refunded_at")),
            ) for r in data["returns"]),
        )


@dataclass(frozen=True)
class Verification:
    """Whether the e-mail or postcode is the order's; after a "no" that used the last attempt,
    how long until the order can be checked again (None: another attempt may be made)."""

    verified: bool
    retry_after_s: Optional[int] = None

    def __bool__(self) -> bool:
        return self.verified


@dataclass(frozen=True)
class OrderSummary:
    number: str
    placed_at: datetime
    item_names: Tuple[str, ...]
    item_kinds: Tuple[str, ...] = ()


@dataclass(frozen=True)
class Customer:
    """A customer's full name, for the agent a conversation is handed to: never said by the assistant."""

    id: str
    name: str


class _GetRetry(Retry):
    """urllib3's Retry, except that a read that timed out is not tried again: a backend that
    was too slow once is likely slow again, and the customer is waiting."""

    def increment(self, method=None, url=None, response=None, error=None, _pool=None, _stacktrace=None):
        retry = self.new(read=False) if isinstance(error, ReadTimeoutError) else self
        return super(_GetRetry, retry).increment(method, url, response, error, _pool, _stacktrace)


# Only GETs are retried, being idempotent: a dropped connection (a keep-alive the backend
# had just closed, a restart) or a 502/503/504 from a proxy in front of it. A POST is never
# sent twice, since the backend may have acted on it before the connection broke: one
# wrong e-mail must count as one failed verification (POST /verifications), not two. urllib3
# does retry a POST whose connection could not even be opened, as nothing was sent.
RETRY = _GetRetry(total=2, connect=1, read=1, status=1, other=0, allowed_methods=frozenset({"GET"}),
                  status_forcelist=(502, 503, 504), backoff_factor=0.1, raise_on_status=False,
                  # The backend's Retry-After is about verifications paused for minutes (429),
                  # never something a customer waiting for a reply should sit out.
                  respect_retry_after_header=False)


class OrdersClient:
    def __init__(self, base_url: str, token: str, timeout_s: float = 3.0,
                 session: Optional[requests.Session] = None):
        self._base = base_url.rstrip("/")
        # Short connect timeout: a backend that is down should cost the customer little.
        self._timeout = (min(1.0, timeout_s), timeout_s)
        self._session = session or requests.Session()
        self._session.mount(self._base + "/", HTTPAdapter(max_retries=RETRY))
        self._session.headers.update({"Authorization": f"Bearer {token}", "Accept": "application/json"})

    def order(self, number: str) -> Order:
        if not is_order_number(number):
            raise OrdersError(INVALID, "an order number has 8 digits")
        return Order.from_json(self._get(f"/orders/{number}"))

    def verify(self, number: str, email: Optional[str] = None, postcode: Optional[str] = None,
               conversation: Optional[str] = None) -> Verification:
        """Whether the e-mail or delivery postcode is the order's; not verified for an unknown
        order too. `conversation` is who asks: the backend limits failed checks per
        conversation and order. Raises OrdersError TOO_MANY_ATTEMPTS or PAUSED when it won't check."""
        if not is_order_number(number) or not (email or postcode):
            return Verification(False)
        body = {"order_number": number, "email": email, "postcode": postcode, "conversation": conversation}
        answer = self._send("POST", "/verifications", json=body)
        return Verification(bool(answer["verified"]), answer.get("retry_after_s"))

    def customer_orders(self, customer_id: str) -> List[OrderSummary]:
        return [OrderSummary(o["number"], _time(o["placed_at"]), tuple(i["name"] for i in o["items"]),
                             tuple(i["device_kind"] for i in o["items"]))
                for o in self._get(f"/customers/{requests.utils.quote(customer_id, safe='')}/orders")]

    def customer(self, customer_id: str) -> Customer:
        answer = self._get(f"/customers/{requests.utils.quote(customer_id, safe='')}")
        return Customer(answer["id"], answer["name"])

    def photo_slots(self, number: str) -> List[str]:
        """The slots of the order's return that hold a photo, in the checklist's order."""
        if not is_order_number(number):
            raise OrdersError(INVALID, "an order number has 8 digits")
        return [photo["slot"] for photo in self._get(f"/orders/{number}/photos")]

    def _get(self, path: str):
        return self._send("GET", path)

    def _send(self, method: str, path: str, json: Optional[dict] = None):
        try:
            # Retries, where safe, happen inside: the session's adapter (RETRY).
            response = self._session.request(method, self._base + path, json=json, timeout=self._timeout)
        except requests.Timeout as error:
            raise OrdersError(UNAVAILABLE, "order backend timed out") from error
        except requests.RequestException as error:
            raise OrdersError(UNAVAILABLE, f"order backend unreachable: {error}") from error
        if response.status_code == 404:
            raise OrdersError(NOT_FOUND, "not found")
        if response.status_code == 429:
            raise OrdersError(PAUSED if _error_code(response) == PAUSED else TOO_MANY_ATTEMPTS,
                              "verifications refused for now", _retry_after(response))
        if response.status_code >= 500 or response.status_code in (401, 403):
            # A wrong API token is our misconfiguration: to the customer, unavailable.
            raise OrdersError(UNAVAILABLE, f"order backend error {response.status_code}")
        if response.status_code >= 400:
            raise OrdersError(INVALID, f"order backend refused the request ({response.status_code})")
        try:
            return response.json()
        except ValueError as error:
            raise OrdersError(UNAVAILABLE, "order backend answered with something other than JSON") from error
