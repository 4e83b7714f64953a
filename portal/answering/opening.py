"""Opening a mat or rating session once, however often "Start" or "Next" is tapped.

Both session tables have a UNIQUE `open_key` that names whose open session it is (see
the stores' `open_key` functions). The first request to open it adds the row; a second
one at the same moment loses the race at the database, and finds the winner's row.
"""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.core.extensions import db
from portal.models import MatSession, RatingSession

Session = TypeVar("Session", MatSession, RatingSession)


def by_open_key(model: type[Session], key: str) -> Session | None:
    return db.session.scalar(select(model).where(model.open_key == key))


def open_once(model: type[Session], key: str, **columns) -> Session:
    """The session open under this key, made with these columns when there is none."""
    found = by_open_key(model, key)
    if found is not None:
        return found
    session = model(open_key=key, **columns)
    db.session.add(session)
    try:
        db.session.commit()
    except IntegrityError:  # another request opened it first
        db.session.rollback()
        found = by_open_key(model, key)
        if found is None:
            raise
        return found
    return session
