"""portal/core/database.py: on PostgreSQL, reads run outside a transaction and every write inside
one; a connection the server closed is replaced before use. These tests make their own
PostgreSQL database, so they run in `make test` and in CI's PostgreSQL pass alike."""

from __future__ import annotations

import select
import time

import psycopg
import pytest
from psycopg.pq import TransactionStatus
from sqlalchemy import func
from sqlalchemy import select as query
from sqlalchemy.exc import IntegrityError

from portal.core.database import is_plain_read
from portal.core.extensions import db
from portal.models import Region
from tests.conftest import pg_admin


@pytest.mark.parametrize("statement", [
    "SELECT users.id FROM users WHERE users.id = %(id)s",
    "\n  select 1",
    "SELECT count(*) FROM answers",
])
def test_plain_selects_need_no_transaction(statement):
    assert is_plain_read(statement)


@pytest.mark.parametrize("statement", [
    "INSERT INTO answers (id) VALUES (1)",
    "UPDATE conversations SET updated_at = now()",
    "DELETE FROM answers",
    "SAVEPOINT sa_savepoint_1",
    "WITH gone AS (DELETE FROM answers RETURNING id) SELECT count(*) FROM gone",
    "SELECT answers.id FROM answers WHERE answers.id = 1 FOR UPDATE",
    "SELECT id FROM answers FOR SHARE",
    "SELECT pg_advisory_xact_lock(1)",
    "SELECT nextval('answers_id_seq')",
    "CREATE TABLE t (id int)",
])
def test_writes_locks_and_effects_need_a_transaction(statement):
    assert not is_plain_read(statement)


@pytest.fixture()
def pg_app(make_app, empty_postgres_url):
    fresh = make_app({"DATABASE_URL": empty_postgres_url})
    with fresh.app_context():
        db.create_all()
        db.session.remove()
    return fresh


def server_status():
    """The transaction status of the session's own connection, as psycopg last saw it."""
    return db.session.connection().connection.dbapi_connection.info.transaction_status


def regions() -> int:
    return db.session.scalar(query(func.count()).select_from(Region))


@pytest.mark.postgres
def test_reads_open_no_transaction_and_a_write_opens_one(pg_app):
    with pg_app.app_context():
        assert regions() == 0
        assert db.session.scalar(query(Region.code)) is None
        assert server_status() == TransactionStatus.IDLE
        db.session.add(Region(code="north", name_en="North", name_cy="Gogledd"))
        db.session.flush()
        assert server_status() == TransactionStatus.INTRANS
        assert regions() == 1  # the transaction sees its own write
        db.session.rollback()
        assert regions() == 0  # and a rollback takes it all back
        assert server_status() == TransactionStatus.IDLE


@pytest.mark.postgres
def test_a_write_that_fails_halfway_leaves_nothing(pg_app):
    with pg_app.app_context():
        db.session.add(Region(code="north", name_en="North", name_cy="Gogledd"))
        db.session.flush()
        db.session.add(Region(code="north", name_en="Again", name_cy="Eto"))
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()
        db.session.remove()
        assert regions() == 0


@pytest.mark.postgres
def test_writes_from_several_statements_commit_together(pg_app):
    with pg_app.app_context():
        assert regions() == 0  # a read first, outside any transaction
        db.session.add(Region(code="north", name_en="North", name_cy="Gogledd"))
        db.session.flush()
        db.session.execute(Region.__table__.insert().values(code="south", name_en="South",
                                                            name_cy="De"))
        # Another connection sees nothing until the commit: it is one transaction.
        with psycopg.connect(pg_app.config["SQLALCHEMY_DATABASE_URI"].replace(
                "postgresql+psycopg://", "postgresql://")) as other:
            assert other.execute("SELECT count(*) FROM regions").fetchone()[0] == 0
            db.session.commit()
            assert other.execute("SELECT count(*) FROM regions").fetchone()[0] == 2


@pytest.mark.postgres
def test_a_savepoint_works_before_any_write(pg_app):
    with pg_app.app_context():
        assert regions() == 0
        with pytest.raises(IntegrityError), db.session.begin_nested():
            db.session.add(Region(code="a", name_en="A", name_cy="A"))
            db.session.flush()
            db.session.add(Region(code="a", name_en="A again", name_cy="A eto"))
        db.session.add(Region(code="b", name_en="B", name_cy="B"))
        db.session.commit()
        assert sorted(db.session.scalars(query(Region.code))) == ["b"]


@pytest.mark.postgres
def test_a_connection_the_server_closed_is_replaced_without_an_error(pg_app):
    with pg_app.app_context():
        raw = db.session.connection().connection.dbapi_connection
        first_pid = raw.info.backend_pid
        db.session.remove()  # back to the pool
        with pg_admin() as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (first_pid,))
        # The server's goodbye reaches the socket; wait for it, as a later request would.
        deadline = time.monotonic() + 5
        while not select.select([raw.fileno()], [], [], 0.05)[0]:
            assert time.monotonic() < deadline, "the server never closed the connection"
        assert regions() == 0  # no OperationalError: the pool opened a new connection
        assert db.session.connection().connection.dbapi_connection.info.backend_pid != first_pid
