"""The person's own tablet: set up a passkey with the practitioner's one-time code, then
sign in with the tablet's fingerprint, face or PIN ("Sign in with my tablet" on the
sign-in page). The browser part is static/js/passkey.js; without it the pages say to ask
the person who helps you, and the username and password stay."""

from __future__ import annotations

from flask import Response, render_template
from sqlalchemy import select

from portal.auth.forms import LoginForm
from portal.auth.signing_in import complete_sign_in
from portal.core.access import public
from portal.core.clock import utcnow
from portal.core.extensions import db
from portal.core.tokens import token_hash
from portal.models import PasskeySetupCode, Role
from portal.signin import bp, messages, passkeys
from portal.signin.forms import ButtonForm, PasskeyForm


def _code_or_none(token: str) -> PasskeySetupCode | None:
    """A set-up code that still works: unused, in time, for an active person's account."""
    if not token or len(token) > 200:
        return None
    code = db.session.scalar(select(PasskeySetupCode).where(
        PasskeySetupCode.token_hash == token_hash(token)))
    if code is None or code.used_at is not None or code.expires_at <= utcnow():
        return None
    user = code.person.user
    if user is None or not user.active or user.role != Role.PERSON:
        return None
    return code


def _not_working():
    return render_template("signin/setup_not_working.html"), 404


@bp.get("/tablet/setup/<token>")
@public
def tablet_setup(token: str):
    code = _code_or_none(token)
    if code is None:
        return _not_working()
    return render_template("signin/tablet_setup.html", token=token, form=PasskeyForm(),
                           person=code.person)


@bp.post("/tablet/setup/<token>/options")
@public
def setup_options(token: str):
    code = _code_or_none(token)
    if code is None or not ButtonForm().validate_on_submit():
        return Response("{}", status=404, mimetype="application/json")
    return Response(passkeys.registration_options(code.person.user, code.id),
                    mimetype="application/json")


@bp.post("/tablet/setup/<token>")
@public
def tablet_setup_done(token: str):
    code = _code_or_none(token)
    if code is None:
        return _not_working()
    form = PasskeyForm()
    if form.validate_on_submit():
        try:
            passkeys.register(code.person.user, code.id, form.credential.data or "")
        except passkeys.PasskeyRefused:
            db.session.rollback()
        else:
            code.used_at = utcnow()
            db.session.commit()
            return render_template("signin/tablet_ready.html", person=code.person)
    return render_template("signin/tablet_setup.html", token=token, form=PasskeyForm(),
                           person=code.person, problem=messages.PASSKEY_SETUP_FAILED), 400


@bp.post("/sign-in/tablet/options")
@public
def tablet_options():
    if not ButtonForm().validate_on_submit():
        return Response("{}", status=400, mimetype="application/json")
    return Response(passkeys.sign_in_options(), mimetype="application/json")


@bp.post("/sign-in/tablet")
@public
def tablet_sign_in():
    form = PasskeyForm()
    if form.validate_on_submit():
        try:
            user = passkeys.signed_in_user(form.credential.data or "")
            if user.role != Role.PERSON:  # staff passkeys are a second step only
                raise passkeys.PasskeyRefused("not a person's passkey")
        except passkeys.PasskeyRefused:
            db.session.rollback()
        else:
            db.session.commit()
            return complete_sign_in(user)
    return render_template("auth/login.html", form=LoginForm(formdata=None),
                           notice=messages.PASSKEY_FAILED), 401
