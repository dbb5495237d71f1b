"""The order system's tables (SQLAlchemy 2). Times are stored in UTC."""
from datetime import datetime, timezone
from typing import List, Optional

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, Numeric, String, TypeDecorator, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class UTCDateTime(TypeDecorator):
    """Timezone-aware in Python, UTC in the database (SQLite keeps no zone)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        return value.replace(tzinfo=timezone.utc) if value is not None else None


class Base(DeclarativeBase):
    pass


class Customer(Base):
    __tablename__ = "customers"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    # Personal data the assistant never shows (kept for a realistic contract).
    full_name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[Optional[str]] = mapped_column(String(40))
    delivery_address: Mapped[str] = mapped_column(String(400))
    delivery_postcode: Mapped[str] = mapped_column(String(20))
    timezone: Mapped[str] = mapped_column(String(64))
    locale: Mapped[str] = mapped_column(String(16))
    orders: Mapped[List["Order"]] = relationship(back_populates="customer")


class Seller(Base):
    __tablename__ = "sellers"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2))
    subdivision: Mapped[Optional[str]] = mapped_column(String(16))
    timezone: Mapped[str] = mapped_column(String(64))


class Order(Base):
    __tablename__ = "orders"
    number: Mapped[str] = mapped_column(String(8), primary_key=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    seller_id: Mapped[str] = mapped_column(ForeignKey("sellers.id"))
    placed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    confirmed_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    payment_state: Mapped[str] = mapped_column(String(16))  # pending | authorised | declined
    decline_reason: Mapped[Optional[str]] = mapped_column(String(200))
    confirmation_email_sent_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    customer: Mapped[Customer] = relationship(back_populates="orders")
    seller: Mapped[Seller] = relationship()
    items: Mapped[List["OrderItem"]] = relationship(order_by="OrderItem.id")
    shipment: Mapped[Optional["Shipment"]] = relationship()
    returns: Mapped[List["Return"]] = relationship(order_by="Return.help_requested_at")


class OrderItem(Base):
    __tablename__ = "order_items"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    order_number: Mapped[str] = mapped_column(ForeignKey("orders.number"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    device_kind: Mapped[str] = mapped_column(String(32))
    large_device: Mapped[bool] = mapped_column(Boolean, default=False)


class Shipment(Base):
    __tablename__ = "shipments"
    order_number: Mapped[str] = mapped_column(ForeignKey("orders.number"), primary_key=True)
    carrier: Mapped[str] = mapped_column(String(64))
    tracking_number: Mapped[str] = mapped_column(String(64))
    tracking_url: Mapped[str] = mapped_column(String(500))
    shipped_at: Mapped[datetime] = mapped_column(UTCDateTime())
    estimated_delivery_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    delivered_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    events: Mapped[List["TrackingEvent"]] = relationship(order_by="TrackingEvent.at")


class TrackingEvent(Base):
    __tablename__ = "tracking_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    order_number: Mapped[str] = mapped_column(ForeignKey("shipments.order_number"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(200))
    location: Mapped[Optional[str]] = mapped_column(String(200))


class Return(Base):
    __tablename__ = "returns"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    order_number: Mapped[str] = mapped_column(ForeignKey("orders.number"), index=True)
    reason: Mapped[str] = mapped_column(String(16))  # repair | withdrawal
    help_requested_at: Mapped[datetime] = mapped_column(UTCDateTime())
    label_issued_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    label_url: Mapped[Optional[str]] = mapped_column(String(500))
    carrier: Mapped[Optional[str]] = mapped_column(String(64))
    pickup_offered: Mapped[bool] = mapped_column(Boolean, default=False)
    tracking_number: Mapped[Optional[str]] = mapped_column(String(64))
    tracking_url: Mapped[Optional[str]] = mapped_column(String(500))
    shipped_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    received_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    refund_state: Mapped[str] = mapped_column(String(16), default="none")  # none | pending | refunded
    refund_amount: Mapped[Optional[str]] = mapped_column(Numeric(10, 2))
    refund_currency: Mapped[Optional[str]] = mapped_column(String(3))
    refunded_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())


class FailedVerification(Base):
    """One e-mail or postcode that didn't match an order (POST /verifications), kept for the
    limits' window only. In the database rather than a process's memory, so that the limits
    survive a restart and every replica sees the same counts. No foreign key: failures for
    order numbers that don't exist count just the same, so the limits say nothing about
    which numbers do."""

    __tablename__ = "failed_verifications"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    order_number: Mapped[str] = mapped_column(String(8), index=True)
    # Who tried: a hash of the conversation id the assistant sends (never the id itself), or
    # "" for a caller that sends none.
    source: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class ReturnPhoto(Base):
    """A photo the return checklist asks for (backend/photo_checks.py), one per slot of an
    order: a retake replaces it. The JPEG is in the photo storage under `id`, which is
    random, so a photo's address can't be guessed."""

    __tablename__ = "return_photos"
    __table_args__ = (UniqueConstraint("order_number", "slot"),)
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    order_number: Mapped[str] = mapped_column(ForeignKey("orders.number"), index=True)
    slot: Mapped[str] = mapped_column(String(16))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    fingerprint: Mapped[str] = mapped_column(String(16))  # difference hash, hex: duplicates across slots
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class PhotoUpload(Base):
    """One upload of a return photo, accepted or refused, kept for the upload limits' window
    (backend/settings.py, PhotoKeeping): the limits hold across replicas and restarts."""

    __tablename__ = "photo_uploads"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    order_number: Mapped[str] = mapped_column(String(8), index=True)
    source: Mapped[str] = mapped_column(String(64))  # backend/conversations.py
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class SellerToken(Base):
    """A seller's API token, as its SHA-256 (the token itself is shown once, when issued:
    python -m backend.seller_tokens issue SELLER). It opens the seller's own orders' return
    photos, nothing else."""

    __tablename__ = "seller_tokens"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    seller_id: Mapped[str] = mapped_column(ForeignKey("sellers.id"), index=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime())
