"""The backend's settings: environment variables, read here only, with laptop defaults."""
import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEVELOPMENT_TOKEN = "dev-only-token-change-me"


@dataclass(frozen=True)
class Settings:
    database_url: str
    api_token: str
    host: str
    port: int
    seed_file: Path

    @classmethod
    def from_environment(cls) -> "Settings":
        return cls(
            # SQLite file by default; PostgreSQL with postgresql+psycopg://user:pass@host/db
            database_url=os.environ.get("BACKEND_DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'backend.db'}"),
            # Every request but /health needs "Authorization: Bearer <token>".
            api_token=os.environ.get("BACKEND_API_TOKEN", DEVELOPMENT_TOKEN),
            host=os.environ.get("BACKEND_HOST", "127.0.0.1"),
            port=int(os.environ.get("BACKEND_PORT", "8000")),
            seed_file=Path(os.environ.get("BACKEND_SEED_FILE", Path(__file__).with_name("seed.yml"))),
        )
