"""`python -m backend`: migrates the database, seeds it when empty, serves the API."""
import logging
import sys
from pathlib import Path

import uvicorn
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from backend import seed
from backend.app import create_app
from backend.settings import Settings, SettingsError

HERE = Path(__file__).parent


def migrate(database_url: str) -> None:
    config = Config(str(HERE / "alembic.ini"))
    config.set_main_option("script_location", str(HERE / "migrations"))
    config.set_main_option("sqlalchemy.url", database_url)
    command.upgrade(config, "head")


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    try:
        settings = Settings.from_environment()
    except SettingsError as error:
        print(f"The order backend can't start: {error}", file=sys.stderr)
        return 2
    if settings.database_url.startswith("sqlite:///"):
        Path(settings.database_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    migrate(settings.database_url)
    engine = create_engine(settings.database_url)
    with Session(engine) as db:
        added = seed.load(db, settings.seed_file)
    if added:
        logging.info("seeded %d demo orders from %s", added, settings.seed_file)
    uvicorn.run(create_app(settings, engine), host=settings.host, port=settings.port, log_level="warning")
    return 0


if __name__ == "__main__":
    sys.exit(main())
