"""What the support team sees of the assistant, and how it teaches it (README, "Insights").

The event broker's feed (feed.py, stores/event_broker.py), a record per conversation built from
it (record.py, ingest.py, filling the feed's gaps from the tracker store through
handoff/conversations.py), the figures of /desk/insights (figures.py) and the review queue of
misunderstood messages (review.py, export.py). Plain Python and SQLAlchemy Core: the handoff service runs the reader and serves
the pages; `make forget` and `make review-export` use the same tables.
"""
