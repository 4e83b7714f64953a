"""How the portal talks to its database: engine options and connection hooks.

SQLite: WAL, a busy timeout and foreign keys on every connection.

PostgreSQL: every round trip costs CPU on both sides, and 400 tablets make a lot of them
(issue 9's load goal). Two round trips of every request, and a third of every pooled
checkout, did nothing useful, so they are gone:

- **No transaction for reads.** Connections are in autocommit mode, and the first
  statement that is not a plain SELECT sends BEGIN first. A page that only reads sends no
  BEGIN and no ROLLBACK. This changes nothing that a request can see: at READ COMMITTED
  (PostgreSQL's default, and the portal's) every statement takes its own snapshot inside a
  transaction too, and a plain SELECT takes no lock that a transaction would hold. Every
  write is still in a transaction: everything from the first write to the commit or
  rollback is one unit, savepoints included. The portal takes no row locks with SELECT
  (no FOR UPDATE) and no advisory locks; a statement that does is treated as a write.
- **No ping on checkout.** Instead of a `SELECT 1` round trip each time a connection
  leaves the pool, the pool looks at the connection's socket without waiting. An idle
  connection has nothing to read: if it does, the server has closed it or is closing it
  (a restart, or `pg_terminate_backend`), and the pool opens a fresh one instead.
"""

from __future__ import annotations

import select

from psycopg.pq import TransactionStatus
from sqlalchemy import event, exc
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine

from portal.core.extensions import db

# A SELECT that locks, or calls something with effects, needs a transaction around it.
_NOT_PLAIN_READS = ("FOR UPDATE", "FOR SHARE", "FOR NO KEY", "FOR KEY SHARE",
                    "PG_ADVISORY", "NEXTVAL", "SETVAL", "SET_CONFIG")


def engine_options(url: str) -> dict:
    if url.startswith("sqlite"):
        # Writers wait for each other (busy timeout) instead of failing at once.
        return {"connect_args": {"timeout": 30, "check_same_thread": False}}
    return {"isolation_level": "AUTOCOMMIT"}


def insert_unless_there(model, *unique_columns: str):
    """An INSERT into model's table that does nothing where a row with the same values in
    unique_columns is there already (ON CONFLICT DO NOTHING, on SQLite and PostgreSQL).

    With RETURNING it gives the new row, or nothing: one round trip, and no savepoint to
    recover from a clash.
    """
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(model).on_conflict_do_nothing(index_elements=list(unique_columns))


def install(engine: Engine) -> None:
    """The hooks for this engine's database."""
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    elif engine.dialect.name == "postgresql":
        event.listen(engine, "checkout", _replace_if_closed_by_server)
        event.listen(engine, "before_cursor_execute", _begin_before_writing)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # WAL lets readers and one writer work together; the busy timeout makes a second
    # writer wait rather than fail with "database is locked".
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def is_plain_read(statement: str) -> bool:
    """A SELECT that neither locks nor changes anything: it needs no transaction."""
    if statement.lstrip()[:6].upper() != "SELECT":
        return False
    upper = statement.upper()
    return not any(marker in upper for marker in _NOT_PLAIN_READS)


def _begin_before_writing(_conn, cursor, statement, _parameters, _context, _many) -> None:
    raw = cursor.connection
    if raw.info.transaction_status == TransactionStatus.IDLE and not is_plain_read(statement):
        cursor.execute("BEGIN")


def _replace_if_closed_by_server(dbapi_connection, _record, _proxy) -> None:
    if dbapi_connection.closed or _has_unread_input(dbapi_connection.fileno()):
        # The pool drops this connection and checks out another (a new one if need be).
        raise exc.DisconnectionError("the database server closed this connection")


def _has_unread_input(fd: int) -> bool:
    poller = select.poll()
    poller.register(fd, select.POLLIN | select.POLLERR | select.POLLHUP)
    return bool(poller.poll(0))
