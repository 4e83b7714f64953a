"""Fixtures: the app on a fresh database, a client that checks every page, login_as(role).

Set PORTAL_TEST_DATABASE_URL to run the database-touching tests against PostgreSQL
(`.ci/run` does); by default each test run uses a temporary SQLite file.
"""

from __future__ import annotations

import os
import uuid

import pytest
from flask.testing import FlaskClient
from sqlalchemy import delete

from portal import create_app
from portal.core.extensions import db
from portal.models import ContentStamp
from tests.pages import csrf_token_in, page_problems

TEST_DATABASE_URL = os.environ.get("PORTAL_TEST_DATABASE_URL")
IN_CI = os.environ.get("CI", "").lower() == "true"
PG_ADMIN_URL = os.environ.get(
    "PORTAL_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)


class CheckedClient(FlaskClient):
    """A test client that checks the shape of every HTML page it receives."""

    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        if response.mimetype == "text/html" and not (300 <= response.status_code < 400):
            problems = page_problems(response.get_data(as_text=True))
            assert not problems, f"{response.request.path}: {problems}"
        return response

    def csrf_token(self) -> str:
        for path in ("/login", "/"):
            response = self.get(path, follow_redirects=True)
            token = csrf_token_in(response.get_data(as_text=True))
            if token:
                return token
        raise AssertionError("no page offered a CSRF token")

    def post_form(self, path: str, data: dict | None = None, **kwargs):
        """POST like a browser does: with the CSRF token of this session."""
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf_token())
        return self.post(path, data=data, **kwargs)


def _database_url(tmp_path_factory) -> str:
    if TEST_DATABASE_URL:
        return TEST_DATABASE_URL
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    app = create_app(
        {
            "ENVIRONMENT": "testing",
            "DATABASE_URL": _database_url(tmp_path_factory),
            # Never the project's own instance/: a built audio cache there would change pages.
            "INSTANCE_PATH": str(tmp_path_factory.mktemp("instance")),
            "TESTING": True,
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        }
    )
    app.test_client_class = CheckedClient
    with app.app_context():
        db.drop_all()
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture()
def clean_db(app):
    """An empty database for each test (rows deleted, schema kept: fast on PostgreSQL).

    The test itself runs outside any app context, so that each request gets its own, as
    in production: a context held open by the test would be shared by every request,
    and with it `g` (Flask-Login's cached user, Flask-WTF's "token already checked").
    Tests that read or change rows open `with app.app_context():` themselves.
    """
    with app.app_context():
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(delete(table))
        # A new content stamp, as after a migration: each test starts with nothing kept
        # from the last, and with the workers' content cache on (portal/content/cache.py).
        db.session.execute(ContentStamp.__table__.insert().values(id=1, stamp=uuid.uuid4().hex))
        db.session.commit()
        db.session.remove()
    yield db
    with app.app_context():
        db.session.remove()


@pytest.fixture()
def demo(app, clean_db):
    from portal.ops.demo import seed_demo

    with app.app_context():
        seed_demo()
        db.session.remove()
    return clean_db


@pytest.fixture()
def client(app, demo) -> CheckedClient:
    return app.test_client()


@pytest.fixture()
def login_as(client):
    def sign_in(role: str, password: str = "demo-password") -> CheckedClient:  # noqa: S107
        response = client.post_form("/login", {"username": f"demo-{role}", "password": password})
        assert response.status_code == 302, f"could not sign in as {role}"
        return client

    return sign_in


# --- Shared helpers for the unit and integration tests -------------------------------

DEMO_ROLES = ("person", "supporter", "practitioner", "facilitator", "commissioner", "admin")


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogues():
    """Build the .mo files when missing or older than the .po files (`make build` does
    the same); without them Welsh pages silently fall back to English."""
    from portal.ops.cli import TRANSLATIONS, compile_catalogues

    stale = False
    for po in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        stale = stale or not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime
    if stale:
        compile_catalogues()


@pytest.fixture()
def make_app(tmp_path):
    """Build a fresh app (own SQLite file unless DATABASE_URL is given), for tests that
    need their own configuration, routes or an empty database."""
    made = []

    def build(overrides: dict | None = None, *, checked: bool = True):
        config = {
            "ENVIRONMENT": "testing",
            "DATABASE_URL": f"sqlite:///{tmp_path / f'app{len(made)}.sqlite3'}",
            "INSTANCE_PATH": str(tmp_path / f"instance{len(made)}"),
            "TESTING": True,
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        }
        config.update(overrides or {})
        fresh = create_app(config)
        if checked:
            fresh.test_client_class = CheckedClient
        made.append(fresh)
        return fresh

    yield build
    for fresh in made:
        with fresh.app_context():
            db.session.remove()
            db.engine.dispose()


def seeded(fresh_app):
    """Create the tables and the demo data in a fresh app's database."""
    from portal.ops.demo import seed_demo

    with fresh_app.app_context():
        db.create_all()
        seed_demo()
    return fresh_app


def sign_in(client, username: str, password: str = "demo-password", **kwargs):  # noqa: S107
    return client.post_form("/login", {"username": username, "password": password}, **kwargs)


# --- A PostgreSQL database of a test's own (these tests run in every pass) ---------------


def pg_admin():
    import psycopg

    try:
        return psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        reason = f"no PostgreSQL server at {PG_ADMIN_URL.rsplit('@', 1)[-1]}: {error}".strip()
        if IN_CI:
            pytest.fail(f"{reason} (CI=true: the PostgreSQL tests must run)")
        pytest.skip(reason)


@pytest.fixture()
def empty_postgres_url():
    """A new, empty PostgreSQL database for one test, dropped afterwards (skipped without a
    server, except in CI, where it must run)."""
    name = f"portal_migrations_{uuid.uuid4().hex[:12]}"
    with pg_admin() as admin:
        admin.execute(f"CREATE DATABASE {name} ENCODING 'UTF8' TEMPLATE template0")
    base = PG_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
    yield f"{base}/{name}"
    with pg_admin() as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
