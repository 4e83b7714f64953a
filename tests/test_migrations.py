"""The database built by the Alembic migrations matches the models, on SQLite and PostgreSQL,
and the migrations go back down to nothing."""

from __future__ import annotations

import logging

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from portal.core.extensions import db


@pytest.fixture(autouse=True)
def keep_logging():
    """Alembic's env.py runs logging.config.fileConfig, which disables every logger it
    does not name (the app's own among them); put them back for the tests after us."""
    manager = logging.root.manager
    disabled = {name: getattr(lg, "disabled", False) for name, lg in manager.loggerDict.items()}
    root_level, root_handlers = logging.root.level, list(logging.root.handlers)
    yield
    for name, logger in list(manager.loggerDict.items()):
        if isinstance(logger, logging.Logger):
            logger.disabled = disabled.get(name, False)
    logging.root.setLevel(root_level)
    logging.root.handlers[:] = root_handlers


def differences(app) -> list:
    with app.app_context(), db.engine.connect() as connection:
        return compare_metadata(MigrationContext.configure(connection), db.metadata)


def migrate_up_check_and_down(app) -> None:
    with app.app_context():
        upgrade()
        tables = set(inspect(db.engine).get_table_names())
    assert set(db.metadata.tables) <= tables
    assert differences(app) == []
    with app.app_context():
        downgrade(revision="base")
        left = set(inspect(db.engine).get_table_names())
    assert left <= {"alembic_version"}, f"downgrade left {left - {'alembic_version'}}"
    with app.app_context():
        upgrade()  # and up again from nothing
    assert differences(app) == []


CONTRIBUTION = ("INSERT INTO rating_contributions (person_id, {owner}period, respondent,"
                " statement_key, local_authority_id, source, age_band, point_key, score_milli)"
                " VALUES ({ids}'2024', 'self', 'safe', 1, '{source}', 'unknown', 'a', {score})")


def participants_move_up_and_back(app) -> None:
    """0014_participant_keys: a participant's contribution (minus their id in person_id)
    moves to participant_id, keeping its values, and back again on the way down."""

    def rows():
        with db.engine.connect() as connection:
            return connection.execute(text(
                "SELECT * FROM rating_contributions ORDER BY score_milli")).mappings().all()

    with app.app_context():
        upgrade(revision="0013_disclosure")
        with db.engine.begin() as connection:
            for person_id, source, score in ((5, "review", 1000), (-5, "event", 2000)):
                connection.execute(text(CONTRIBUTION.format(
                    owner="", ids=f"{person_id}, ", source=source, score=score)))
        upgrade(revision="0014_participant_keys")
        assert [(r["person_id"], r["participant_id"], r["source"]) for r in rows()] == [
            (5, None, "review"), (None, 5, "event")]
        with pytest.raises(IntegrityError), db.engine.begin() as connection:
            # neither a person nor a participant: the one-owner CHECK refuses it
            connection.execute(text(CONTRIBUTION.format(
                owner="participant_id, ", ids="NULL, NULL, ", source="event", score=3000)))
        downgrade(revision="0013_disclosure")
        assert [(r["person_id"], r["score_milli"]) for r in rows()] == [(5, 1000), (-5, 2000)]
        downgrade(revision="base")


def test_migrations_match_the_models_on_sqlite(make_app, tmp_path):
    fresh = make_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'migrated.sqlite3'}"})
    migrate_up_check_and_down(fresh)


def test_a_migrated_sqlite_database_serves_the_portal(make_app, tmp_path):
    from portal.ops.demo import seed_demo

    fresh = make_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'served.sqlite3'}"})
    with fresh.app_context():
        upgrade()
        seed_demo()
    client = fresh.test_client()
    response = client.post_form("/login", {"username": "demo-person", "password": "demo-password"})
    assert response.headers["Location"] == "/me/"
    assert "Alex" in client.get("/me/").get_data(as_text=True)


def test_the_check_sees_a_difference(make_app, tmp_path):
    """The comparison is not vacuous: a column the migrations lack is reported."""
    fresh = make_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'drift.sqlite3'}"})
    with fresh.app_context():
        upgrade()
        with db.engine.begin() as connection:
            connection.execute(text("ALTER TABLE regions ADD COLUMN stray VARCHAR(10)"))
    found = differences(fresh)
    assert any(d[0] == "remove_column" and d[3].name == "stray" for d in found), found


@pytest.mark.postgres
def contribution_keys_hold(app) -> None:
    """0015_contribution_keys: the partial unique keys still refuse a second contribution
    for the same owner and key, of either kind; a person and a participant with the same
    id do not clash; and the one-owner CHECK survived SQLite's copy of the table."""

    def insert(owner: str, ids: str, source: str, score: int) -> None:
        with db.engine.begin() as connection:
            connection.execute(text(CONTRIBUTION.format(owner=owner, ids=ids, source=source,
                                                        score=score)))

    with app.app_context():
        upgrade(revision="0014_participant_keys")
        insert("participant_id, ", "5, NULL, ", "review", 1000)
        insert("participant_id, ", "NULL, 5, ", "event", 2000)  # same id, other kind
        upgrade(revision="0015_contribution_keys")  # the rows come through SQLite's copy
        with db.engine.connect() as connection:
            kept = connection.execute(text(
                "SELECT person_id, participant_id, score_milli FROM rating_contributions"
                " ORDER BY score_milli")).all()
        assert [tuple(row) for row in kept] == [(5, None, 1000), (None, 5, 2000)]
        for owner_ids in ("5, NULL, ", "NULL, 5, ", "NULL, NULL, "):
            with pytest.raises(IntegrityError):
                insert("participant_id, ", owner_ids, "event", 3000)
        downgrade(revision="0014_participant_keys")
        with pytest.raises(IntegrityError):  # the full keys are back on the way down
            insert("participant_id, ", "5, NULL, ", "review", 4000)
        downgrade(revision="base")


def test_contribution_keys_hold_on_sqlite(make_app, tmp_path):
    contribution_keys_hold(make_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'keys.sqlite3'}"}))


@pytest.mark.postgres
def test_contribution_keys_hold_on_postgres(make_app, empty_postgres_url):
    contribution_keys_hold(make_app({"DATABASE_URL": empty_postgres_url}))


def test_contribution_lookups_use_the_owners_keys(make_app, tmp_path):
    """The rollups find an owner's contributions through the partial unique keys (no
    index of its own on the owner columns any more): SQLite's plan says so."""
    app = make_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'plan.sqlite3'}"})
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            plan = " ".join(str(row[-1]) for row in connection.execute(text(
                "EXPLAIN QUERY PLAN SELECT * FROM rating_contributions"
                " WHERE person_id IN (1, 2) OR participant_id IN (3)")))
        downgrade(revision="base")
    assert "uq_rating_contributions_key" in plan, plan
    assert "uq_rating_contributions_participant_key" in plan, plan
    assert "SCAN rating_contributions" not in plan, plan


def test_migrations_match_the_models_on_postgres(make_app, empty_postgres_url):
    fresh = make_app({"DATABASE_URL": empty_postgres_url})
    migrate_up_check_and_down(fresh)


def test_participant_keys_migrate_on_sqlite(make_app, tmp_path):
    participants_move_up_and_back(
        make_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'participants.sqlite3'}"}))


@pytest.mark.postgres
def test_participant_keys_migrate_on_postgres(make_app, empty_postgres_url):
    participants_move_up_and_back(make_app({"DATABASE_URL": empty_postgres_url}))


@pytest.mark.postgres
def test_welsh_text_round_trips_on_postgres(make_app, empty_postgres_url):
    from portal.models import Region

    fresh = make_app({"DATABASE_URL": empty_postgres_url})
    with fresh.app_context():
        upgrade()
        db.session.add(Region(code="x", name_en="Anglesey", name_cy="Ynys Môn ŵŷ Ŵ Ŷ ẁ ẃ ỳ"))
        db.session.commit()
        db.session.expunge_all()
        assert db.session.query(Region).one().name_cy == "Ynys Môn ŵŷ Ŵ Ŷ ẁ ẃ ỳ"
