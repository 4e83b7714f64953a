"""What every screen reads of the content, kept in each worker until the content changes.

Why: a question screen needs the questions, the themes, the pictures in use and the
recordings. Reading them afresh on every request was a third of the page's time with
400 tablets at once (issue 9).

How it stays true: any change to a content item, a picture upload or a recording, made
by any worker or command, gives `content_stamp` a new random stamp in the same
transaction (portal/core/hooks.py listens with `stamp_on_flush` and `stamp_on_bulk_write`
to every flush and bulk update). A worker reads the stamp once a request and reuses what
it kept only while the stamp is the same. The stamp and what it guards are read in the
same transaction, so they always belong together.

What is kept is never in a session: transient copies made from plain rows, so nothing
can expire them, lazy-load through them, or carry them into another request's session.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from itertools import chain
from typing import TypeVar

from flask import g, has_request_context
from sqlalchemy import select, update

from portal.core.cache import app_store
from portal.core.extensions import db
from portal.models import AudioRecording, ContentItem, ContentStamp, PictureUpload, User

WATCHED = (ContentItem, PictureUpload, AudioRecording)
_STAMP = ContentStamp.__table__
_STAMP_QUERY = select(_STAMP.c.stamp).where(_STAMP.c.id == 1)
T = TypeVar("T")
# A few dozen names are kept (questions, themes, pictures in use...): room to spare.
MOST_KEPT = 256


def current_stamp() -> str | None:
    """The stamp, read once a request (None without the row: nothing is kept then)."""
    if has_request_context() and "_content_stamp" in g:
        return g._content_stamp
    stamp = db.session.scalar(_STAMP_QUERY)
    if has_request_context():
        g._content_stamp = stamp
    return stamp


def user_and_stamp(user_id: int) -> User | None:
    """The signed-in user's row with the stamp, in one query.

    Why: nearly every signed-in page needs both, and on PostgreSQL each round trip costs
    about 0.2 ms of CPU on these 2-core machines (issue 9): the stamp rides along.
    """
    row = db.session.execute(
        select(User, _STAMP_QUERY.scalar_subquery()).where(User.id == user_id)).first()
    if row is None:
        return None
    if has_request_context():
        g._content_stamp = row[1]
    return row[0]


def kept(name: str, load: Callable[[], T]) -> T:
    """load()'s result, from this worker's store while the content has not changed.

    Kept under the stamp read in this request (portal/core/cache.py): a change from any
    worker gives a new stamp, so the old value is never given back; a value loaded inside
    a change that was rolled back is kept under a stamp nobody will read again."""
    stamp = current_stamp()
    if stamp is None:
        return load()
    return app_store("content", MOST_KEPT).kept(name, stamp, load)


def copies(model: type[T], statement) -> list[T]:
    """Transient copies of the rows `statement` (a select of the model's table) finds."""
    return [model(**row._asdict()) for row in db.session.execute(statement)]


# --- Keeping the stamp true -----------------------------------------------------------------


def _new_stamp(session) -> None:
    session.execute(update(_STAMP).where(_STAMP.c.id == 1).values(stamp=uuid.uuid4().hex))
    if has_request_context():
        g.pop("_content_stamp", None)  # this request reads the new one


def content_changed() -> None:
    """Say that content changed outside the database (clips built on disk); commit after."""
    _new_stamp(db.session)


def stamp_on_flush(session, _context, _instances) -> None:
    if any(isinstance(o, WATCHED) for o in chain(session.new, session.dirty, session.deleted)):
        _new_stamp(session)


def stamp_on_bulk_write(state) -> None:
    if (state.is_update or state.is_delete) and any(
        mapper.class_ in WATCHED for mapper in state.all_mappers
    ):
        _new_stamp(state.session)
