"""What every service needs to agree on, defined once: the Rasa server (channels/, language/),
the action server (actions/), the order backend (backend/), the handoff service (handoff/) and
the demo shop (shop/) all import it from the repository root, which each runs with on its path.

- `common.identifiers`: what an order number, an e-mail address, a postcode and a customer
  token look like (as compiled patterns for text, and as pattern strings for pydantic,
  FastAPI and the spaCy pipeline's entity rules).
- `common.signing`: HMAC signatures made and checked one way (digest, constant-time
  comparison, the timestamp window against replays).
- `common.bearer`: the constant-time check of an `Authorization: Bearer <token>` header.
- `common.settings`: reading environment variables, with one SettingsError that names every
  missing or unusable setting at once.

The standard library only: each service keeps its own dependency set (requirements/), and
this package adds nothing to any of them (tests/test_common.py checks it).
"""
