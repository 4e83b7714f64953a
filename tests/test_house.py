"""The house rules of portal/ (issue 17): where things are installed.

Every ORM session listener is installed by portal/core/hooks.py, from its one table; a
listener installed anywhere else could run twice, or in an order nobody chose.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from sqlalchemy import event, select

from portal import create_app
from portal.commissioning.rollups import expected_rollup, rollup_table
from portal.content.store import load_content
from portal.core import hooks
from portal.core.extensions import db
from portal.models import (
    ContentItem,
    LocalAuthority,
    Person,
    Perspective,
    Rating,
    RatingSession,
    RatingStatus,
    SafetyFollowUp,
)
from portal.ops.demo import seed_areas

PORTAL = Path(__file__).resolve().parent.parent / "portal"
LISTENING = re.compile(r"\bevent\.listens?_?(for)?\(|\blistens_for\(|\bimport\b.*\blisten")
# Where listening is allowed, and why (see the docstring of portal/core/hooks.py).
ALLOWED = {
    "core/hooks.py": "every ORM session listener",
    "core/database.py": "the engine's connection settings",
    "models/content.py": "the after_create DDL that gives content_stamp its row",
}


def test_only_the_hooks_module_installs_listeners():
    found = []
    for path in sorted(PORTAL.rglob("*.py")):
        name = path.relative_to(PORTAL).as_posix()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if LISTENING.search(line) and name not in ALLOWED:
                found.append(f"portal/{name}:{number}: {line.strip()}")
    assert not found, "listen in portal/core/hooks.py instead:\n" + "\n".join(found)


def test_the_ddl_listener_is_the_only_listening_in_the_models():
    text = (PORTAL / "models" / "content.py").read_text(encoding="utf-8")
    assert len(LISTENING.findall(text)) == 1 and '"after_create"' in text


def test_every_hook_is_installed_once_however_many_apps(app):
    create_app({"ENVIRONMENT": "testing", "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
                "INSTANCE_PATH": app.instance_path, "TESTING": True})
    with app.app_context():
        session = db.session()  # the class every page and command saves with
        for hook in hooks.HOOKS:
            assert event.contains(hook.target, hook.event, hook.listener), hook.why
            listeners = list(getattr(session.dispatch, hook.event))
            assert listeners.count(hook.listener) == 1, hook.why
        # within an event, the table's order
        flushes = [h.listener for h in hooks.HOOKS if h.event == "before_flush"]
        assert [f for f in session.dispatch.before_flush if f in flushes] == flushes


def test_a_rating_save_raises_its_follow_up_and_moves_the_rollups(app, clean_db):
    with app.app_context():
        load_content()
        seed_areas()
        statement = next(item for item in db.session.scalars(select(ContentItem).where(
            ContentItem.kind == "statement", ContentItem.is_current))
            if (item.data or {}).get("safety"))
        points = db.session.scalars(select(ContentItem).where(
            ContentItem.kind == "scale_point", ContentItem.is_current,
            ContentItem.key.like("scale_point.how-true.%")))
        not_true = next(p for p in points if p.data["score"] == 0)
        scale = db.session.scalar(select(ContentItem).where(ContentItem.key == "scale.how-true"))
        person = Person(display_name="Alex",
                        local_authority_id=db.session.scalars(select(LocalAuthority.id)).first())
        db.session.add(person)
        db.session.commit()  # as on the rating pages: the person is there before they rate
        session = RatingSession(person_id=person.id, language="en", perspective=Perspective.SELF,
                                finished_at=datetime(2024, 2, 1))
        session.ratings.append(Rating(
            statement_key=statement.key.split(".", 1)[1], statement_item_id=statement.id,
            scale_item_id=scale.id, point_item_id=not_true.id, status=RatingStatus.RATED,
            score=0.0))
        db.session.add(session)
        db.session.commit()

        follow_ups = list(db.session.scalars(select(SafetyFollowUp)))
        assert [f.person_id for f in follow_ups] == [person.id]
        conn = db.session.connection()
        cells = rollup_table(conn)
        assert cells and cells == expected_rollup(conn)
        assert {cell[5] for cell in cells} == {statement.key.split(".", 1)[1]}
