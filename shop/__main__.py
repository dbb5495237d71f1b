"""`python -m shop`: serves the demo shop (make run starts it beside the assistant)."""
import logging

import uvicorn

from shop.app import create_app
from shop.settings import Settings


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    settings = Settings.from_environment()
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="warning")


if __name__ == "__main__":
    main()
