"""Backing up and restoring the SQLite database while the portal runs.

Both use SQLite's online backup API: it copies the database page by page under SQLite's
own locks, so the copy is a consistent snapshot even while workers write (a plain file
copy of a WAL database is not). PostgreSQL has its own tools (pg_dump, pg_restore): see
"Backups" in the README.

    copy = backup_sqlite(database, target)   # a checked, self-contained copy
    restore_sqlite(copy, database)           # the database becomes the copy again
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import make_url


class BackupError(RuntimeError):
    """The backup or restore cannot be done; the message says why, for the operator."""


def sqlite_path(database_url: str) -> Path | None:
    """The database file of a SQLite URL; None for another database or an in-memory one."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database)


def default_target(backups: Path, prefix: str = "portal") -> Path:
    """instance/backups/portal-20250102T030405Z.sqlite3 (UTC), never an existing file."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = backups / f"{prefix}-{stamp}.sqlite3"
    number = 1
    while target.exists():
        number += 1
        target = backups / f"{prefix}-{stamp}-{number}.sqlite3"
    return target


def _connect(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    if read_only:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
    else:
        connection = sqlite3.connect(path, timeout=30)
    connection.execute("PRAGMA busy_timeout=30000")
    return connection


def _integrity(connection: sqlite3.Connection) -> str:
    return connection.execute("PRAGMA integrity_check").fetchone()[0]


def backup_sqlite(database: Path, target: Path) -> Path:
    """Copy `database` to `target` (which must not exist) and check the copy."""
    if not database.is_file():
        raise BackupError(f"There is no database at {database}.")
    if target.exists():
        raise BackupError(f"{target} exists already: choose another name.")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    source = _connect(database)
    copy = sqlite3.connect(partial)
    try:
        # All pages in one step: one read transaction, so one consistent snapshot, and
        # writers carry on meanwhile (WAL).
        source.backup(copy)
        # One self-contained file: no -wal or -shm beside it.
        copy.execute("PRAGMA journal_mode=DELETE")
        problem = _integrity(copy)
    finally:
        copy.close()
        source.close()
    if problem != "ok":
        partial.unlink(missing_ok=True)
        raise BackupError(f"The copy failed its integrity check: {problem}")
    partial.replace(target)  # never a half-written file under the final name
    return target


def migration_version(path: Path) -> str:
    """The Alembic revision of a SQLite file; BackupError when it is not one of ours."""
    try:
        with open(path, "rb") as file:
            header = file.read(16)
    except OSError as error:
        raise BackupError(f"Cannot read {path}: {error.strerror}.") from None
    if header != b"SQLite format 3\x00":
        raise BackupError(f"{path} is not a SQLite database.")
    connection = _connect(path, read_only=True)
    try:
        problem = _integrity(connection)
        if problem != "ok":
            raise BackupError(f"{path} failed its integrity check: {problem}")
        try:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.DatabaseError:
            row = None
    finally:
        connection.close()
    if row is None:
        raise BackupError(f"{path} is not a backup of this portal (no alembic_version).")
    return row[0]


def restore_sqlite(backup: Path, database: Path) -> None:
    """Write the backup over the live database, through SQLite's locks, so that a worker
    that is running sees either the old database or the restored one, never a mix."""
    source = _connect(backup, read_only=True)
    live = _connect(database)
    try:
        source.backup(live)
        problem = _integrity(live)
    finally:
        live.close()
        source.close()
    if problem != "ok":
        raise BackupError(f"The restored database failed its integrity check: {problem}")


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    amount = size / 1024
    for unit in ("KB", "MB"):
        if amount < 1024:
            return f"{amount:.1f} {unit}"
        amount /= 1024
    return f"{amount:.1f} GB"
