"""Every signed-in session of an account ends at once (a reset, a leaver).

Sessions are signed cookies, which the server cannot delete. So each account has a
session version: it is put in the session at sign-in (the `user_logged_in` signal, sent
by every way of signing in) and compared on every request by the user loader. A reset or a
deactivation adds one, and every older session no longer matches."""

from __future__ import annotations

from flask import session
from flask_login import user_logged_in

SESSION_KEY = "account_version"


def remember_version(_sender, user, **_extra) -> None:
    session[SESSION_KEY] = user.session_version or 0


def still_valid(user) -> bool:
    # A session from before versions existed has none: it counts as the first version.
    return session.get(SESSION_KEY, 0) == (user.session_version or 0)


def install(app) -> None:
    # This app's sign-ins only: the signal is Flask-Login's, shared by every app in the
    # process (another app's users have no session version).
    user_logged_in.connect(remember_version, sender=app)
