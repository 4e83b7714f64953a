"""Erasing a person: every row about them, their own account, and their mat pictures on disk.

The person is deleted through the ORM, so the commissioning rollups see it
(portal/commissioning/rollups.py marks the person and works their contributions out again in the
same
transaction): their ratings leave the aggregate at the moment they leave the database.
Their conversations, answers, mats, ratings, comments, follow-ups and best-interests
decisions go with them (ON DELETE CASCADE); their circle's memberships and invites too.
Other people's accounts (the circle's members) stay: they are not this person's data.
The audit log keeps its entries, which hold only the person's number.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import delete, select

from portal.core.extensions import db
from portal.models import CircleMember, LoginThrottle, MatSession, Person


def mat_picture_files(person_id: int) -> list[Path]:
    from portal.answering.mats.picture import picture_file

    sessions = db.session.scalars(select(MatSession).where(MatSession.person_id == person_id))
    return [path for path in (picture_file(s) for s in sessions) if path is not None]


def erase_person(person: Person) -> list[Path]:
    """Delete the person (not committed: the caller commits); the picture files to remove
    once the commit has succeeded (see remove_files)."""
    files = mat_picture_files(person.id)
    user = person.user
    db.session.delete(person)
    db.session.flush()
    if user is not None:
        # Should their account also be in someone's circle, that membership goes too.
        for member in db.session.scalars(select(CircleMember).where(
                CircleMember.user_id == user.id)):
            db.session.delete(member)
        db.session.execute(delete(LoginThrottle).where(
            LoginThrottle.username == user.username.lower()))
        db.session.delete(user)
        db.session.flush()
    return files


def remove_files(files: list[Path]) -> None:
    for path in files:
        path.unlink(missing_ok=True)
