"""`flask --app portal backup` and `restore`: a consistent copy of the SQLite database made
while it is being written, and a restore that brings the data back."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import func, select, text

from portal.core.config import PROJECT_ROOT
from portal.core.extensions import db
from portal.models import User
from portal.ops.backup import BackupError, migration_version, sqlite_path
from tests.conftest import seeded

HEAD = ScriptDirectory(str(PROJECT_ROOT / "migrations")).get_current_head()


@pytest.fixture()
def portal_app(make_app):
    """A portal on its own SQLite file, with the demo data and a migration version, as
    `flask db upgrade` leaves it (the version is written directly: it is what restore
    reads, and running Alembic here would only be slower)."""
    fresh = seeded(make_app())
    with fresh.app_context():
        db.session.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)"))
        db.session.execute(text("INSERT INTO alembic_version VALUES (:v)"), {"v": HEAD})
        db.session.commit()
    return fresh


def database_of(app) -> Path:
    return sqlite_path(app.config["SQLALCHEMY_DATABASE_URI"])


def run(app, *args: str, **kwargs):
    return app.test_cli_runner().invoke(args=list(args), **kwargs)


def usernames(path: Path) -> set[str]:
    with sqlite3.connect(path) as connection:
        return {row[0] for row in connection.execute("SELECT username FROM users")}


class Writer(threading.Thread):
    """Another connection inserting and committing numbered rows as fast as it can."""

    def __init__(self, database: Path):
        super().__init__(daemon=True)
        self.database = database
        self.committed = 0
        self.stop = threading.Event()
        self.error: Exception | None = None

    def run(self):
        connection = sqlite3.connect(self.database, timeout=30)
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            while not self.stop.is_set():
                connection.execute("INSERT INTO heartbeat (n, padding) VALUES (?, ?)",
                                   (self.committed + 1, "x" * 200))
                connection.commit()
                self.committed += 1
        except Exception as error:  # reported by the test
            self.error = error
        finally:
            connection.close()


def test_backup_while_another_connection_writes(portal_app, tmp_path):
    database = database_of(portal_app)
    with sqlite3.connect(database) as connection:
        connection.execute("CREATE TABLE heartbeat (n INTEGER PRIMARY KEY, padding TEXT)")
        # Enough pages that the copy takes a while as the writer carries on.
        connection.execute("CREATE TABLE ballast (id INTEGER PRIMARY KEY, words TEXT)")
        connection.executemany("INSERT INTO ballast (words) VALUES (?)",
                               (("ŵŷ " * 100,) for _ in range(20000)))
    writer = Writer(database)
    writer.start()
    try:
        while writer.committed < 200 and writer.is_alive():
            time.sleep(0.01)
        committed_before = writer.committed
        target = tmp_path / "copies" / "while-writing.sqlite3"
        result = run(portal_app, "backup", str(target))
        committed_after = writer.committed
    finally:
        writer.stop.set()
        writer.join(timeout=30)
    assert writer.error is None, writer.error
    assert result.exit_code == 0, result.output
    assert str(target) in result.output and "MB" in result.output

    assert target.exists() and not target.with_name(target.name + ".partial").exists()
    with sqlite3.connect(target) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        numbers = [n for (n,) in copy.execute("SELECT n FROM heartbeat ORDER BY n")]
        assert copy.execute("SELECT count(*) FROM ballast").fetchone()[0] == 20000
        assert copy.execute("SELECT version_num FROM alembic_version").fetchone()[0] == HEAD
    # Every row committed before the backup began is there, and the copy is one moment:
    # rows 1..k with no gap, never a later row without an earlier one.
    assert len(numbers) >= committed_before
    assert numbers == list(range(1, len(numbers) + 1))
    assert len(numbers) <= committed_after + 1
    assert not Path(str(target) + "-wal").exists()


def test_backup_goes_under_instance_backups_by_default(portal_app):
    result = run(portal_app, "backup")
    assert result.exit_code == 0, result.output
    made = list((Path(portal_app.instance_path) / "backups").glob("portal-*.sqlite3"))
    assert len(made) == 1
    assert made[0].name[len("portal-"):].startswith(time.strftime("%Y", time.gmtime()))
    assert str(made[0]) in result.output
    assert usernames(made[0]) >= {"demo-admin", "demo-person"}
    again = run(portal_app, "backup")  # within the same second: a second file, not a clash
    assert again.exit_code == 0, again.output
    assert len(list((Path(portal_app.instance_path) / "backups").glob("portal-*"))) == 2


def test_backup_will_not_overwrite_a_file(portal_app, tmp_path):
    target = tmp_path / "exists.sqlite3"
    target.write_text("keep me")
    result = run(portal_app, "backup", str(target))
    assert result.exit_code != 0
    assert "exists already" in result.output
    assert target.read_text() == "keep me"


def test_restore_brings_the_data_back(portal_app, tmp_path):
    copy = tmp_path / "before.sqlite3"
    assert run(portal_app, "backup", str(copy)).exit_code == 0
    with portal_app.app_context():  # a change after the backup
        db.session.add(User(username="made-after", role="admin", display_name="Later",
                            password_hash="x"))
        db.session.execute(text("DELETE FROM users WHERE username = 'demo-commissioner'"))
        db.session.commit()
        db.session.remove()
    result = run(portal_app, "restore", str(copy), "--yes")
    assert result.exit_code == 0, result.output
    assert "restored" in result.output

    database = database_of(portal_app)
    assert "made-after" not in usernames(database)
    assert "demo-commissioner" in usernames(database)
    with portal_app.app_context():  # the app reads the restored data at once
        assert db.session.scalar(select(func.count()).where(User.username == "made-after")) == 0
        db.session.remove()
    # What was there before the restore is kept, in case it was the wrong backup.
    kept = list((Path(portal_app.instance_path) / "backups").glob("before-restore-*.sqlite3"))
    assert len(kept) == 1 and str(kept[0]) in result.output
    assert "made-after" in usernames(kept[0])
    assert portal_app.test_client().get("/healthz").get_json() == {"status": "ok"}


def test_restore_asks_first(portal_app, tmp_path):
    copy = tmp_path / "before.sqlite3"
    run(portal_app, "backup", str(copy))
    with portal_app.app_context():
        db.session.add(User(username="still-here", role="admin", display_name="S",
                            password_hash="x"))
        db.session.commit()
        db.session.remove()
    result = run(portal_app, "restore", str(copy), input="n\n")
    assert result.exit_code != 0
    assert "Replace everything" in result.output
    assert "still-here" in usernames(database_of(portal_app))


def test_restore_refuses_what_is_not_a_backup(portal_app, tmp_path):
    not_sqlite = tmp_path / "notes.sqlite3"
    not_sqlite.write_text("hello")
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE things (id INTEGER)")
    unknown = tmp_path / "future.sqlite3"
    with sqlite3.connect(unknown) as connection:
        connection.execute("CREATE TABLE alembic_version (version_num TEXT)")
        connection.execute("INSERT INTO alembic_version VALUES ('9999_from_the_future')")
    before = usernames(database_of(portal_app))
    for path, reason in ((not_sqlite, "not a SQLite database"),
                         (other, "not a backup of this portal"),
                         (unknown, "does not know")):
        result = run(portal_app, "restore", str(path), "--yes")
        assert result.exit_code != 0, path
        assert reason in result.output, result.output
    assert run(portal_app, "restore", str(database_of(portal_app)), "--yes").exit_code != 0
    assert usernames(database_of(portal_app)) == before
    assert not (Path(portal_app.instance_path) / "backups").exists()


def test_migration_version_reads_a_backup(portal_app, tmp_path):
    copy = tmp_path / "copy.sqlite3"
    run(portal_app, "backup", str(copy))
    assert migration_version(copy) == HEAD
    with pytest.raises(BackupError):
        migration_version(tmp_path / "missing.sqlite3")


@pytest.mark.parametrize("command", [("backup",), ("restore", "{path}", "--yes")])
def test_postgresql_is_sent_to_pg_dump(make_app, tmp_path, command):
    # Building the app connects to nothing, so no server is needed to be refused.
    fresh = make_app({"DATABASE_URL": "postgresql+psycopg://portal@127.0.0.1:1/portal"})
    backup = tmp_path / "any.sqlite3"
    backup.write_bytes(b"")
    result = run(fresh, *(part.format(path=backup) for part in command))
    assert result.exit_code != 0
    assert "pg_dump" in result.output and "README" in result.output
