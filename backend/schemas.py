"""What the API returns: the order as the assistant may see it. Names, phone numbers,
addresses and payment details are deliberately absent from it; a customer's name comes only
from its own route (CustomerName), for the support agent a conversation is handed to."""
from datetime import datetime
from decimal import Decimal
from typing import Annotated, List, Literal, Optional

from fastapi import Path
from pydantic import BaseModel, ConfigDict, Field, model_validator

from common.identifiers import ORDER_NUMBER_VALUE

# An order number in a route's path (/orders/{number}...).
OrderNumber = Annotated[str, Path(pattern=ORDER_NUMBER_VALUE, description="8 digits")]


class Model(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class ErrorBody(BaseModel):
    error: Literal["not_found", "invalid", "unauthorized", "too_many_attempts", "verifications_paused", "internal",
                   "link_invalid", "too_large", "store_unavailable"]
    message: str


class RefusedBody(ErrorBody):
    """429: this conversation used its attempts for the order (too_many_attempts), or checks
    of the order are paused for everyone (verifications_paused). Also in Retry-After."""

    retry_after_s: int


class SellerView(Model):
    name: str
    country: str
    subdivision: Optional[str]
    timezone: str


class CustomerView(Model):
    id: str
    timezone: str
    locale: str


class ItemView(Model):
    name: str
    device_kind: str
    large_device: bool


class TrackingEventView(Model):
    at: datetime
    status: str
    location: Optional[str]


class ShipmentView(Model):
    carrier: str
    tracking_number: str
    tracking_url: str
    shipped_at: datetime
    estimated_delivery_at: Optional[datetime]
    delivered_at: Optional[datetime]
    events: List[TrackingEventView]


class ReturnView(Model):
    reason: Literal["repair", "withdrawal"]
    help_requested_at: datetime
    label_issued_at: Optional[datetime]
    label_url: Optional[str]
    carrier: Optional[str]
    pickup_offered: bool
    tracking_number: Optional[str]
    tracking_url: Optional[str]
    shipped_at: Optional[datetime]
    received_at: Optional[datetime]
    refund_state: Literal["none", "pending", "refunded"]
    refund_amount: Optional[Decimal]
    refund_currency: Optional[str]
    refunded_at: Optional[datetime]


class OrderView(Model):
    number: str
    placed_at: datetime
    confirmed_at: Optional[datetime]
    payment_state: Literal["pending", "authorised", "declined"]
    decline_reason: Optional[str]
    confirmation_email_sent_at: Optional[datetime]
    customer: CustomerView
    seller: SellerView
    items: List[ItemView]
    shipment: Optional[ShipmentView]
    returns: List[ReturnView]


class VerificationRequest(BaseModel):
    order_number: str = Field(pattern=ORDER_NUMBER_VALUE)
    email: Optional[str] = Field(default=None, max_length=254)
    postcode: Optional[str] = Field(default=None, max_length=20)
    # Who is asking: the assistant's conversation id. Failed checks are limited per
    # conversation and order; callers that send none share one limit.
    conversation: Optional[str] = Field(default=None, max_length=200)

    @model_validator(mode="after")
    def something_to_check(self) -> "VerificationRequest":
        # A request with nothing to compare is a mistake, not a failed attempt.
        if not (self.email or "").strip() and not (self.postcode or "").strip():
            raise ValueError("give the e-mail address or the delivery postcode to check")
        return self


class VerificationResult(BaseModel):
    # Only yes or no: the same "no" for a wrong e-mail and for an order that does not exist.
    verified: bool
    # After a "no" that used this conversation's last attempt for the order (or paused the
    # order's checks): how long until it may be checked again. None: the caller may try again.
    retry_after_s: Optional[int] = None


class OrderSummary(Model):
    number: str
    placed_at: datetime
    items: List[ItemView]


class CustomerName(BaseModel):
    """A logged-in customer's full name, for the person who takes over their conversation: the
    assistant never says it. Nothing else about the customer."""

    id: str
    name: str


class PhotoView(Model):
    """A kept return photo: GET /photos/{id} serves it."""
    id: str
    slot: str
    width: int
    height: int
    taken_at: datetime


class PhotoRefusedBody(BaseModel):
    """An upload that isn't a usable photo: `reason` says why (backend/photo_checks.py)."""
    error: Literal["photo_refused"]
    reason: str
    message: str


class PhotoTaken(BaseModel):
    photo: PhotoView
    slots_filled: List[str]  # the order's slots that have a photo now, in the checklist's order
