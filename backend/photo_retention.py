"""Return photos deleted: a customer's, on request (`make forget WHO=...`: GDPR erasure), and
every photo older than the retention (`make forget OLDER_THAN_DAYS=...` runs it too;
BACKEND_PHOTO_RETENTION_DAYS, 90 by default). The row and its file go together.

    python -m backend.photo_retention ana.martin@example.com 40512351 cus_ana
    python -m backend.photo_retention --expired
"""
import argparse
import sys
from datetime import datetime, timedelta, timezone
from typing import Iterable, List, Optional

from sqlalchemy import Engine, create_engine, inspect, or_, select
from sqlalchemy.orm import Session

from backend.models import Customer, Order, ReturnPhoto
from backend.photo_storage import PhotoStorage, open_storage
from backend.settings import PhotoKeeping


def orders_of(db: Session, identifiers: Iterable[str]) -> List[str]:
    """The order numbers the identifiers name: order numbers themselves, and every order of
    the customers named by e-mail address or customer id."""
    wanted = [i.strip() for i in identifiers if i.strip()]
    customers = select(Customer.id).where(or_(Customer.id.in_(wanted),
                                              Customer.email.in_([w.lower() for w in wanted])))
    return list(db.scalars(select(Order.number).where(or_(Order.number.in_(wanted),
                                                           Order.customer_id.in_(customers)))))


def _delete(db: Session, storage: PhotoStorage, photos: List[ReturnPhoto]) -> int:
    keys = [photo.id for photo in photos]
    for photo in photos:
        db.delete(photo)
    db.commit()
    for key in keys:  # the rows first: a file left by a crash is unreachable, never a row without its file
        storage.delete(key)
    return len(keys)


def forget(engine: Engine, storage: PhotoStorage, identifiers: Iterable[str]) -> int:
    """Deletes the return photos of the orders the identifiers name; how many."""
    with Session(engine) as db:
        numbers = orders_of(db, identifiers)
        return _delete(db, storage, list(db.scalars(select(ReturnPhoto).where(ReturnPhoto.order_number.in_(numbers)))))


def expire(engine: Engine, storage: PhotoStorage, days: int, now: Optional[datetime] = None) -> int:
    """Deletes the return photos taken more than `days` days ago; how many."""
    cutoff = (now or datetime.now(timezone.utc)) - timedelta(days=days)
    with Session(engine) as db:
        return _delete(db, storage, list(db.scalars(select(ReturnPhoto).where(ReturnPhoto.taken_at < cutoff))))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("identifiers", nargs="*", help="e-mail addresses, order numbers, customer ids")
    parser.add_argument("--expired", action="store_true", help="delete photos older than the retention")
    args = parser.parse_args()
    if not args.identifiers and not args.expired:
        parser.error("name a customer (e-mail, order numbers, customer id) or --expired")
    keeping = PhotoKeeping.from_environment()
    engine = create_engine(keeping.database_url)
    if not inspect(engine).has_table("return_photos"):
        print("No return photos stored yet.")
        return 0
    storage = open_storage(keeping)
    if args.identifiers:
        print(f"Deleted {forget(engine, storage, args.identifiers)} return photo(s) of the orders named.")
    if args.expired:
        print(f"Deleted {expire(engine, storage, keeping.retention_days)} return photo(s) older than "
              f"{keeping.retention_days} days.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
