"""Loads backend/seed.yml into an empty database, with times relative to now."""
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Optional

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.models import Customer, Order, OrderItem, Return, Seller, Shipment, TrackingEvent

_OFFSET = re.compile(r"^([+-])((?:\d+[dhm])+)$")
_PART = re.compile(r"(\d+)([dhm])")
_UNITS = {"d": "days", "h": "hours", "m": "minutes"}


def relative(text: Optional[str], now: datetime) -> Optional[datetime]:
    """"-2d3h" -> two days and three hours before now; "+1d" -> a day after."""
    if text is None:
        return None
    match = _OFFSET.match(str(text).strip())
    if not match:
        raise ValueError(f"bad relative time {text!r}: use e.g. -2d3h or +1d")
    delta = timedelta(**{_UNITS[u]: int(n) for n, u in _PART.findall(match.group(2))})
    return now + delta if match.group(1) == "+" else now - delta


def load(db: Session, seed_file: Path, now: Optional[datetime] = None) -> int:
    """Seeds an empty database; returns how many orders were added (0 if it had data)."""
    if db.scalar(select(Order.number).limit(1)) is not None:
        return 0
    now = now or datetime.now(timezone.utc)
    data = yaml.safe_load(seed_file.read_text())
    db.add_all(Seller(**s) for s in data["sellers"])
    db.add_all(Customer(**c) for c in data["customers"])
    for o in data["orders"]:
        number = o["number"]
        db.add(Order(number=number, customer_id=o["customer"], seller_id=o["seller"],
                     placed_at=relative(o["placed"], now), confirmed_at=relative(o.get("confirmed"), now),
                     payment_state=o["payment"], decline_reason=o.get("decline_reason"),
                     confirmation_email_sent_at=relative(o.get("email_sent"), now)))
        for item in o["items"]:
            db.add(OrderItem(order_number=number, name=item["name"], device_kind=item["kind"],
                             large_device=item.get("large", False)))
        if "shipment" in o:
            s = o["shipment"]
            db.add(Shipment(order_number=number, carrier=s["carrier"], tracking_number=s["tracking_number"],
                            tracking_url=s["tracking_url"], shipped_at=relative(s["shipped"], now),
                            estimated_delivery_at=relative(s.get("estimated_delivery"), now),
                            delivered_at=relative(s.get("delivered"), now)))
            for e in s.get("events", []):
                db.add(TrackingEvent(order_number=number, at=relative(e["at"], now), status=e["status"],
                                     location=e.get("location")))
        for r in o.get("returns", []):
            db.add(Return(order_number=number, reason=r["reason"], help_requested_at=relative(r["help_requested"], now),
                          label_issued_at=relative(r.get("label_issued"), now), label_url=r.get("label_url"),
                          carrier=r.get("carrier"), pickup_offered=r.get("pickup_offered", False),
                          tracking_number=r.get("tracking_number"), tracking_url=r.get("tracking_url"),
                          shipped_at=relative(r.get("shipped"), now), received_at=relative(r.get("received"), now),
                          refund_state=r.get("refund_state", "none"), refund_amount=r.get("refund_amount"),
                          refund_currency=r.get("refund_currency"), refunded_at=relative(r.get("refunded"), now)))
    db.commit()
    return len(data["orders"])
