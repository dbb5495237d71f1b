"""`python -m shop`: serves the demo shop (make run starts it beside the assistant)."""
import logging
import sys

import uvicorn

from shop.app import create_app
from shop.settings import Settings, SettingsError


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # its request lines name customers and orders
    try:
        settings = Settings.from_environment()
    except SettingsError as error:
        print(f"The demo shop can't start: {error}", file=sys.stderr)
        return 2
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="warning")
    return 0


if __name__ == "__main__":
    sys.exit(main())
