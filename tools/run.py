"""`make run`: starts the assistant, says where to talk to it, stops everything on Ctrl-C."""
import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tools.services import DEVELOPMENT_TOKEN, MODEL, RASA_VENV, Assistant, ServiceError


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shell", action="store_true", help="talk in this terminal")
    args = parser.parse_args()
    # make exports these from defaults.mk (or the caller's environment).
    assistant = Assistant(
        rasa_port=int(os.environ["RASA_PORT"]),
        action_port=int(os.environ["ACTION_PORT"]),
        host=os.environ["RASA_HOST"],
        action_host=os.environ["ACTION_HOST"],
        tracker_db=Path(os.environ["TRACKER_DB"]),
        backend_port=int(os.environ["BACKEND_PORT"]),
        shop_port=int(os.environ["SHOP_PORT"]),
        backend_db=Path(os.environ["BACKEND_DB"]),
        api_token=os.environ["ORDERS_API_TOKEN"],
    )
    # Ctrl-C, `kill` and a closed terminal all end in the `finally` below, even when this
    # process was started with SIGINT ignored (as background jobs of scripts are).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    for stop_signal in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(stop_signal, lambda *_: sys.exit(0))
    started = time.monotonic()
    try:
        if args.shell:
            return talk_in_terminal(assistant)
        development = [name for name, in_use in (
            ("ORDERS_API_TOKEN", assistant.api_token == DEVELOPMENT_TOKEN),
            ("CUSTOMER_TOKEN_SECRET", not (os.environ.get("CUSTOMER_TOKEN_SECRET")
                                           or os.environ.get("CUSTOMER_TOKEN_PUBLIC_KEY"))),
        ) if in_use]
        if development:
            print(f"Using development secrets for {', '.join(development)}: fine on a laptop, "
                  "set your own anywhere else (README, Settings).", flush=True)
        print("Starting the order backend, the action server, the Rasa server and the demo shop ...", flush=True)
        assistant.start()
        print(
            f"\nThe assistant is ready ({time.monotonic() - started:.0f} s).\n"
            f"  Demo shop with the chat widget: {assistant.shop_url}/ "
            f"(log in as a demo customer, then \"My orders\")\n"
            f"  REST:  curl -s -X POST {assistant.rest_webhook} \\\n"
            f"           -H 'Content-Type: application/json' -d '{{\"sender\": \"me\", \"message\": \"where is my order?\"}}'\n"
            f"  Order backend API: http://{assistant.host}:{assistant.backend_port}/docs "
            "(demo orders: backend/seed.yml)\n"
            f"  Logs:  {assistant.log_dir}/\n"
            "Press Ctrl-C to stop.",
            flush=True,
        )
        while all(s.process.poll() is None for s in assistant.services):
            time.sleep(1)
        dead = next(s for s in assistant.services if s.process.poll() is not None)
        print(f"{dead.name} stopped unexpectedly:\n{dead.log_tail()}", file=sys.stderr)
        return 1
    except ServiceError as error:
        print(f"Could not start the assistant: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        print("\nStopping ...", flush=True)
        assistant.stop()


def talk_in_terminal(assistant: Assistant) -> int:
    backend, actions, *_ = assistant.build()
    for service in (backend, actions):
        service.start()
        service.wait_ready(60)
    env = {**os.environ, "ACTION_SERVER_URL": actions.env["ACTION_SERVER_URL"],
           "TRACKER_DB": actions.env["TRACKER_DB"]}
    shell = subprocess.run(
        [str(RASA_VENV / "bin" / "rasa"), "shell", "--model", str(MODEL),
         "--endpoints", "endpoints.yml", "--port", str(assistant.rasa_port)],
        env=env,
    )
    return shell.returncode


if __name__ == "__main__":
    sys.exit(main())
