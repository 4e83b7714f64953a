"""Migration 0013: the audit log's CHECK constraint is rebuilt to take the new action
(and put back on the way down), on SQLite (batch mode copies the table) and PostgreSQL."""

from __future__ import annotations

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from portal.core.extensions import db
from tests.test_migrations import keep_logging  # noqa: F401 (autouse: Alembic's logging)

INSERT = text("INSERT INTO audit_entries (at, role, action, endpoint, method) "
              "VALUES (CURRENT_TIMESTAMP, 'admin', :action, 'second_step.reset', 'POST')")


def _check_the_action_constraint(app) -> None:
    with app.app_context():
        upgrade()
        with db.engine.begin() as connection:
            connection.execute(INSERT, {"action": "second_step_reset"})
            connection.execute(INSERT, {"action": "view"})
        with pytest.raises(IntegrityError), db.engine.begin() as connection:
            connection.execute(INSERT, {"action": "no_such_action"})
        # Down: the new entries go, the old CHECK comes back, the other entries stay.
        downgrade(revision="0012_person_signin")
        with db.engine.begin() as connection:
            actions = connection.execute(text("SELECT action FROM audit_entries")).scalars()
            assert list(actions) == ["view"]
        with pytest.raises(IntegrityError), db.engine.begin() as connection:
            connection.execute(INSERT, {"action": "second_step_reset"})
        upgrade()


def test_the_new_audit_action_is_allowed_on_sqlite(make_app, tmp_path):
    _check_the_action_constraint(
        make_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'second.sqlite3'}"}))


@pytest.mark.postgres
def test_the_new_audit_action_is_allowed_on_postgres(make_app, empty_postgres_url):
    _check_the_action_constraint(make_app({"DATABASE_URL": empty_postgres_url}))
