"""`make run`: starts the assistant, says where to talk to it, stops everything on Ctrl-C."""
import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

from tools.services import MODEL, RASA_VENV, ROOT, SECRETS_FILE, Assistant, ServiceError, development_secrets


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shell", action="store_true", help="talk in this terminal")
    args = parser.parse_args()
    secrets, generated, stored = development_secrets(SECRETS_FILE)
    say_which_secrets_are_for_development(generated, stored)
    # make exports these from defaults.mk (or the caller's environment).
    assistant = Assistant(
        rasa_port=int(os.environ["RASA_PORT"]),
        action_port=int(os.environ["ACTION_PORT"]),
        host=os.environ["RASA_HOST"],
        action_host=os.environ["ACTION_HOST"],
        tracker_db=Path(os.environ["TRACKER_DB"]),
        insights_db=Path(os.environ["INSIGHTS_DB"]),
        backend_port=int(os.environ["BACKEND_PORT"]),
        shop_port=int(os.environ["SHOP_PORT"]),
        handoff_port=int(os.environ["HANDOFF_PORT"]),
        backend_db=Path(os.environ["BACKEND_DB"]),
        secrets=secrets,
    )
    started = time.monotonic()

    def serve() -> int:
        if args.shell:
            return talk_in_terminal(assistant)
        print("Starting the order backend, the action server, the Rasa server and the demo shop ...", flush=True)
        assistant.start()
        print(
            f"\nThe assistant is ready ({time.monotonic() - started:.0f} s).\n"
            f"  Demo shop with the chat widget: {assistant.shop_url}/ "
            f"(log in as a demo customer, then \"My orders\")\n"
            f"  REST:  curl -s -X POST {assistant.rest_webhook} \\\n"
            f"           -H 'Content-Type: application/json' -d '{{\"sender\": \"me\", \"message\": \"where is my order?\"}}'\n"
            f"  Agent desk (handoffs to a person): {assistant.desk_url} "
            f"(demo agent \"maria\", password in var/desk-agents.demo-password)\n"
            f"  Insights and review queue: {assistant.desk_url}/insights "
            f"(demo team lead \"lena\", password in var/desk-agents.demo-lead-password)\n"
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

    return run_until_stopped(assistant, serve)


def run_until_stopped(assistant, serve: Callable[[], int]) -> int:
    """`serve()` (start, say where, wait) and its exit status; a start that fails says why.
    Ctrl-C, `kill` and a closed terminal all stop everything, even when this process was
    started with SIGINT ignored (as background jobs of scripts are)."""
    signal.signal(signal.SIGINT, signal.default_int_handler)
    for stop_signal in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(stop_signal, lambda *_: sys.exit(0))
    try:
        return serve()
    except ServiceError as error:
        print(f"Could not start the assistant: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        print("\nStopping ...", flush=True)
        assistant.stop()


def say_which_secrets_are_for_development(generated, stored) -> None:
    where = SECRETS_FILE.relative_to(ROOT)
    if generated:
        print(f"Generated development secrets for {', '.join(generated)} into {where} (readable by you "
              "only); later starts use them. Fine on a laptop: set your own anywhere else (README, Settings).",
              flush=True)
    if stored:
        print(f"Using the development secrets of {where} for {', '.join(stored)}: fine on a laptop, "
              "set your own anywhere else (README, Settings).", flush=True)


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
