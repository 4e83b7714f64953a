"""Every way of signing in stores the session version (portal/accounts/sessions.py), so a
change to it ends the session whichever way it began; and two admins removing each other
at the same moment cannot leave the portal with none."""

from __future__ import annotations

import threading

from sqlalchemy import select, update

from portal.accounts import store
from portal.core.extensions import db
from portal.models import Person, Role, User
from tests.conftest import sign_in

THREE = ["bus", "heart", "wales"]


def bump(app, username: str) -> None:
    with app.app_context():
        db.session.execute(update(User).where(User.username == username)
                           .values(session_version=User.session_version + 1))
        db.session.commit()
        db.session.remove()


def test_a_password_session_ends_when_the_version_changes(app, demo):
    client = app.test_client()
    sign_in(client, "demo-supporter")
    assert client.get("/supporter").status_code == 200
    bump(app, "demo-supporter")
    assert client.get("/supporter").status_code == 302
    # Signing in again stores the new version.
    sign_in(client, "demo-supporter")
    assert client.get("/supporter").status_code == 200


def test_a_card_session_ends_when_the_version_changes(app, demo):
    from portal.signin import cards

    with app.app_context():
        person = db.session.scalar(select(Person).where(Person.display_name == "Alex"))
        staff = db.session.scalar(select(User.id).where(User.username == "demo-practitioner"))
        _card, token = cards.make_card(person, THREE, staff)
        db.session.commit()
        db.session.remove()
    tablet = app.test_client()
    assert tablet.post_form(f"/card/{token}", {"pictures": THREE}).status_code == 302
    assert tablet.get("/me/").status_code == 200
    bump(app, "demo-person")
    assert tablet.get("/me/").status_code == 302


def _admins(app, names: list[str]) -> list[int]:
    with app.app_context():
        ids = []
        for name in names:
            user = User(username=name, role=Role.ADMIN, display_name=name)
            user.set_password("a long enough password")
            db.session.add(user)
            db.session.flush()
            ids.append(user.id)
        db.session.execute(update(User).where(User.username == "demo-admin")
                           .values(active=False))
        db.session.commit()
        db.session.remove()
    return ids


def _remove(app, user_id: int, start: threading.Barrier, outcome: dict[int, str]) -> None:
    """One admin's request: deactivate `user_id`, at the same moment as the other."""
    with app.app_context():
        start.wait()
        user = db.session.get(User, user_id)
        try:
            store.deactivate(user, None)
            db.session.commit()
            outcome[user_id] = "removed"
        except store.LastAdmin:
            db.session.rollback()
            outcome[user_id] = "refused"
        finally:
            db.session.remove()


def test_two_admins_removing_each_other_at_once_leave_one(app, demo):
    for attempt in range(3):
        ids = _admins(app, [f"first-{attempt}", f"second-{attempt}"])
        start = threading.Barrier(2)
        outcome: dict[int, str] = {}

        threads = [threading.Thread(target=_remove, args=(app, i, start, outcome))
                   for i in ids]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert sorted(outcome.values()) == ["refused", "removed"]
        with app.app_context():
            active = db.session.scalars(select(User.username).where(
                User.role == Role.ADMIN, User.active.is_(True))).all()
            assert len(active) == 1
            # The survivor is demoted out of the way for the next attempt.
            db.session.execute(update(User).where(User.role == Role.ADMIN)
                               .values(active=False))
            db.session.commit()
            db.session.remove()
