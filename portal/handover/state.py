"""The state of a hand-over, and the hooks that keep it honest.

During a hand-over the session is signed in as the person (so every person page works
as it does for them, and every staff page refuses them: portal/core/access.py checks the
role), and `session[HAND_OVER]` holds the hand-over's id. Each request checks the
hand-over is still open and its giver's account still active, and puts its id in
`g`. A `before_flush` hook and a `do_orm_execute` hook (the answers' single-statement
insert bypasses the flush: portal/conversations/store.py) stamp every answer, mat
placement and rating saved on such a request with the hand-over, so "who was there"
is a column on what is saved.

A hand-over ends when it is taken back (routes.py), and on any sign-out or new sign-in:
sign-out, idle sign-out (portal/core/sessions.py uses the staff idle limit during a
hand-over: the session is the staff member's tablet) or the giver's account closing.
"""

from __future__ import annotations

from flask import Flask, g, has_request_context, redirect, request, session, url_for
from flask_login import current_user, login_user, logout_user, user_logged_in, user_logged_out
from sqlalchemy import inspect
from sqlalchemy.orm import Session

from portal.core.clock import utcnow
from portal.core.extensions import db
from portal.core.security import PUBLIC_FILE_ENDPOINTS
from portal.core.sessions import HAND_OVER
from portal.models import Answer, HandOver, HandOverEnd, MatPlacement, Rating

GIVER_VERSION = "hand_over_giver_version"
STAMPED = (Answer, MatPlacement, Rating)
# The columns that hold the answer itself, for each kind of saved thing.
ANSWERED = {Answer: ("status", "text"),
            MatPlacement: ("status", "point_item_id", "own_words"),
            Rating: ("status", "point_item_id", "score")}


def in_hand_over() -> bool:
    return has_request_context() and HAND_OVER in session


def current_id() -> int | None:
    """The hand-over of this request, once `check` has found it open."""
    return g.get("hand_over_id") if has_request_context() else None


def open_hand_over() -> HandOver | None:
    hand_over_id = session.get(HAND_OVER) if has_request_context() else None
    if not isinstance(hand_over_id, int):
        return None
    hand_over = db.session.get(HandOver, hand_over_id)
    return hand_over if hand_over is not None and hand_over.ended_at is None else None


def sign_in_as(user) -> None:
    """The one place a hand-over changes who is signed in (giving, and taking back): a
    fresh session, then the user. Whatever signing in must also note in the session
    (as portal/auth/routes.py does) belongs here too."""
    session.clear()
    login_user(user)


def _version(user) -> int:
    # An account's session version (issue 15, portal/accounts): a reset adds one.
    return getattr(user, "session_version", 0) or 0


def begin(hand_over: HandOver, giver) -> None:
    session[HAND_OVER] = hand_over.id
    session[GIVER_VERSION] = _version(giver)


def finish(hand_over: HandOver, how: HandOverEnd) -> None:
    if hand_over.ended_at is None:
        hand_over.ended_at = utcnow()
        hand_over.ended_how = how
    session.pop(HAND_OVER, None)
    session.pop(GIVER_VERSION, None)


def _still_good(hand_over: HandOver | None) -> bool:
    if hand_over is None or not current_user.is_authenticated:
        return False
    giver = hand_over.given_by
    # The tablet is still the giver's: their account closed or reset ends it, as it ends
    # every other session of theirs.
    return (hand_over.person.user_id == current_user.id and giver is not None
            and giver.active and session.get(GIVER_VERSION, 0) == _version(giver))


def check():
    """Before every request (after the idle check): a hand-over that is no longer good
    (ended elsewhere, the giver's account closed) signs the tablet out. Public files are
    left alone, as portal/core/sessions.py leaves them: they must not touch the session."""
    if request.endpoint in PUBLIC_FILE_ENDPOINTS or HAND_OVER not in session:
        return None
    hand_over = open_hand_over()
    if _still_good(hand_over):
        g.hand_over_id = hand_over.id
        return None
    logout_user()  # ends the hand-over (below)
    session.clear()
    if request.method == "GET":
        return redirect(url_for("auth.login"))
    return None


def _ended_by_sign_out(_sender, **_extra) -> None:
    """Any sign-out, or a sign-in over the top, ends the hand-over of this session."""
    if not in_hand_over():
        return
    hand_over_id = session.pop(HAND_OVER, None)
    hand_over = db.session.get(HandOver, hand_over_id) if isinstance(hand_over_id, int) else None
    if hand_over is not None and hand_over.ended_at is None:
        hand_over.ended_at = utcnow()
        hand_over.ended_how = HandOverEnd.SIGNED_OUT
        db.session.commit()
    g.pop("hand_over_id", None)


def stamp_flushed(session_: Session, _flush_context, _instances) -> None:
    """A new or changed answer, placement or rating records the hand-over it was made in
    (or none: a later change by the person alone is no longer the hand-over's)."""
    if not has_request_context():
        return
    hand_over_id = current_id()
    for obj in [*session_.new, *session_.dirty]:
        if not isinstance(obj, STAMPED) or obj.hand_over_id == hand_over_id:
            continue
        state = inspect(obj)
        # Only a new answer, or a change of the answer itself: a practitioner tagging
        # themes later does not change who was there when it was given.
        if state.pending or any(state.attrs[name].history.has_changes()
                                for name in ANSWERED[type(obj)]):
            obj.hand_over_id = hand_over_id


def stamp_inserted(state) -> None:
    """The answers' one-statement upsert (INSERT … ON CONFLICT DO UPDATE) never reaches a
    flush; its UPDATE takes the INSERT's hand_over_id (portal/conversations/store.py)."""
    hand_over_id = current_id()
    if hand_over_id is None or not state.is_insert:
        return
    # The ORM hands over an annotated copy of the table: compare by name.
    if getattr(getattr(state.statement, "table", None), "name", None) == Answer.__tablename__:
        state.statement = state.statement.values(hand_over_id=hand_over_id)


def _context() -> dict:
    return {"in_hand_over": in_hand_over()}


def register(app: Flask) -> None:
    # The session listeners (stamp_flushed, stamp_inserted) are in portal/core/hooks.py.
    app.before_request(check)
    app.context_processor(_context)
    user_logged_out.connect(_ended_by_sign_out)
    user_logged_in.connect(_ended_by_sign_out)
