"""A fresh backend database for a test: the real migrations, then the demo seed."""
from datetime import datetime
from pathlib import Path
from typing import Tuple

from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import Session

from backend import seed
from backend.__main__ import migrate

SEED = Path(__file__).parent.parent / "seed.yml"


def seeded_database(folder: Path, now: datetime) -> Tuple[str, Engine]:
    url = f"sqlite:///{folder / 'orders.db'}"
    migrate(url)  # the real migrations, not create_all
    engine = create_engine(url)
    with Session(engine) as db:
        seed.load(db, SEED, now=now)
    return url, engine
