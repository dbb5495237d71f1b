"""The backend's settings: environment variables, read here only.

The API token has no default: without BACKEND_API_TOKEN the backend does not start (`make run`
passes it the generated development ORDERS_API_TOKEN).
"""
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Tuple

from common.settings import Environment, SettingsError  # SettingsError: what from_environment raises

ROOT = Path(__file__).resolve().parent.parent
PHOTO_DIR = ROOT / "var" / "photos"  # where return photos are kept on disk by default


@dataclass(frozen=True)
class VerificationLimits:
    """How many e-mails or postcodes that don't match an order are checked (POST /verifications).

    One conversation gets `per_conversation` failed checks of an order per window, then it
    is refused that order until the window frees one: it is guessing. All conversations
    together get `per_order` failed checks of an order per window; past that, each further
    check of the order waits `pause_s` after the latest failure. A pause, never a lock: a
    stranger's guesses can delay the real customer by minutes, not lock them out."""

    window_s: int = 3600
    per_conversation: int = 5
    # Two guessing conversations' worth: more than a customer's own typos ever reach.
    per_order: int = 10
    # At most one guess per order every 5 minutes once it's under attack, and what the real
    # customer may have to wait.
    pause_s: int = 300

    @classmethod
    def from_environment(cls, env: Optional[Environment] = None) -> "VerificationLimits":
        """The limits the environment sets; with `env`, its problems are left to the caller's
        env.check() (Settings names them with its own)."""
        own = env is None
        env = env or Environment()
        defaults = cls()
        limits = cls(**{name: env.whole_number(variable, getattr(defaults, name), minimum=1) for name, variable in (
            ("window_s", "BACKEND_VERIFICATION_WINDOW_S"),
            ("per_conversation", "BACKEND_VERIFICATION_CONVERSATION_LIMIT"),
            ("per_order", "BACKEND_VERIFICATION_ORDER_LIMIT"),
            ("pause_s", "BACKEND_VERIFICATION_PAUSE_S"))})
        if own:
            env.check()
        return limits


@dataclass(frozen=True)
class PhotoKeeping:
    """Where the order database and the return photos are, and how long a photo is kept: a
    return needs its photos for the seller's checks and a dispute, not for ever. Read without
    the API token, for the retention job (backend/photo_retention.py)."""
    database_url: str
    photo_dir: Path = PHOTO_DIR
    retention_days: int = 90
    # "disk" (photo_dir) or "s3": an S3-compatible bucket (credentials: boto3's AWS_* variables).
    store: str = "disk"
    s3_bucket: Optional[str] = None
    s3_prefix: str = "return-photos/"
    s3_endpoint_url: Optional[str] = None  # MinIO, Ceph ...; AWS's own when unset
    # Uploads (accepted or refused) per window: eight slots and a few retakes each are far
    # below these; a script pouring files into an order is not.
    upload_window_s: int = 3600
    uploads_per_conversation: int = 40
    uploads_per_order: int = 100
    # A virus scanner every upload goes through first (backend/photo_scan.py), e.g.
    # "clamdscan --no-summary --fdpass -"; unset, none.
    scan_command: Optional[str] = None

    @classmethod
    def from_environment(cls, env: Optional[Environment] = None) -> "PhotoKeeping":
        own = env is None
        env = env or Environment()
        keeping = cls(
            # SQLite file by default; PostgreSQL with postgresql+psycopg://user:pass@host/db
            database_url=env.get("BACKEND_DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'backend.db'}"),
            photo_dir=Path(env.get("BACKEND_PHOTO_DIR", str(PHOTO_DIR))),
            retention_days=env.whole_number("BACKEND_PHOTO_RETENTION_DAYS", cls.retention_days, minimum=1),
            store=env.get("BACKEND_PHOTO_STORE", "disk"),
            s3_bucket=env.get("BACKEND_S3_BUCKET"),
            s3_prefix=env.get("BACKEND_S3_PREFIX", cls.s3_prefix),
            s3_endpoint_url=env.get("BACKEND_S3_ENDPOINT_URL"),
            upload_window_s=env.whole_number("BACKEND_PHOTO_UPLOAD_WINDOW_S", cls.upload_window_s, minimum=1),
            uploads_per_conversation=env.whole_number("BACKEND_PHOTO_UPLOADS_PER_CONVERSATION",
                                                      cls.uploads_per_conversation, minimum=1),
            uploads_per_order=env.whole_number("BACKEND_PHOTO_UPLOADS_PER_ORDER", cls.uploads_per_order, minimum=1),
            scan_command=env.get("BACKEND_PHOTO_SCAN_COMMAND") or None)
        if keeping.store not in ("disk", "s3"):
            env.problem(f"BACKEND_PHOTO_STORE is {keeping.store!r}: it must be disk or s3")
        if keeping.store == "s3" and not keeping.s3_bucket:
            env.problem("BACKEND_PHOTO_STORE=s3 needs BACKEND_S3_BUCKET, the bucket the photos go to")
        if own:
            env.check()
        return keeping


@dataclass(frozen=True)
class Settings:
    database_url: str
    api_token: str
    host: str
    port: int
    seed_file: Path
    verification: VerificationLimits = field(default_factory=VerificationLimits)
    # Where the kept return photos are, and for how long (backend/photo_storage.py).
    photos: Optional[PhotoKeeping] = None
    # Web pages whose chat widget uploads return photos straight here through their signed
    # links (CORS): the widget's pages (WIDGET_ALLOWED_ORIGINS). Nothing else is open to them.
    photo_origins: Tuple[str, ...] = ()

    @classmethod
    def from_environment(cls) -> "Settings":
        env = Environment()  # every problem at once: one restart to fix them
        # Every request but /health needs "Authorization: Bearer <token>".
        api_token = env.required("BACKEND_API_TOKEN", "the token every API request must carry")
        port = env.whole_number("BACKEND_PORT", 8000)
        verification = VerificationLimits.from_environment(env)
        keeping = PhotoKeeping.from_environment(env)
        env.check()
        return cls(
            database_url=keeping.database_url,
            api_token=api_token,
            host=env.get("BACKEND_HOST", "127.0.0.1"),
            port=port,
            seed_file=Path(env.get("BACKEND_SEED_FILE", Path(__file__).with_name("seed.yml"))),
            verification=verification,
            photos=keeping,
            photo_origins=tuple(origin.rstrip("/") for origin in env.get("BACKEND_PHOTO_ORIGINS", "").replace(",", " ").split()),
        )
