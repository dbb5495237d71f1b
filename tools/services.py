"""Starts and stops the assistant's services: used by `make run`, benchmarks and tests.

Each service runs in its own process group so that stopping it also stops its children,
and writes its log to a file; a service that dies while starting is reported with the end
of its log.
"""
import os
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterator, List, Optional

ROOT = Path(__file__).resolve().parent.parent
RASA_VENV = ROOT / ".venv" / "rasa"
ACTIONS_VENV = ROOT / ".venv" / "actions"
BACKEND_VENV = ROOT / ".venv" / "backend"
DEVELOPMENT_TOKEN = "dev-only-token-change-me"
MODEL = ROOT / "models" / "assistant.tar.gz"
# credentials.yml reads these for the messaging channels (channels/, docs/channels.md); Rasa
# refuses an unset ${VARIABLE}, and an empty one keeps its channel off.
MESSAGING_VARIABLES = (
    "TELEGRAM_ACCESS_TOKEN", "TELEGRAM_BOT_NAME", "TELEGRAM_WEBHOOK_URL", "TELEGRAM_SECRET_TOKEN",
    "TELEGRAM_API_URL",
    "FACEBOOK_VERIFY_TOKEN", "FACEBOOK_APP_SECRET", "FACEBOOK_PAGE_ACCESS_TOKEN", "FACEBOOK_API_URL",
    "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_API_URL",
    "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_SMS_NUMBER", "TWILIO_SMS_WEBHOOK_URL",
    "TWILIO_WHATSAPP_NUMBER", "TWILIO_WHATSAPP_WEBHOOK_URL", "TWILIO_API_URL",
)


class ServiceError(RuntimeError):
    """A service did not start, or died."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@dataclass
class Service:
    name: str
    argv: List[str]
    ready_url: str
    log_path: Path
    env: Dict[str, str] = field(default_factory=dict)
    process: Optional[subprocess.Popen] = None

    def start(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            self.argv,
            cwd=ROOT,
            env={**os.environ, **self.env},
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServiceError(f"{self.name} exited with {self.process.returncode}:\n{self.log_tail()}")
            if _answers(self.ready_url):
                return
            time.sleep(0.25)
        raise ServiceError(f"{self.name} not ready after {timeout:.0f} s:\n{self.log_tail()}")

    def stop(self, grace: float = 10) -> None:
        if not self.process or self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(grace)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        except ProcessLookupError:
            pass

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


def backend_service(port: int, database: Path, log_dir: Path, host: str = "127.0.0.1",
                    token: str = DEVELOPMENT_TOKEN) -> Service:
    """The order backend (its own virtualenv), on an SQLite file created and seeded on start."""
    return Service(
        "order backend",
        [str(BACKEND_VENV / "bin" / "python"), "-m", "backend"],
        f"http://{host}:{port}/health",
        log_dir / "backend.log",
        {"BACKEND_HOST": host, "BACKEND_PORT": str(port), "BACKEND_API_TOKEN": token,
         "BACKEND_DATABASE_URL": f"sqlite:///{database}"},
    )


def shop_service(port: int, host: str, assistant_url: str, orders_api_url: str, api_token: str,
                 log_dir: Path) -> Service:
    """The demo shop (shop/, in the backend's virtualenv): pages that embed the chat widget."""
    return Service(
        "demo shop",
        [str(BACKEND_VENV / "bin" / "python"), "-m", "shop"],
        f"http://{host}:{port}/health",
        log_dir / "shop.log",
        {"SHOP_HOST": host, "SHOP_PORT": str(port),
         # Behind a proxy, browsers reach the assistant elsewhere than the shop does.
         "ASSISTANT_PUBLIC_URL": os.environ.get("ASSISTANT_PUBLIC_URL") or assistant_url,
         "ORDERS_API_URL": orders_api_url, "ORDERS_API_TOKEN": api_token},
    )


@dataclass
class Assistant:
    """The order backend, the action server and the Rasa server, wired to each other, and the
    demo shop whose pages embed the chat widget."""

    rasa_port: int
    action_port: int
    backend_port: int
    shop_port: int
    host: str = "127.0.0.1"
    action_host: str = "127.0.0.1"
    log_dir: Path = ROOT / "var" / "log"
    tracker_db: Optional[Path] = None
    backend_db: Optional[Path] = None
    api_token: str = DEVELOPMENT_TOKEN
    # More settings for the Rasa server and the action server (channel credentials, say).
    extra_env: Dict[str, str] = field(default_factory=dict)
    services: List[Service] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.rasa_port}"

    @property
    def rest_webhook(self) -> str:
        return f"{self.url}/webhooks/rest/webhook"

    @property
    def shop_url(self) -> str:
        return f"http://{self.host}:{self.shop_port}"

    def build(self) -> List[Service]:
        action_url = f"http://{self.action_host}:{self.action_port}"
        backend = backend_service(self.backend_port, self.backend_db or ROOT / "var" / "backend.db",
                                  self.log_dir, self.host, self.api_token)
        env = {
            "ACTION_SERVER_URL": f"{action_url}/webhook",
            "SANIC_HOST": self.action_host,
            "TRACKER_DB": str(self.tracker_db or ROOT / "var" / "tracker.db"),
            "ORDERS_API_URL": f"http://{self.host}:{self.backend_port}",
            "ORDERS_API_TOKEN": self.api_token,
            # logging.yml names actions.log_redaction, read before Rasa puts the project on sys.path.
            "PYTHONPATH": str(ROOT),
            # credentials.yml: pages allowed to open the chat widget (the demo shop by default).
            "WIDGET_ALLOWED_ORIGINS": os.environ.get("WIDGET_ALLOWED_ORIGINS", self.shop_url),
            **{name: os.environ.get(name, "") for name in MESSAGING_VARIABLES},
            **self.extra_env,
        }
        actions = Service(
            "action server",
            [str(ACTIONS_VENV / "bin" / "python"), "-m", "rasa_sdk", "--actions", "actions",
             "--port", str(self.action_port), "--logging-config_file", "logging.yml"],
            f"{action_url}/health",
            self.log_dir / "actions.log",
            env,
        )
        rasa = Service(
            "Rasa server",
            [str(RASA_VENV / "bin" / "rasa"), "run", "--model", str(MODEL),
             "--endpoints", "endpoints.yml", "--credentials", "credentials.yml",
             "--interface", self.host, "--port", str(self.rasa_port), "--logging-config-file", "logging.yml"],
            f"{self.url}/",
            self.log_dir / "rasa.log",
            env,
        )
        shop = shop_service(self.shop_port, self.host, self.url, env["ORDERS_API_URL"], self.api_token,
                            self.log_dir)
        self.services = [backend, actions, rasa, shop]
        return self.services

    @property
    def backend(self) -> Service:
        return self.services[0]

    def start(self, timeout: float = 180) -> None:
        if not MODEL.exists():
            raise ServiceError(f"no trained model at {MODEL}: run `make train`")
        try:
            for service in self.build():
                service.start()
            for service in self.services:
                service.wait_ready(timeout)
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        for service in reversed(self.services):
            service.stop()


@contextmanager
def scratch_assistant(extra_env: Optional[Dict[str, str]] = None) -> Iterator[Assistant]:
    """A running assistant on free local ports with its own fresh databases and logs, for
    tests, benchmarks and the hostile-input run; stopped and removed afterwards."""
    with tempfile.TemporaryDirectory() as tmp:
        running = Assistant(rasa_port=free_port(), action_port=free_port(), backend_port=free_port(),
                            shop_port=free_port(),
                            tracker_db=Path(tmp) / "tracker.db", backend_db=Path(tmp) / "backend.db",
                            log_dir=Path(tmp) / "log", extra_env=dict(extra_env or {}))
        running.extra_env.setdefault("WIDGET_ALLOWED_ORIGINS", running.shop_url)
        # Messaging channels off unless the caller turns them on, whatever this shell has set.
        for name in MESSAGING_VARIABLES:
            running.extra_env.setdefault(name, "")
        running.start()
        try:
            yield running
        finally:
            running.stop()
