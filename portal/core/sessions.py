"""Idle sign-out that loses no work.

Staff (supporter, practitioner, facilitator, commissioner, admin) are signed out after
`STAFF_IDLE_MINUTES` without a request; a person only after `PERSON_IDLE_MINUTES` (half a
day by default), and even then nothing is lost: every answer is saved when it is given, a
signed-out POST to a question is kept across signing in (conversations/pending.py), and
typed words stay on the device as a draft (static/js/portal.js).

WCAG 2.2.1 (timing adjustable): static/js/idle.js opens a warning `WARNING_SECONDS`
before the end, and its "Stay signed in" button POSTs to `auth.keep_alive`.
"""

from __future__ import annotations

import time

from flask import current_app, redirect, request, session, url_for
from flask_login import current_user, logout_user

from portal.core.identity import signed_in
from portal.core.security import PUBLIC_FILE_ENDPOINTS
from portal.models import Role

# Session keys: when the last request came (Unix seconds), and "signed out for being away"
# for the sign-in page to say so once.
LAST_SEEN = "last_seen"
SIGNED_OUT_IDLE = "signed_out_idle"
WARNING_SECONDS = 120
# Set while a staff member's tablet is handed over to a person (portal/handover/state.py).
HAND_OVER = "hand_over"
# Sent by a page's script on a request nobody asked for (the live counts at an event
# refresh every few seconds): it does not keep the session, but still ends an idle one.
BACKGROUND_HEADER = "X-Portal-Background"


def _now() -> float:
    return time.time()


def idle_limit_seconds(user) -> int:
    # During a hand-over the tablet is still the staff member's: their limit holds.
    person = user.role == Role.PERSON and HAND_OVER not in session
    key = "PERSON_IDLE_MINUTES" if person else "STAFF_IDLE_MINUTES"
    return int(current_app.config[key] * 60)


def check_idle():
    """Before every request (and before access is checked): end an idle session, else
    note this request as activity.

    Public files (pictures, sound, CSS) are neither: a page's own pictures must not keep
    a session alive, and their cacheable answers must not set a cookie.
    """
    if request.endpoint in PUBLIC_FILE_ENDPOINTS or signed_in() is None:
        return None
    now = _now()
    last = session.get(LAST_SEEN)
    if isinstance(last, int | float) and now - last > idle_limit_seconds(current_user):
        logout_user()
        session.clear()
        session[SIGNED_OUT_IDLE] = True
        if request.endpoint == "auth.logout":  # signing out: done already
            return redirect(url_for("auth.login"))
        if request.method == "GET" and request.endpoint != "auth.login":
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        # A POST goes on signed out: `enforce_access` keeps a typed answer and sends the
        # visitor to sign in; a public form (settings) works as for anyone.
        return None
    if request.headers.get(BACKGROUND_HEADER) != "1" or not isinstance(last, int | float):
        session[LAST_SEEN] = int(now)
    return None


def take_signed_out_idle() -> bool:
    """True once after an idle sign-out: the sign-in page says why."""
    return bool(session.pop(SIGNED_OUT_IDLE, False))
