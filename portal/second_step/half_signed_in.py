"""Between the password and the second step.

After a right password, an account that has (or must have) a second step is NOT signed in
(Flask-Login knows nothing of it): the session only holds which account is half-way, until
when. Every page but the second step's own two sends it to sign in, as for anyone else.
The login view asks `after_password(user)` first; None means "no second step: sign in".
"""

from __future__ import annotations

import time

from flask import redirect, request, session, url_for
from flask_login import current_user, logout_user

from portal.core.extensions import db
from portal.models import User
from portal.second_step import store

PENDING = "second_step_pending"
# The new app secret while it is being set up (shown on the page anyway; dropped once set).
SECRET = "second_step_secret"  # noqa: S105 (a session key, not a secret)
# Long enough to find the phone and, the first time, to install an app; short enough that
# a password typed on a shared computer does not wait there for someone else.
PENDING_SECONDS = 10 * 60


def after_password(user: User, next_url: str | None = None):
    """A redirect to the second step, or None when this account signs in without one.
    After it, the page asked for (`next` of this request, or `next_url`)."""
    if not store.may_have(user):
        return None
    has_one = store.has_second_step(user)
    if not has_one and not store.is_required(user):
        return None
    if current_user.is_authenticated:  # someone else's session on this browser ends now
        logout_user()
    session.pop(SECRET, None)
    session[PENDING] = {"user": user.id, "until": int(time.time()) + PENDING_SECONDS}
    endpoint = "second_step.code" if has_one else "second_step.set_up"
    return redirect(url_for(endpoint, next=next_url or request.args.get("next")))


def state() -> tuple[User | None, bool]:
    """(the half-signed-in account, whether its time ran out)."""
    pending = session.get(PENDING)
    if not isinstance(pending, dict):
        return None, False
    if not isinstance(pending.get("until"), int) or time.time() > pending["until"]:
        forget()
        return None, True
    user_id = pending.get("user")
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or not user.active:
        forget()
        return None, False
    return user, False


def forget() -> None:
    session.pop(PENDING, None)
    session.pop(SECRET, None)
