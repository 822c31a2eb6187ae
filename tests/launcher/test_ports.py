"""Issue 14, item 13: a port already in use is one line naming the port and its variable, not a traceback.
Issue 7, item 15: the launcher serves an app's management port beside its public one."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from hues_launcher.registry import SERVICES
from hues_launcher.sockets import app_sockets
from hues_shared.testing.infrastructure import free_port

HUES = str(Path(sys.executable).with_name("hues"))


@pytest.fixture
def occupied() -> Iterator[int]:
    holder = socket.socket()
    holder.bind(("127.0.0.1", 0))
    holder.listen(1)
    try:
        yield holder.getsockname()[1]
    finally:
        holder.close()


def _run(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [HUES, *args], env=os.environ | env, cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_serve_on_a_port_in_use_says_which_port_and_variable_in_one_line(
    occupied: int, tmp_path: Path
) -> None:
    env = {"CATALOG_PORT": str(occupied), "CATALOG_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/c.db"}
    result = _run(["serve", "catalog"], env, tmp_path)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    message = [line for line in result.stderr.splitlines() if "in use" in line]
    assert message == [
        f"hues: port {occupied} on 127.0.0.1 is already in use; stop what holds it "
        "or set CATALOG_PORT to a free port"
    ]


def test_run_on_a_port_in_use_says_which_port_and_variable_in_one_line(occupied: int, tmp_path: Path) -> None:
    env = {f"{name.upper()}_PORT": str(free_port()) for name in SERVICES}
    env["GATEWAY_PORT"] = str(occupied)
    result = _run(["run"], env, tmp_path)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert f"port {occupied} on 127.0.0.1 is already in use" in result.stderr
    assert "GATEWAY_PORT" in result.stderr
    assert len(result.stderr.strip().splitlines()) <= 3


def test_management_port_is_bound_beside_the_public_one() -> None:
    entry = SERVICES["catalog"]
    public, management = free_port(), free_port()
    sockets = app_sockets(entry, entry.settings(port=public, management_port=management))
    try:
        assert [s.getsockname()[1] for s in sockets] == [public, management]
    finally:
        for sock in sockets:
            sock.close()


def test_served_app_answers_metrics_only_on_its_management_port(tmp_path: Path) -> None:
    """Issue 7, item 15 through the real launcher: two sockets, one app, management paths on one only."""
    import httpx

    from hues_shared.testing.infrastructure import wait_for_port

    public, management = free_port(), free_port()
    env = os.environ | {
        "CATALOG_PORT": str(public),
        "CATALOG_MANAGEMENT_PORT": str(management),
        "CATALOG_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/c.db",
        "CATALOG_ENVIRONMENT": "test",
        "HUES_LOG_LEVEL": "WARNING",
    }
    server = subprocess.Popen(
        [HUES, "serve", "catalog"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert wait_for_port(public, timeout=60) and wait_for_port(management, timeout=10)
        with httpx.Client(timeout=10) as client:
            assert client.get(f"http://127.0.0.1:{public}/metrics").status_code == 404
            assert client.get(f"http://127.0.0.1:{public}/readyz").status_code == 404
            assert client.get(f"http://127.0.0.1:{public}/healthz").status_code == 200
            assert "http_requests_total" in client.get(f"http://127.0.0.1:{management}/metrics").text
            assert client.get(f"http://127.0.0.1:{management}/v1/categories").status_code == 404
    finally:
        server.terminate()
        server.wait(timeout=15)
