"""The last step of every way of signing in (password, second step, passkey, card)."""

from __future__ import annotations

from flask import make_response, redirect, request, session, url_for
from flask_login import login_user

from portal.auth import throttling
from portal.core.access import PENDING_ANSWER
from portal.core.extensions import db
from portal.core.homes import home_endpoint
from portal.core.i18n import LANGUAGES, remember_language, select_locale
from portal.core.urls import safe_next
from portal.models import User


def complete_sign_in(user: User):
    """Sign the user in on this tablet: a fresh session (keeping only an answer posted
    after the last one expired), their language remembered, and on to their home or to
    the page they asked for. Every way in ends here: password (and second step), passkey,
    sign-in card."""
    throttling.clear(user.username)
    chosen = select_locale()
    # An answer posted after the session expired (portal/conversations/pending.py)
    # survives, so the person's words are saved once they are signed in again.
    pending = session.get(PENDING_ANSWER)
    session.clear()  # a fresh session on sign-in: nothing carried over from before
    if pending is not None:
        session[PENDING_ANSWER] = pending
    login_user(user)
    target = safe_next(request.args.get("next"), url_for(home_endpoint(user)))
    if user.locale not in LANGUAGES:
        user.locale = chosen  # remember the language the person already chose
    locale = user.locale
    db.session.commit()
    response = make_response(redirect(target))
    remember_language(response, locale)
    return response
