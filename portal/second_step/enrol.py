"""The code forms' shared steps: setting the app up (QR page, first code, backup codes)
and checking a typed code, throttled like a password. Used by the sign-in pages and the
account page."""

from __future__ import annotations

from flask import render_template, session
from flask_babel import ngettext

from portal.auth import throttling
from portal.models import User
from portal.second_step import codes, messages, store
from portal.second_step.half_signed_in import SECRET
from portal.signin.qr import qr_svg


def secret_being_set_up() -> str:
    secret = session.get(SECRET)
    if not isinstance(secret, str) or len(secret) != 32:
        secret = codes.new_secret()
        session[SECRET] = secret
    return secret


def page(user: User, form, status: int = 200, **context):
    secret = secret_being_set_up()
    address = codes.app_address(secret, user.username)
    return render_template(
        "second_step/set_up.html", form=form, qr=qr_svg(address),
        key=codes.secret_for_typing(secret), required=store.is_required(user),
        **context), status


def try_code(user: User, form) -> tuple[list[str] | None, int]:
    """(the backup codes, 200) once the app's first code is right; else (None, status)
    and the form says why. Wrong codes are throttled like a wrong password."""
    if throttle_wait(user, form):
        return None, 429
    made = store.set_up(user, secret_being_set_up(), form.code.data)
    if made is None:
        throttling.record_failure(user.username)
        form.code.errors.append(str(messages.CODE_WRONG))
        return None, 401
    session.pop(SECRET, None)
    return made, 200


def try_sign_in_code(user: User, form) -> int:
    """200 when the app's code or a backup code is right (and now used up); else the
    status, and the form says why."""
    if throttle_wait(user, form):
        return 429
    if not store.check(user, form.code.data):
        throttling.record_failure(user.username)  # commits; the failed check changed nothing
        form.code.errors.append(str(messages.CODE_WRONG))
        return 401
    return 200


def throttle_wait(user: User, form) -> int:
    wait = throttling.wait_for(user.username)
    if wait:
        form.code.errors.append(ngettext(
            "You have tried many times. Please wait %(num)d second, then try again.",
            "You have tried many times. Please wait %(num)d seconds, then try again.",
            wait))
    return wait


def codes_page(response_or_none, made: list[str], next_url: str, **context):
    """The backup codes, shown once (only their hashes are kept)."""
    page_html = render_template("second_step/backup_codes.html", codes=made, next_url=next_url,
                                **context)
    if response_or_none is None:
        return page_html
    # Signing in answered with a redirect (and its cookies): keep the cookies, show the
    # codes instead, with the redirect's target as "Continue".
    response = response_or_none
    response.headers.pop("Location", None)
    response.status_code = 200
    response.mimetype = "text/html"
    response.set_data(page_html)
    return response
