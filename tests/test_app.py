"""The app factory, typed configuration, health check, SQLite settings and demo data."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap

import pytest
from sqlalchemy import func, select, text

from portal import create_app
from portal.core.config import ConfigError, load_settings
from portal.core.extensions import db
from portal.models import CircleMember, LocalAuthority, Person, Region, Relationship, User
from tests.conftest import DEMO_ROLES

SECRET = "s" * 40


def test_importing_the_package_does_nothing(tmp_path):
    """No database, folder or speech engine is touched until create_app() is called."""
    instance = tmp_path / "instance"
    code = textwrap.dedent(
        """
        import importlib, pkgutil, sys, types

        def refuse(*args, **kwargs):
            raise AssertionError("a speech engine was started at import time")

        sys.modules["pyttsx3"] = types.SimpleNamespace(init=refuse, Engine=refuse)
        import portal
        for module in pkgutil.walk_packages(portal.__path__, "portal."):
            importlib.import_module(module.name)
        from portal.core.extensions import db
        try:
            db.engine
        except RuntimeError:
            pass  # no app: no engine
        else:
            raise AssertionError("an engine exists without an app")
        """
    )
    env = {
        **os.environ,
        "PORTAL_INSTANCE_PATH": str(instance),
        "PORTAL_DATABASE_URL": f"sqlite:///{instance / 'portal.sqlite3'}",
        "PORTAL_ENV": "production",  # would refuse to start without a key, if anything started
    }
    env.pop("PORTAL_SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert not instance.exists()


@pytest.fixture()
def no_env(monkeypatch):
    for name in ("PORTAL_ENV", "PORTAL_SECRET_KEY", "PORTAL_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_production_without_a_secret_key_refuses_to_start(no_env):
    no_env.setenv("PORTAL_ENV", "production")
    with pytest.raises(ConfigError, match="PORTAL_SECRET_KEY"):
        create_app({"DATABASE_URL": "sqlite://"})


def test_production_with_a_short_secret_key_refuses_to_start(no_env):
    no_env.setenv("PORTAL_ENV", "production")
    no_env.setenv("PORTAL_SECRET_KEY", "too-short")
    with pytest.raises(ConfigError, match="32 characters"):
        create_app({"DATABASE_URL": "sqlite://"})


def test_an_unknown_environment_refuses_to_start(no_env):
    no_env.setenv("PORTAL_ENV", "staging")
    with pytest.raises(ConfigError, match="PORTAL_ENV"):
        load_settings()


def test_production_settings_from_the_environment(no_env):
    no_env.setenv("PORTAL_ENV", "production")
    no_env.setenv("PORTAL_SECRET_KEY", SECRET)
    no_env.setenv("PORTAL_DATABASE_URL", "postgresql+psycopg://portal@db.internal/portal")
    settings = load_settings()
    assert settings.is_production
    config = settings.flask_config()
    assert config["SECRET_KEY"] == SECRET
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://portal@db.internal/portal"
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["SQLALCHEMY_ENGINE_OPTIONS"] == {"isolation_level": "AUTOCOMMIT"}


def test_development_needs_no_secret_and_defaults_to_sqlite(no_env, tmp_path):
    settings = load_settings(instance_path=tmp_path)
    assert settings.environment == "development"
    assert settings.secret_key
    assert settings.database_url == f"sqlite:///{tmp_path / 'portal.sqlite3'}"


def test_welsh_translations_are_found_from_the_project_root(app):
    assert app.config["BABEL_TRANSLATION_DIRECTORIES"].endswith("translations")
    assert os.path.isdir(os.path.join(app.config["BABEL_TRANSLATION_DIRECTORIES"], "cy"))


def test_healthz_answers_when_the_database_does(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_healthz_with_sqlite_in_a_missing_folder(make_app, tmp_path):
    broken = make_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'missing' / 'db.sqlite3'}"})
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "database unavailable"}


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # closed again once the socket is


def test_healthz_with_postgres_on_a_closed_port(make_app):
    url = f"postgresql+psycopg://postgres@127.0.0.1:{_closed_port()}/nothing?connect_timeout=2"
    broken = make_app({"DATABASE_URL": url})
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503


def test_healthz_recovers_after_a_failure(make_app, tmp_path):
    folder = tmp_path / "later"
    fresh = make_app({"DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}"})
    client = fresh.test_client()
    assert client.get("/healthz").status_code == 503
    folder.mkdir()
    assert client.get("/healthz").status_code == 200


def test_sqlite_uses_wal_and_waits_for_other_writers(make_app):
    fresh = make_app()
    with fresh.app_context():
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_a_second_sqlite_writer_waits_instead_of_failing(make_app, tmp_path):
    import sqlite3
    import threading
    import time

    path = tmp_path / "app0.sqlite3"
    fresh = make_app({"DATABASE_URL": f"sqlite:///{path}"})
    with fresh.app_context():
        db.create_all()
    blocker = sqlite3.connect(path, check_same_thread=False)
    blocker.execute("BEGIN IMMEDIATE")  # hold the write lock
    blocker.execute("INSERT INTO regions (code, name_en, name_cy) VALUES ('a', 'A', 'A')")
    threading.Timer(0.5, blocker.commit).start()
    started = time.monotonic()
    with fresh.app_context():
        db.session.add(Region(code="b", name_en="B", name_cy="B"))
        db.session.commit()  # would raise "database is locked" without a busy timeout
        assert db.session.scalar(select(func.count()).select_from(Region)) == 2
    assert time.monotonic() - started >= 0.4
    blocker.close()


def _counts() -> dict[str, int]:
    return {
        model.__name__: db.session.scalar(select(func.count()).select_from(model))
        for model in (User, Region, LocalAuthority, Person, CircleMember)
    }


def invoke(app, *args: str):
    """Run a CLI command as `flask --app portal ...` does: inside an app context."""
    with app.app_context():
        return app.test_cli_runner().invoke(args=list(args))


def test_seed_demo_is_idempotent(app, clean_db):
    first = invoke(app, "seed-demo")
    assert first.exit_code == 0, first.output
    with app.app_context():
        after_first = _counts()
    second = invoke(app, "seed-demo")
    assert second.exit_code == 0, second.output
    assert "0 areas added" in second.output
    with app.app_context():
        assert _counts() == after_first
    assert after_first == {
        "User": 6, "Region": 7, "LocalAuthority": 22, "Person": 1, "CircleMember": 2
    }


def test_demo_accounts_one_per_role(app, demo):
    with app.app_context():
        users = db.session.scalars(select(User).order_by(User.username)).all()
        assert {u.username: u.role for u in users} == {f"demo-{r}": r for r in DEMO_ROLES}
        assert all(u.check_password("demo-password") for u in users)


def test_demo_areas_are_the_22_councils_in_7_regions_with_welsh_names(app, demo):
    with app.app_context():
        regions = db.session.scalars(select(Region)).all()
        assert len(regions) == 7
        assert sum(len(r.local_authorities) for r in regions) == 22
        welsh = {la.name_en: la.name_cy for r in regions for la in r.local_authorities}
        assert welsh["Cardiff"] == "Caerdydd"
        assert welsh["Isle of Anglesey"] == "Ynys Môn"
        assert welsh["Swansea"] == "Abertawe"
        assert welsh["Vale of Glamorgan"] == "Bro Morgannwg"
        by_region = {r.name_en: {la.name_en for la in r.local_authorities} for r in regions}
        assert by_region["Powys"] == {"Powys"}
        assert by_region["Gwent"] == {
            "Blaenau Gwent", "Caerphilly", "Monmouthshire", "Newport", "Torfaen"
        }
        assert {r.name_cy for r in regions} >= {"Gogledd Cymru", "Gorllewin Cymru"}


def test_demo_circle_links_supporter_and_practitioner_to_the_person(app, demo):
    with app.app_context():
        person = db.session.scalar(select(Person))
        assert person.user.username == "demo-person"
        assert person.local_authority.code == "cardiff"
        members = {m.user.username: m.relation for m in person.circle}
        assert members == {
            "demo-supporter": Relationship.FAMILY,
            "demo-practitioner": Relationship.PROFESSIONAL,
        }


def test_seed_areas_alone(app, clean_db):
    result = invoke(app, "seed-areas")
    assert result.exit_code == 0, result.output
    assert "29 areas added" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_seed_demo_is_refused_in_production(make_app, tmp_path):
    production = make_app({"ENVIRONMENT": "production", "SECRET_KEY": SECRET})
    with production.app_context():
        db.create_all()
    result = invoke(production, "seed-demo")
    assert result.exit_code != 0
    assert "refused" in result.output
    with production.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_a_posted_id_is_ascii_digits_that_fit_the_database():
    from portal.core.forms import posted_id

    assert posted_id("42") == 42
    for not_an_id in (None, "", "99999999999999999999999", "²", "4 2", "-1", "1e3", 7):
        assert posted_id(not_an_id) is None


def test_public_url_is_built_on_the_base_url_not_the_request_host():
    from portal.core.urls import public_url

    app = create_app({"ENVIRONMENT": "testing", "BASE_URL": "https://porth.example.cymru/",
                      "DATABASE_URL": "sqlite://"})
    with app.test_request_context("/", base_url="http://127.0.0.1:9999"):
        assert public_url("auth.login") == "https://porth.example.cymru/login"


def test_a_base_url_that_is_not_an_address_stops_the_app():
    with pytest.raises(ConfigError, match="PORTAL_BASE_URL"):
        load_settings({"ENVIRONMENT": "testing", "BASE_URL": "portal.example"})


def test_a_one_time_token_is_stored_only_as_its_hash():
    from portal.core.tokens import new_token, same_hash, token_hash

    token, stored = new_token()
    assert token not in stored and len(token) >= 40
    assert same_hash(token_hash(token), stored)
    assert not same_hash(token_hash(token + "x"), stored)
