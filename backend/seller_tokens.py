"""Sellers' API tokens: issued once, kept only as their SHA-256, revoked by deleting them.

    python -m backend.seller_tokens issue sel_london     # prints the new token, once
    python -m backend.seller_tokens revoke sel_london    # every token of the seller

A token is 256 random bits: a hash without a salt keeps it safe at rest, and looking it up is
one indexed query."""
import argparse
import hashlib
import secrets
import sys
from datetime import datetime, timezone
from typing import Optional

from sqlalchemy import Engine, create_engine, delete
from sqlalchemy.orm import Session

from backend.models import Seller, SellerToken
from backend.settings import PhotoKeeping
from common import bearer

PREFIX = "seller_"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue(engine: Engine, seller_id: str, now: Optional[datetime] = None) -> str:
    with Session(engine) as db:
        if db.get(Seller, seller_id) is None:
            raise LookupError(f"no seller {seller_id!r}")
        token = PREFIX + secrets.token_urlsafe(32)
        db.add(SellerToken(token_hash=_hash(token), seller_id=seller_id, issued_at=now or datetime.now(timezone.utc)))
        db.commit()
    return token


def revoke(engine: Engine, seller_id: str) -> int:
    with Session(engine) as db:
        gone = db.execute(delete(SellerToken).where(SellerToken.seller_id == seller_id)).rowcount
        db.commit()
    return gone


def seller_of(db: Session, authorization: Optional[str]) -> Optional[str]:
    """The seller an `Authorization: Bearer <token>` header's token was issued to, else None."""
    token = bearer.token(authorization)
    if not token or not token.startswith(PREFIX):
        return None
    row = db.get(SellerToken, _hash(token))
    return row.seller_id if row else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=("issue", "revoke"))
    parser.add_argument("seller", help="the seller's id (backend/seed.yml: sel_london ...)")
    args = parser.parse_args()
    engine = create_engine(PhotoKeeping.from_environment().database_url)
    if args.action == "issue":
        try:
            print(issue(engine, args.seller))
        except LookupError as unknown:
            print(unknown, file=sys.stderr)
            return 2
    else:
        print(f"Revoked {revoke(engine, args.seller)} token(s) of {args.seller}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
