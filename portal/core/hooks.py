"""Every ORM session listener of the portal, in one table, installed once by create_app.

A save has side effects that must happen in the same transaction as the save, whatever
page or command made it: a rating moves the commissioning rollups, a "Not true" to a
safety statement raises a follow-up, a content change gives the content cache a new
stamp, an answer on a handed-over tablet records the hand-over. Each feature keeps its
listener function (that is the feature's logic); this module is the one place that says
which of them listen, to what, and in which order, so that nothing is listened to twice
and nothing is forgotten. tests/test_house.py fails if `event.listen` or
`event.listens_for` appears anywhere else in portal/, except:

- portal/core/database.py: the engine's connection settings (SQLite pragmas, PostgreSQL
  BEGIN-before-writing and the dead-connection check). They are about the connection,
  not about what a save means, and belong with the engine options.
- portal/models/content.py: the `after_create` DDL listener that gives `content_stamp`
  its one row when `db.create_all` makes the table (the tests; the migration inserts it
  itself). It is table DDL, kept next to the table: it must be there whenever the
  metadata is used, with or without an app.

Order matters within an event: listeners run in the order of the table. The order is the
one the features were installed in before they were gathered here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import event
from sqlalchemy.orm import Session

from portal.answering.ratings import safety
from portal.commissioning import rollups
from portal.content import cache
from portal.handover import state as hand_over


class Hook(NamedTuple):
    target: type[Session]
    event: str
    listener: Callable
    why: str


# `FlaskSession` is db.session's class (every page and command); `Session` is every
# session, including ones a script opens itself on the engine.
HOOKS: tuple[Hook, ...] = (
    Hook(FlaskSession, "before_flush", rollups.mark_changed,
         "note whose ratings a flush changes (people and event participants)"),
    Hook(FlaskSession, "after_flush", rollups.refresh_marked,
         "move their rollup contributions and cells in the same transaction (issue 8)"),
    Hook(FlaskSession, "before_flush", cache.stamp_on_flush,
         "a flushed content item, picture or recording gives the content a new stamp"),
    Hook(FlaskSession, "do_orm_execute", cache.stamp_on_bulk_write,
         "so does a bulk UPDATE or DELETE of them, which never reaches a flush"),
    Hook(FlaskSession, "before_flush", hand_over.stamp_flushed,
         "an answer, placement or rating made on a handed-over tablet records the hand-over"),
    Hook(FlaskSession, "do_orm_execute", hand_over.stamp_inserted,
         "so does the answers' upsert (INSERT ... ON CONFLICT), which skips the flush"),
    Hook(Session, "before_flush", safety.raise_follow_ups,
         "a 'Not true' to a safety statement raises a follow-up, on any session (issue 6)"),
)


def install() -> None:
    """Listen with every hook of the table; calling it again (each create_app) adds none."""
    for hook in HOOKS:
        if not event.contains(hook.target, hook.event, hook.listener):
            event.listen(hook.target, hook.event, hook.listener)
