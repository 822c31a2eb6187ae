"""Start the platform's apps as separate OS processes (`hues serve X`), as the distributed mode runs them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from hues_launcher.registry import ALL_APPS, SERVICES
from hues_shared.testing.infrastructure import free_port

HUES = str(Path(sys.executable).parent / "hues")


@dataclass
class PlatformProcesses:
    """The six apps on free loopback ports, with one environment shared the way compose shares it."""

    log_dir: Path
    database_urls: dict[str, str]
    bus: str = "kafka"
    kafka_bootstrap: str = ""
    environment: str = "development"
    extra_env: dict[str, str] = field(default_factory=dict)
    ports: dict[str, int] = field(default_factory=dict)
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in ALL_APPS:
            self.ports[name] = free_port()

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.ports[name]}"

    def environment_for(self, name: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.endswith(("_DATABASE_URL", "_PORT"))}
        issuer = self.url("identity")
        common = {
            "ENVIRONMENT": self.environment,
            "HOST": "127.0.0.1",
            "PORT": str(self.ports[name]),
            "BUS": self.bus,
            "KAFKA_BOOTSTRAP_SERVERS": self.kafka_bootstrap,
            "KAFKA_IDEMPOTENT_PRODUCER": "false",  # the Tansu test broker refuses it
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
        if name == "gateway":
            for upstream in SERVICES:
                env[f"GATEWAY_UPSTREAM_{upstream.upper()}_URL"] = self.url(upstream)
        env["HUES_LOG_JSON"] = "true"
        env.update(self.extra_env)
        return env

    def migrate(self, name: str) -> None:
        subprocess.run(
            [HUES, "migrate", name],
            env=self.environment_for(name),
            check=True,
            capture_output=True,
            timeout=120,
        )

    def seed(self, name: str) -> None:
        subprocess.run(
            [HUES, "seed", name], env=self.environment_for(name), check=True, capture_output=True, timeout=120
        )

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
