"""Serving the portal for a benchmark, the way `make run` does: one copy for every benchmark.

prepare_portal() migrates, loads the content and the demo data and builds the speech (about
30 s; it needs espeak-ng, which `make test` installs); start_server() runs gunicorn on
127.0.0.1 only and waits for /healthz; stop() ends it and its workers.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
HOST = "127.0.0.1"  # never anywhere else
STARTUP_SECONDS = 60


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def check_database_url(url: str) -> None:
    """A benchmark only ever drives a PostgreSQL database on this machine."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        raise SystemExit("--database-url must be a PostgreSQL URL (SQLite is the default)")
    host = parsed.host or "localhost"
    local = host == "localhost" or host.startswith("/")
    if not local:
        try:
            local = ipaddress.ip_address(host).is_loopback
        except ValueError:
            local = False
    if not local:
        raise SystemExit("--database-url must be on this machine (127.0.0.1): loopback only")


def prepare_portal(env: dict) -> None:
    """Migrate, load content and demo data, and speak it (so pages have their play buttons),
    as `make run` does."""
    flask = [str(VENV_BIN / "flask"), "--app", "portal"]
    for command in (["db", "upgrade"], ["content", "load"], ["seed-demo"],
                    ["easyread", "build"]):
        done = subprocess.run(flask + command, env=env, cwd=ROOT, capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"flask {' '.join(command)} failed:\n{done.stderr[-2000:]}")


def start_server(env: dict, port: int, workers: int, log: Path | None = None,
                 app: str = "portal:create_app()") -> subprocess.Popen:
    """gunicorn on HOST:port; returns once /healthz answers (the log, if any, keeps its output).
    `app` is the portal unless a benchmark serves something else to compare it with."""
    output = log.open("wb") if log is not None else subprocess.DEVNULL
    try:
        server = subprocess.Popen(
            [str(VENV_BIN / "gunicorn"), "--workers", str(workers), "--bind", f"{HOST}:{port}",
             app],
            env=env, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT,
        )
    finally:
        if log is not None:
            output.close()  # the child has its own copy
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    stop(server)
    told = log.read_text()[-2000:] if log is not None else ""
    raise SystemExit(f"the server did not start:\n{told}")


def stop(server: subprocess.Popen) -> None:
    server.terminate()  # gunicorn stops its workers on SIGTERM
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=10)
