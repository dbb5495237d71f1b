"""Deletes customers' conversations from the tracker store, their handoffs to a person from the
handoff service's database, and what the insights hold of them (their feed, records and
messages under review): GDPR erasure and retention.

    make forget WHO="ana.martin@example.com 40512351 cus_ana"   # every conversation that mentions any of them
    make forget OLDER_THAN_DAYS=30                              # conversations idle for longer (retention)

A conversation "mentions" a customer when any of its events contains one of the given
identifiers (e-mail address, order number, customer id). A logged-in customer's messages
carry the customer id their token claimed (`claimed_customer_id`: the tracker store keeps
that instead of the token, stores/tracker_store.py); conversations stored before that kept
the tokens themselves, and the customer id inside them is read too.

Works on the SQLite tracker store (TRACKER_DB) or any SQLAlchemy URL (TRACKER_STORE_URL,
e.g. PostgreSQL); the handoffs in HANDOFF_DATABASE_URL (var/handoff.db by default); the
insights in INSIGHTS_DB_URL (or the SQLite file INSIGHTS_DB, var/insights.db by default).
"""
import argparse
import base64
import json
import os
import sys
import time
from typing import Iterable, List, Set

import sqlalchemy as sa

from common.identifiers import TOKEN
from insights import erasure, location as insights_location
from tools.services import ROOT


def _token_subjects(text: str) -> Set[str]:
    """`sub` of every JWT in the text (read, not verified: we are deleting, not trusting); for
    conversations stored with their tokens, before the tracker store dropped them."""
    subjects = set()
    for token in TOKEN.findall(text):
        payload = token.split(".")[1]
        if not payload.startswith("eyJ"):  # not a JSON object: no claims
            continue
        try:
            claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
            subjects.add(str(claims.get("sub", "")))
        except (ValueError, TypeError):
            continue
    return subjects


def mentions(event_data: Iterable[str], identifiers: Iterable[str]) -> bool:
    wanted = {i.strip().lower() for i in identifiers if i.strip()}
    for data in event_data:
        lowered = (data or "").lower()
        if any(identifier in lowered for identifier in wanted):
            return True
        if wanted & {s.lower() for s in _token_subjects(data or "")}:
            return True
    return False


def _events(engine) -> sa.Table:
    return sa.Table("events", sa.MetaData(), autoload_with=engine)


def forget_customer(engine, identifiers: List[str]) -> List[str]:
    """Deletes the conversations that mention the customer; returns their conversation ids."""
    events = _events(engine)
    with engine.begin() as db:
        senders = [row[0] for row in db.execute(sa.select(events.c.sender_id).distinct())]
        doomed = [s for s in senders
                  if mentions((r[0] for r in db.execute(sa.select(events.c.data).where(events.c.sender_id == s))),
                              identifiers)]
        if doomed:
            db.execute(sa.delete(events).where(events.c.sender_id.in_(doomed)))
    return doomed


def forget_older_than(engine, days: float) -> List[str]:
    """Deletes conversations whose latest event is older than `days` days (retention)."""
    events = _events(engine)
    cutoff = time.time() - days * 86400
    with engine.begin() as db:
        latest = sa.select(events.c.sender_id).group_by(events.c.sender_id).having(
            sa.func.max(events.c.timestamp) < cutoff)
        doomed = [row[0] for row in db.execute(latest)]
        if doomed:
            db.execute(sa.delete(events).where(events.c.sender_id.in_(doomed)))
    return doomed


def forget_handoffs(engine, conversation_ids: List[str]) -> int:
    """Deletes the handoffs of these conversations, with every message they carried."""
    inspector = sa.inspect(engine)
    if not conversation_ids or not inspector.has_table("handoffs"):
        return 0
    metadata = sa.MetaData()
    handoffs = sa.Table("handoffs", metadata, autoload_with=engine)
    messages = sa.Table("messages", metadata, autoload_with=engine)
    with engine.begin() as db:
        ids = [row[0] for row in db.execute(sa.select(handoffs.c.id).where(
            handoffs.c.conversation_id.in_(conversation_ids)))]
        if ids:
            db.execute(sa.delete(messages).where(messages.c.handoff_id.in_(ids)))
            db.execute(sa.delete(handoffs).where(handoffs.c.id.in_(ids)))
    return len(ids)


def tracker_store_url() -> str:
    return os.environ.get("TRACKER_STORE_URL") or f"sqlite:///{os.environ['TRACKER_DB']}"


def handoff_database_url() -> str:
    return os.environ.get("HANDOFF_DATABASE_URL") or f"sqlite:///{ROOT / 'var' / 'handoff.db'}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("identifiers", nargs="*", help="e-mail addresses, order numbers, customer ids")
    parser.add_argument("--older-than-days", type=float, help="retention: delete idle conversations")
    args = parser.parse_args()
    if not args.identifiers and args.older_than_days is None:
        parser.error("name a customer (e-mail, order numbers, customer id) or --older-than-days")
    engine = sa.create_engine(tracker_store_url())
    if not sa.inspect(engine).has_table("events"):
        print("No conversations stored yet.")
        return 0
    handoffs = sa.create_engine(handoff_database_url())
    insights = sa.create_engine(insights_location.url_from())
    if args.identifiers:
        gone = forget_customer(engine, args.identifiers)
        print(f"Deleted {len(gone)} conversation(s) mentioning {len(args.identifiers)} identifier(s), "
              f"{forget_handoffs(handoffs, gone)} handoff(s) to a person and {erasure.forget(insights, gone)} "
              "insights record(s).")
    if args.older_than_days is not None:
        gone = forget_older_than(engine, args.older_than_days)
        print(f"Deleted {len(gone)} conversation(s) idle for more than {args.older_than_days:g} days, "
              f"{forget_handoffs(handoffs, gone)} handoff(s) to a person and {erasure.forget(insights, gone)} "
              "insights record(s).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
