"""The scaled setup on one machine (`make run-scaled`, `make test-scaled`, `make bench`): Rasa's
production stack from Debian's packages (tools/install-scaled), no containers.

    nginx ──┬── Rasa server 1 ─┐      PostgreSQL: conversations (tracker store), the order
            ├── Rasa server 2 ─┼──    backend's and the handoff service's databases
            └── ...            │      Redis: conversation locks (lock store), and the widget's
                               │      sockets shared between replicas (channels/website.py)
                 action server (N workers) ── order backend

nginx keeps each conversation on one replica: REST requests by the conversation named in
X-Conversation-Id, the HTTP API's by the conversation in its path, socket.io by client address
(the polling transport's requests must all reach the replica holding the session); requests
naming no conversation (providers' webhooks) go round robin. Correctness does not depend on it: every replica reads and writes the same PostgreSQL, and the lock store
runs one conversation's turns one at a time whichever replica gets them (README, "Scaling
out"). PostgreSQL, Redis and nginx run as this project's own instances, configured here,
their data and logs under one directory (var/scaled/ for `make run-scaled`).
"""
import glob
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterator, List, Mapping, Optional, Tuple

from tools.services import (
    ROOT, SECRETS_FILE, Assistant, Service, ServiceError, _read_secrets_file,
    _write_secrets_file, free_port, new_secret, started_for_tests,
)

STATE_DIR = ROOT / "var" / "scaled"
ENDPOINTS = "endpoints.scaled.yml"
DATABASE_USER = "assistant"
# One database each: the Rasa servers' conversations, the order backend, the handoff service,
# the insights (the event broker's feed and the records built from it).
DATABASES = ("tracker", "backend", "handoff", "insights")
# A turn's commit need not wait for the disk: PostgreSQL crashing loses at most the last
# moment's turns, never the database; the Rasa servers' database driver is synchronous, so the
# wait held up every conversation on the replica. Orders, checks and handoffs wait, as usual.
DATABASE_SETTINGS = {"tracker": {"synchronous_commit": "off"}}
# Redis databases: python-socketio's channel (pub/sub ignores the number), and the locks.
LOCK_STORE_DB = 1
# The passwords of the project's own PostgreSQL role and Redis, generated into var/secrets.env
# by `make run-scaled` unless set in the environment (like the other development secrets).
INFRASTRUCTURE_SECRETS = ("SCALED_DATABASE_PASSWORD", "SCALED_REDIS_PASSWORD", "SCALED_RABBITMQ_PASSWORD")
# RabbitMQ, for the insights' feed (endpoints.scaled.yml's event broker): its user and queue.
RABBITMQ_USER, INSIGHTS_QUEUE = "insights", "insights_events"
RABBITMQ_SERVER = Path("/usr/lib/rabbitmq/bin/rabbitmq-server")  # Debian's, run as this user
# A replica that refused a connection gets no requests for this long; then nginx tries it again.
FAIL_TIMEOUT_S = 5


def infrastructure_secrets(path: Path = SECRETS_FILE,
                           environ: Mapping[str, str] = os.environ) -> Tuple[Dict[str, str], List[str]]:
    """The passwords of PostgreSQL, Redis and RabbitMQ: from the environment, else the secrets
    file, else generated once into it. Returns them and the names generated now."""
    stored = _read_secrets_file(path)
    values, generated = {}, []
    for name in INFRASTRUCTURE_SECRETS:
        if environ.get(name):
            values[name] = environ[name]
        elif name in stored:
            values[name] = stored[name]
        else:
            values[name] = stored[name] = new_secret()
            generated.append(name)
    if generated:
        _write_secrets_file(path, stored)
    return values, generated


def postgres_bin() -> Path:
    """The newest PostgreSQL's programs (Debian keeps each major version apart)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if not found:
        raise ServiceError("PostgreSQL is not installed: run tools/install-scaled (make run-scaled does)")
    return Path(found[-1]).parent


def _program(name: str) -> str:
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/bin:/sbin:/bin")
    if not found:
        raise ServiceError(f"{name} is not installed: run tools/install-scaled (make run-scaled does)")
    return found


def _as_postgres(argv: List[str]) -> List[str]:
    """PostgreSQL refuses to run as root: as root, its programs run as the `postgres` user."""
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


def port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


@dataclass
class Daemon(Service):
    """A service that is not HTTP: ready when `ready_argv` succeeds (or, without one, when its
    port takes connections); stopped with `stop_signal`."""

    port: int = 0
    ready_argv: Optional[List[str]] = None
    ready_env: Dict[str, str] = field(default_factory=dict)
    stop_grace: float = 20

    def _ready(self) -> bool:
        if not port_open(self.port):
            return False
        if self.ready_argv is None:
            return True
        return subprocess.run(self.ready_argv, env={**os.environ, **self.ready_env}, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, timeout=10).returncode == 0


@dataclass
class Postgres:
    """The project's own PostgreSQL cluster in `directory`: created on first use, listening on
    127.0.0.1 only, every connection by password (scram-sha-256), no Unix socket."""

    directory: Path
    port: int
    log_dir: Path

    @property
    def data(self) -> Path:
        return self.directory / "data"

    @property
    def superuser_password_file(self) -> Path:
        # The cluster's own superuser password lives with the cluster (it was set by initdb).
        return self.directory / "superuser-password"

    def initialise(self) -> None:
        if (self.data / "PG_VERSION").exists():
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        password_file = self.superuser_password_file
        password_file.write_text(new_secret() + "\n")
        password_file.chmod(0o600)
        if os.geteuid() == 0:
            # The postgres user must reach its directory: say so plainly rather than let initdb fail.
            self.directory.chmod(0o755)
            if subprocess.run(["runuser", "-u", "postgres", "--", "test", "-x", str(self.directory)]).returncode:
                raise ServiceError(f"the postgres user can't reach {self.directory}: every directory above it "
                                   "must be searchable by other users (chmod o+x)")
            shutil.chown(self.directory, "postgres", "postgres")
            shutil.chown(password_file, "postgres", "postgres")
        done = subprocess.run(
            _as_postgres([str(postgres_bin() / "initdb"), "-D", str(self.data), "-U", "postgres",
                          "--pwfile", str(password_file), "--auth", "scram-sha-256", "--encoding", "UTF8",
                          "--locale", "C", "--no-instructions"]),
            capture_output=True, text=True)
        if done.returncode:
            raise ServiceError(f"initdb failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")

    def service(self) -> Daemon:
        return Daemon(
            "PostgreSQL",
            _as_postgres([str(postgres_bin() / "postgres"), "-D", str(self.data), "-p", str(self.port),
                          "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=",
                          # Two Rasa replicas, the backend, the handoff service and tools: room to spare.
                          "-c", "max_connections=200"]),
            "", self.log_dir / "postgres.log", port=self.port,
            ready_argv=[str(postgres_bin() / "pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(self.port)],
            # Fast shutdown: SIGTERM would wait for every client to leave.
            stop_signal=signal.SIGINT)

    def psql(self, sql: str, database: str = "postgres") -> str:
        """Runs SQL as the superuser (over TCP; the password never on a command line)."""
        done = subprocess.run(
            [str(postgres_bin() / "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-At", "-h", "127.0.0.1",
             "-p", str(self.port), "-U", "postgres", "-d", database],
            input=sql, capture_output=True, text=True,
            env={**os.environ, "PGPASSWORD": self.superuser_password_file.read_text().strip()})
        if done.returncode:
            raise ServiceError(f"psql failed: {done.stderr[-2000:]}")
        return done.stdout

    def provide(self, user: str, password: str, databases: Tuple[str, ...]) -> None:
        """The role (its password set to `password` at each start, so it follows the secrets)
        and its databases."""
        literal = "'" + password.replace("'", "''") + "'"
        self.psql(f"SELECT 'CREATE ROLE {user} LOGIN' WHERE NOT EXISTS "
                  f"(SELECT FROM pg_roles WHERE rolname = '{user}')\\gexec\n"
                  f"ALTER ROLE {user} PASSWORD {literal};\n"
                  + "".join(f"SELECT 'CREATE DATABASE {name} OWNER {user}' WHERE NOT EXISTS "
                            f"(SELECT FROM pg_database WHERE datname = '{name}')\\gexec\n" for name in databases)
                  + "".join(f"ALTER DATABASE {name} SET {setting} = {value};\n"
                            for name in databases for setting, value in DATABASE_SETTINGS.get(name, {}).items()))


def redis_service(directory: Path, port: int, password: str, log_dir: Path) -> Daemon:
    """The project's own Redis: locks and socket.io messages only, nothing worth keeping, so no
    persistence; password required, 127.0.0.1 only."""
    directory.mkdir(parents=True, exist_ok=True)
    config = directory / "redis.conf"
    config.write_text(f"bind 127.0.0.1\nport {port}\nrequirepass {password}\ndaemonize no\nlogfile \"\"\n"
                      f"dir {directory}\nsave \"\"\nappendonly no\n")
    config.chmod(0o600)
    return Daemon("Redis", [_program("redis-server"), str(config)], "", log_dir / "redis.log", port=port,
                  ready_argv=[_program("redis-cli"), "-h", "127.0.0.1", "-p", str(port), "ping"],
                  ready_env={"REDISCLI_AUTH": password})


def rabbitmq_service(directory: Path, port: int, password: str, log_dir: Path) -> Daemon:
    """The project's own RabbitMQ, for the insights' feed: one user, 127.0.0.1 only, no plugins,
    its messages kept under `directory` (the queue is durable: a restart loses none)."""
    directory.mkdir(parents=True, exist_ok=True)
    config = directory / "rabbitmq.conf"
    config.write_text(f"listeners.tcp.default = 127.0.0.1:{port}\nloopback_users = none\n"
                      f"default_user = {RABBITMQ_USER}\ndefault_pass = {password}\n"
                      "log.file = false\nlog.console = true\nlog.console.level = warning\n")
    config.chmod(0o600)
    (directory / "enabled_plugins").write_text("[].\n")
    env = {"HOME": str(directory), "RABBITMQ_CONFIG_FILE": str(directory / "rabbitmq"),
           "RABBITMQ_ENABLED_PLUGINS_FILE": str(directory / "enabled_plugins"),
           "RABBITMQ_MNESIA_BASE": str(directory / "mnesia"), "RABBITMQ_LOG_BASE": str(directory / "log"),
           # One node per port: scratch setups side by side each have their own.
           "RABBITMQ_NODENAME": f"insights{port}@localhost"}
    return Daemon("RabbitMQ", [str(RABBITMQ_SERVER)], "", log_dir / "rabbitmq.log", env=env, port=port)


def nginx_config(directory: Path, log_dir: Path, host: str, port: int, replicas: List[int]) -> str:
    """nginx in front of the Rasa replicas, run by our supervisor (daemon off), everything it
    writes under `directory` and `log_dir`."""
    servers = "".join(f"    server 127.0.0.1:{replica} max_fails=1 fail_timeout={FAIL_TIMEOUT_S}s;\n"
                      for replica in replicas)
    temp = "".join(f"  {kind}_temp_path {directory / kind};\n"
                   for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return f"""# Generated by tools/scaled.py at each start: edit that, not this.
daemon off;
worker_processes 1;
pid {directory / 'nginx.pid'};
error_log stderr warn;
# After a reload (a replica drained or back), old workers close what is still open, such as the
# widget's websockets (it connects again at once), after this long.
worker_shutdown_timeout 5s;
events {{
  worker_connections 4096;
}}
http {{
{temp}  server_tokens off;
  # The same bound as the Rasa servers' (SANIC_REQUEST_MAX_SIZE): refused here already.
  client_max_body_size 256k;

  # Which route, never the path itself: paths hold conversation ids (phone numbers on SMS) and
  # the HTTP API's token.
  map $uri $route {{
    ~^/socket\\.io/ socket.io;
    ~^/webhooks/(?<channel>[^/]+)/ webhooks/$channel;
    ~^/conversations/ api/conversations;
    default other;
  }}
  log_format routed '$time_iso8601 $request_method $route $status $request_time '
                    'upstream=$upstream_addr request_id=$http_x_request_id';
  access_log {log_dir / 'nginx-access.log'} routed;

  # Which replica: the conversation the client names (X-Conversation-Id, which REST clients
  # send), or the conversation id in the HTTP API's path. Without either (a provider's webhook:
  # nginx does not read JSON bodies, so the sender can't be used), an empty key: round robin,
  # since hashing a provider's few addresses would put all its traffic on one replica. The
  # lock store keeps a conversation's turns in order wherever they land.
  map $uri $api_conversation {{
    ~^/conversations/(?<id>[^/]+)/ $id;
    default "";
  }}
  map $http_x_conversation_id $conversation {{
    "" $api_conversation;
    default $http_x_conversation_id;
  }}
  # A websocket upgrade goes through; other requests reuse kept-alive connections.
  map $http_upgrade $connection_upgrade {{
    default upgrade;
    "" "";
  }}

  # Consistent hashing: a replica that goes away moves only its own conversations. Idle
  # connections are kept for less than the replicas' own 5 s (Sanic's KEEP_ALIVE_TIMEOUT), so
  # nginx never sends a request on one a replica is closing: a POST that fails after being
  # sent is not sent again.
  upstream rasa_by_conversation {{
    hash $conversation consistent;
{servers}    keepalive 32;
    keepalive_timeout 4s;
  }}
  upstream rasa_by_client {{
    hash $remote_addr consistent;
{servers}  }}

  server {{
    listen {host}:{port};
    proxy_http_version 1.1;
    proxy_set_header Host $http_host;
    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    proxy_set_header X-Forwarded-Proto $scheme;
    proxy_set_header Upgrade $http_upgrade;
    proxy_set_header Connection $connection_upgrade;
    proxy_connect_timeout 2s;
    proxy_read_timeout 120s;
    # A replica that refuses the connection (stopping, restarting) is skipped; a request it
    # has already received is never sent again (nginx retries no POST it sent), so no
    # message is answered twice.
    proxy_next_upstream error timeout;

    location /socket.io/ {{
      proxy_pass http://rasa_by_client;
      proxy_buffering off;
      # A connected widget may stay silent for long.
      proxy_read_timeout 1h;
    }}
    location / {{
      proxy_pass http://rasa_by_conversation;
    }}
  }}
}}
"""


def replica_port(replica: Service) -> int:
    return int(replica.ready_url.rstrip("/").rsplit(":", 1)[1])


def _children(pid: int) -> set:
    """The processes whose parent is `pid` (nginx's workers)."""
    children = set()
    for stat in glob.glob("/proc/[0-9]*/stat"):
        try:
            fields = Path(stat).read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            children.add(int(Path(stat).parent.name))
    return children


def _with_option(argv: List[str], option: str, value: str) -> List[str]:
    argv = list(argv)
    argv[argv.index(option) + 1] = value
    return argv


@dataclass
class ScaledAssistant(Assistant):
    """The assistant on Rasa's production stack: nginx on `rasa_port` in front of `replicas`
    Rasa servers, the action server with `action_workers` processes, PostgreSQL and Redis.
    `url` is nginx's."""

    replicas: int = 2
    action_workers: int = 2
    postgres_port: int = 5433
    redis_port: int = 6380
    state_dir: Path = STATE_DIR
    database_password: str = field(default_factory=new_secret)
    redis_password: str = field(default_factory=new_secret)
    rabbitmq_port: int = 5673
    rabbitmq_password: str = field(default_factory=new_secret)
    infrastructure: List[Service] = field(default_factory=list)

    @property
    def postgres(self) -> Postgres:
        return Postgres(self.state_dir / "postgres", self.postgres_port, self.log_dir)

    def database_url(self, database: str, driver: str = "postgresql+psycopg") -> str:
        return (f"{driver}://{DATABASE_USER}:{self.database_password}@127.0.0.1:{self.postgres_port}/{database}")

    @property
    def redis_url(self) -> str:
        return f"redis://:{self.redis_password}@127.0.0.1:{self.redis_port}/0"

    @property
    def replica_services(self) -> List[Service]:
        return [s for s in self.services if s.name.startswith("Rasa server ")]

    def build(self) -> List[Service]:
        built = super().build()
        by_name = {service.name: service for service in built}
        rasa = by_name["Rasa server"]
        by_name["order backend"].env["BACKEND_DATABASE_URL"] = self.database_url("backend")
        # rasa-sdk forks this many Sanic workers on one port.
        by_name["action server"].env["ACTION_SERVER_SANIC_WORKERS"] = str(self.action_workers)
        handoff = by_name["handoff service"]
        handoff.env.update(HANDOFF_DATABASE_URL=self.database_url("handoff"),
                           TRACKER_DB_URL=self.database_url("tracker"), INSIGHTS_DB_URL=self.database_url("insights"),
                           INSIGHTS_RABBITMQ_URL=f"amqp://{RABBITMQ_USER}:{self.rabbitmq_password}@127.0.0.1:"
                                                 f"{self.rabbitmq_port}/%2F", INSIGHTS_RABBITMQ_QUEUE=INSIGHTS_QUEUE)
        stores = {
            "TRACKER_DB_HOST": "127.0.0.1", "TRACKER_DB_PORT": str(self.postgres_port), "TRACKER_DB_NAME": "tracker",
            "RABBITMQ_HOST": "127.0.0.1", "RABBITMQ_PORT": str(self.rabbitmq_port), "RABBITMQ_USER": RABBITMQ_USER,
            "RABBITMQ_PASSWORD": self.rabbitmq_password, "INSIGHTS_QUEUE": INSIGHTS_QUEUE,
            "TRACKER_DB_USER": DATABASE_USER, "TRACKER_DB_PASSWORD": self.database_password,
            "LOCK_STORE_HOST": "127.0.0.1", "LOCK_STORE_PORT": str(self.redis_port),
            "LOCK_STORE_PASSWORD": self.redis_password, "LOCK_STORE_DB": str(LOCK_STORE_DB),
            "WIDGET_REDIS_URL": self.redis_url,
            # Each replica's database work is synchronous, one connection at a time: a small pool.
            "SQL_POOL_SIZE": "4", "SQL_MAX_OVERFLOW": "8",
        }
        replicas = []
        for number in range(1, self.replicas + 1):
            port = free_port()
            argv = _with_option(_with_option(rasa.argv, "--endpoints", ENDPOINTS), "--port", str(port))
            replicas.append(Service(f"Rasa server {number}", argv, f"http://{self.host}:{port}/",
                                    self.log_dir / f"rasa-{number}.log", {**rasa.env, **stores}))
        self._write_nginx_config(replicas)
        nginx = Service("nginx", [_program("nginx"), "-e", "stderr", "-p", str(self._nginx_dir),
                                  "-c", str(self._nginx_dir / "nginx.conf")],
                        f"{self.url}/", self.log_dir / "nginx.log")
        # In place of the one Rasa server: the replicas, then nginx in front of them.
        self.services = []
        for service in built:
            self.services.extend([*replicas, nginx] if service is rasa else [service])
        return self.services

    def start(self, timeout: float = 240) -> None:
        try:
            self.log_dir.mkdir(parents=True, exist_ok=True)
            postgres = self.postgres
            postgres.initialise()
            self.infrastructure = [postgres.service(), redis_service(self.state_dir / "redis", self.redis_port,
                                                                     self.redis_password, self.log_dir),
                                   rabbitmq_service(self.state_dir / "rabbitmq", self.rabbitmq_port,
                                                    self.rabbitmq_password, self.log_dir)]
            for service in self.infrastructure:
                service.start()
            for service in self.infrastructure:
                service.wait_ready(60)
            postgres.provide(DATABASE_USER, self.database_password, DATABASES)
            self.build()
            first, *other_replicas = self.replica_services
            # Rasa creates the tracker's tables at start, and replicas racing to create them
            # lose 5 s each (Rasa retries): the others start once the first one has made them.
            # The handoff service, which reads them, and the shop start once all are up.
            last = [self.service("handoff service"), self.service("demo shop")]
            for service in self.services:
                if service not in (*other_replicas, *last):
                    service.start()
            self._wait_for_tracker_tables(first, timeout)
            for service in other_replicas:
                service.start()
            for service in self.services:
                if service not in last:
                    service.wait_ready(timeout)
            for service in last:
                service.start()
            for service in last:
                service.wait_ready(timeout)
        except BaseException:
            self.stop()
            raise

    @property
    def _nginx_dir(self) -> Path:
        return self.state_dir / "nginx"

    def _write_nginx_config(self, replicas: List[Service]) -> None:
        self._nginx_dir.mkdir(parents=True, exist_ok=True)
        (self._nginx_dir / "nginx.conf").write_text(nginx_config(
            self._nginx_dir, self.log_dir, self.host, self.rasa_port, [replica_port(r) for r in replicas]))

    def route_to(self, replicas: List[Service], timeout: float = 30) -> None:
        """nginx sends requests to these replicas only, from now on: it reloads its
        configuration, and its workers with the old one finish their requests (and close their
        websockets, which the widget opens again at once) and exit before this returns."""
        nginx = self.service("nginx")
        self._write_nginx_config(replicas)
        old_workers = _children(nginx.process.pid)
        os.kill(nginx.process.pid, signal.SIGHUP)
        deadline = time.monotonic() + timeout
        while old_workers & _children(nginx.process.pid):
            if time.monotonic() > deadline:
                raise ServiceError(f"nginx's old workers still busy after {timeout:.0f} s")
            time.sleep(0.05)

    def take_out(self, replica: Service) -> None:
        """Drains a replica: nginx stops sending it requests and waits for those it sent."""
        self.route_to([r for r in self.replica_services if r is not replica and r.process.poll() is None])

    def put_back(self) -> None:
        self.route_to(self.replica_services)

    def restart(self, name: str, timeout: float = 180) -> None:
        """A replica as a rolling deploy restarts it: drained first, so no request is cut (a
        replica stopped without draining drops what waits in its accept queue: 502, never
        processed), started again, then given its conversations back."""
        if not name.startswith("Rasa server "):
            return super().restart(name, timeout)
        replica = self.service(name)
        self.take_out(replica)
        replica.stop()
        replica.start()
        replica.wait_ready(timeout)
        self.put_back()

    def _wait_for_tracker_tables(self, replica: Service, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while self.postgres.psql("SELECT to_regclass('public.events') IS NOT NULL", "tracker").strip() != "t":
            if replica.process.poll() is not None or time.monotonic() > deadline:
                replica.wait_ready(0)  # says why, with the end of its log
            time.sleep(0.25)

    def stop(self) -> None:
        super().stop()
        for service in reversed(self.infrastructure):
            service.stop()


@contextmanager
def scratch_scaled_assistant(replicas: int = 2, extra_env: Optional[Dict[str, str]] = None) -> Iterator[ScaledAssistant]:
    """A running scaled setup on free local ports, with its own fresh cluster, Redis, logs and
    random secrets, for tests and benchmarks; stopped and removed afterwards. Under var/scaled/
    (not /tmp) so that the postgres user can reach its cluster."""
    STATE_DIR.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="scratch-", dir=STATE_DIR))
    try:
        tmp.chmod(0o755)
        running = ScaledAssistant(
            rasa_port=free_port(), action_port=free_port(), backend_port=free_port(), shop_port=free_port(),
            handoff_port=free_port(), postgres_port=free_port(), redis_port=free_port(), rabbitmq_port=free_port(),
            replicas=replicas,
            state_dir=tmp, log_dir=tmp / "log", photo_dir=tmp / "photos", agents_file=tmp / "desk-agents.yml",
            extra_env=dict(extra_env or {}))
        with started_for_tests(running):
            yield running
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
