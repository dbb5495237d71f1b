"""`make run-scaled`: the assistant on Rasa's production stack on this machine (tools/scaled.py):
PostgreSQL, Redis, nginx in front of RASA_REPLICAS Rasa servers, the action server with
ACTION_WORKERS processes. Says where to talk to it; a replica that dies is started again
(nginx sends its conversations to the others meanwhile); Ctrl-C stops everything."""
import os
import subprocess
import sys
import time

from tools.run import run_until_stopped, say_which_secrets_are_for_development
from tools.scaled import STATE_DIR, ScaledAssistant, infrastructure_secrets
from tools.services import RASA_VENV, ROOT, SECRETS_FILE, development_secrets

# A replica that dies again this soon after it was started again is not started a third time.
CRASH_LOOP_S = 60


def main() -> int:
    secrets, generated, stored = development_secrets(SECRETS_FILE)
    passwords, generated_passwords = infrastructure_secrets(SECRETS_FILE)
    passwords_from_file = [name for name in passwords if name not in generated_passwords and not os.environ.get(name)]
    say_which_secrets_are_for_development(generated + generated_passwords, stored + passwords_from_file)
    # make exports these from defaults.mk (or the caller's environment).
    assistant = ScaledAssistant(
        rasa_port=int(os.environ["RASA_PORT"]), action_port=int(os.environ["ACTION_PORT"]),
        host=os.environ["RASA_HOST"], action_host=os.environ["ACTION_HOST"],
        backend_port=int(os.environ["BACKEND_PORT"]), shop_port=int(os.environ["SHOP_PORT"]),
        handoff_port=int(os.environ["HANDOFF_PORT"]), secrets=secrets,
        replicas=int(os.environ["RASA_REPLICAS"]), action_workers=int(os.environ["ACTION_WORKERS"]),
        postgres_port=int(os.environ["SCALED_POSTGRES_PORT"]), redis_port=int(os.environ["SCALED_REDIS_PORT"]),
        rabbitmq_port=int(os.environ["SCALED_RABBITMQ_PORT"]), rabbitmq_password=passwords["SCALED_RABBITMQ_PASSWORD"],
        state_dir=STATE_DIR, log_dir=STATE_DIR / "log",
        database_password=passwords["SCALED_DATABASE_PASSWORD"], redis_password=passwords["SCALED_REDIS_PASSWORD"],
    )
    started = time.monotonic()

    def serve() -> int:
        print(f"Starting PostgreSQL, Redis, RabbitMQ, the order backend, the action server ({assistant.action_workers} "
              f"workers), {assistant.replicas} Rasa servers behind nginx, the demo shop and the handoff service ...",
              flush=True)
        assistant.start()
        forget_old_conversations(assistant)
        print(
            f"\nThe assistant is ready ({time.monotonic() - started:.0f} s), {assistant.replicas} Rasa servers "
            "behind nginx.\n"
            f"  Demo shop with the chat widget: {assistant.shop_url}/\n"
            f"  REST (through nginx):  curl -s -X POST {assistant.rest_webhook} -H 'Content-Type: application/json' \\\n"
            f"           -H 'X-Conversation-Id: me' -d '{{\"sender\": \"me\", \"message\": \"where is my order?\"}}'\n"
            f"  Agent desk: {assistant.desk_url}\n"
            f"  PostgreSQL: 127.0.0.1:{assistant.postgres_port}, databases tracker, backend, handoff, user "
            f"assistant (password: SCALED_DATABASE_PASSWORD in {SECRETS_FILE.relative_to(ROOT)})\n"
            f"  Data and logs: {STATE_DIR.relative_to(ROOT)}/ (logs in log/)\n"
            "Press Ctrl-C to stop.",
            flush=True,
        )
        return supervise(assistant)

    return run_until_stopped(assistant, serve)


def supervise(assistant: ScaledAssistant) -> int:
    """Starts a dead replica again, as Kubernetes would; anything else dying stops everything."""
    restarted = {}
    while True:
        time.sleep(1)
        for service in assistant.infrastructure + assistant.services:
            if service.process.poll() is None:
                continue
            if (service in assistant.replica_services
                    and time.monotonic() - restarted.get(service.name, -CRASH_LOOP_S) > CRASH_LOOP_S):
                print(f"{service.name} stopped unexpectedly; nginx sends its conversations to the others, and it "
                      f"starts again:\n{service.log_tail(10)}", file=sys.stderr, flush=True)
                restarted[service.name] = time.monotonic()
                service.start()
                continue
            print(f"{service.name} stopped unexpectedly:\n{service.log_tail()}", file=sys.stderr)
            return 1


def forget_old_conversations(assistant: ScaledAssistant) -> None:
    """Retention, as `make run` does it at start (tools/forget.py), on PostgreSQL."""
    subprocess.run(
        [str(RASA_VENV / "bin" / "python"), "-m", "tools.forget", "--older-than-days",
         os.environ.get("CONVERSATION_RETENTION_DAYS", "30")],
        cwd=ROOT, check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT),
             # Rasa's virtualenv has psycopg2, SQLAlchemy's default PostgreSQL driver.
             "TRACKER_STORE_URL": assistant.database_url("tracker", driver="postgresql"),
             "HANDOFF_DATABASE_URL": assistant.database_url("handoff", driver="postgresql")})


if __name__ == "__main__":
    sys.exit(main())
