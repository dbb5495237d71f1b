"""Return photos deleted with their files: a customer's on request, named by e-mail, customer
id or order number (make forget), and every photo past the retention (backend/photo_retention.py)."""
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.models import ReturnPhoto
from backend.photo_retention import expire, forget
from backend.photo_storage import LocalDisk, new_key
from seeded import seeded_database

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)
ANAS_ORDERS = ("40512345", "40512360")  # two of cus_ana's orders (backend/seed.yml)
SOMEONE_ELSES = "40512347"
ROOT = Path(__file__).parent.parent.parent


@pytest.fixture()
def world(tmp_path):
    url, engine = seeded_database(tmp_path, NOW)
    storage = LocalDisk(tmp_path / "photos")
    with Session(engine) as db:
        for number, days_ago in ((ANAS_ORDERS[0], 1), (ANAS_ORDERS[1], 100), (SOMEONE_ELSES, 1)):
            key = new_key()
            storage.put(key, b"\xff\xd8 a photo")
            db.add(ReturnPhoto(id=key, order_number=number, slot="front", width=800, height=600,
                               fingerprint="0" * 16, taken_at=NOW - timedelta(days=days_ago)))
        db.commit()
    return url, engine, storage, tmp_path / "photos"


def left(engine):
    with Session(engine) as db:
        return sorted(db.scalars(select(ReturnPhoto.order_number)))


@pytest.mark.parametrize("named", [["ana.martin@example.com"], ["cus_ana"], list(ANAS_ORDERS)])
def test_a_customers_photos_go_with_their_files_however_they_are_named(world, named):
    _, engine, storage, folder = world
    assert forget(engine, storage, named) == 2
    assert left(engine) == [SOMEONE_ELSES]
    assert len(list(folder.rglob("*.jpg"))) == 1


def test_photos_past_the_retention_go_and_newer_ones_stay(world):
    _, engine, storage, folder = world
    assert expire(engine, storage, days=90, now=NOW) == 1
    assert left(engine) == sorted([ANAS_ORDERS[0], SOMEONE_ELSES])
    assert len(list(folder.rglob("*.jpg"))) == 2


def test_the_command_reads_where_the_photos_are_from_the_environment(world, tmp_path):
    url, engine, _, folder = world
    done = subprocess.run([sys.executable, "-m", "backend.photo_retention", "cus_ana"], capture_output=True, text=True,
                          env={"BACKEND_DATABASE_URL": url, "BACKEND_PHOTO_DIR": str(folder), "PATH": "/usr/bin:/bin"},
                          cwd=ROOT, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "Deleted 2 return photo(s)" in done.stdout
    assert left(engine) == [SOMEONE_ELSES]
