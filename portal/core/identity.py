"""Who is signed in on this request, read once; and the signed-in person's own record.

The hooks that run after a view (the audit log, the cache headers) need the user's id and
role. Once the view has committed, the user's row is expired, and asking `current_user`
again costs one more query on every saved answer (seen under load, issue 9). So the first
answer of the request is kept; signing in or out during the request forgets it.
"""

from __future__ import annotations

from flask import abort, g, has_request_context
from flask_login import current_user, user_logged_in, user_logged_out
from sqlalchemy import select

from portal.core.extensions import db
from portal.models import Person


def signed_in() -> tuple[int, str] | None:
    """(user id, role) of whoever is signed in now, or None."""
    if "_portal_signed_in" not in g:
        user = current_user
        g._portal_signed_in = (user.id, user.role) if user and user.is_authenticated else None
    return g._portal_signed_in


def own_person() -> Person:
    """The person whose account is signed in. An account with no person record (it should
    not happen to a person's account) is "not found", like any page that is not theirs."""
    person = db.session.scalar(select(Person).where(Person.user_id == current_user.id))
    if person is None:
        abort(404)
    return person


def _forget(_sender, **_extra) -> None:
    if has_request_context():
        g.pop("_portal_signed_in", None)


user_logged_in.connect(_forget)
user_logged_out.connect(_forget)
