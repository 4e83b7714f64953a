"""The app is made and warmed once in gunicorn's master, then forked (gunicorn.conf.py,
portal/core/warm.py): every worker starts ready, and none inherits a database connection."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import text

from portal.core.extensions import db
from portal.core.warm import warm_up

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"


def test_warm_up_compiles_every_template_and_closes_the_connections(make_app):
    app = make_app()
    with app.app_context():
        db.session.execute(text("SELECT 1"))  # a connection is open and pooled
        db.session.remove()
        assert db.engine.pool.checkedin() == 1
    made = warm_up(app)
    names = app.jinja_env.list_templates(extensions=("html", "txt", "xml", "svg"))
    assert made["templates"] == len(names) > 100
    cache = app.jinja_env.cache
    assert all(any(key[1] == name for key in cache) for name in names)
    with app.app_context():
        assert db.engine.pool.checkedin() == 0  # nothing left for a worker to inherit
    # Both catalogues are read: a Welsh page needs no file read on its first request.
    catalogues = app.extensions["babel"].instance.domain_instance.cache
    assert {locale for locale, _domain in catalogues} == {"cy", "en"}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(port: int, path: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def test_gunicorn_warms_the_app_once_and_every_worker_uses_its_own_connections(
        app, clean_db, tmp_path):
    """Started as the README says, in the project's folder: the master warms the app once,
    then two forked workers answer many database-reading requests at once, each on its
    own connections (on PostgreSQL too, in CI's second pass)."""
    port = _free_port()
    log = tmp_path / "gunicorn.log"
    env = {**os.environ, "PORTAL_ENV": "development",
           "PORTAL_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "PORTAL_INSTANCE_PATH": str(tmp_path / "instance")}
    with log.open("wb") as output:
        server = subprocess.Popen(
            [str(GUNICORN), "--workers", "2", "--bind", f"127.0.0.1:{port}",
             "portal:create_app()"],
            cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if _get(port, "/healthz") == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, log.read_text()
            assert server.poll() is None, log.read_text()
            time.sleep(0.2)
        with ThreadPoolExecutor(8) as pool:
            statuses = list(pool.map(lambda _n: _get(port, "/healthz"), range(80)))
        assert statuses == [200] * 80
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    told = log.read_text()
    assert told.count("portal warmed before forking") == 1, told
    assert told.count("Booting worker") == 2, told
    assert "Traceback" not in told and "Error" not in told, told
