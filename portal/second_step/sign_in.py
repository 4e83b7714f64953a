"""The second step at sign-in, for an account half-signed-in (half_signed_in.py): type the
app's code or a backup code, or use a passkey; or, the first time, set the app up."""

from __future__ import annotations

from flask import Response, redirect, render_template, request, url_for
from flask_login import current_user

from portal.auth import throttling
from portal.auth.signing_in import complete_sign_in
from portal.core.access import public
from portal.core.extensions import db
from portal.core.homes import home_endpoint
from portal.second_step import bp, enrol, half_signed_in, messages, passkey, store
from portal.second_step.forms import ButtonForm, CodeForm, PasskeyForm


def _not_half_signed_in(ran_out: bool):
    if current_user.is_authenticated:
        return redirect(url_for(home_endpoint(current_user)))
    # Not a redirect: the page says why (a POST that ran out must not look like a refusal).
    message = messages.TOOK_TOO_LONG if ran_out else messages.PASSWORD_FIRST
    return render_template("second_step/start_again.html", message=message)


def _code_page(user, form, status: int = 200, problem=None):
    return render_template(
        "second_step/code.html", form=form, has_app=store.second_step_of(user) is not None,
        passkeys=store.passkey_count(user), passkey_form=PasskeyForm(formdata=None),
        problem=problem), status


@bp.route("/sign-in/second-step", methods=["GET", "POST"])
@public
def code():
    user, ran_out = half_signed_in.state()
    if user is None:
        return _not_half_signed_in(ran_out)
    if not store.has_second_step(user):
        return redirect(url_for("second_step.set_up", next=request.args.get("next")))
    form = CodeForm()
    status = 200
    if form.validate_on_submit():
        status = enrol.try_sign_in_code(user, form)
        if status == 200:
            db.session.commit()
            return complete_sign_in(user)
    elif form.errors:
        status = 400
    return _code_page(user, form, status)


@bp.post("/sign-in/second-step/passkey/options")
@public
def passkey_options():
    user, _ran_out = half_signed_in.state()
    if user is None or not store.passkey_count(user) or not ButtonForm().validate_on_submit():
        return Response("{}", status=404, mimetype="application/json")
    return Response(passkey.check_options(user), mimetype="application/json")


@bp.post("/sign-in/second-step/passkey")
@public
def passkey_sign_in():
    """The passkey's answer; a refused one counts as a wrong code (throttled, audited)."""
    user, ran_out = half_signed_in.state()
    if user is None:
        return _not_half_signed_in(ran_out)
    form = PasskeyForm()
    code_form = CodeForm(formdata=None)
    if enrol.throttle_wait(user, code_form):
        return _code_page(user, code_form, 429)
    if form.validate_on_submit() and passkey.check(user, form.credential.data or ""):
        db.session.commit()
        return complete_sign_in(user)
    db.session.rollback()
    throttling.record_failure(user.username)
    return _code_page(user, code_form, 401, problem=messages.PASSKEY_FAILED)


@bp.route("/sign-in/second-step/set-up", methods=["GET", "POST"])
@public
def set_up():
    """An account that must have a second step and has none: set it up before anything."""
    user, ran_out = half_signed_in.state()
    if user is None:
        return _not_half_signed_in(ran_out)
    if store.has_second_step(user):
        return redirect(url_for("second_step.code", next=request.args.get("next")))
    form = CodeForm()
    status = 200
    if form.validate_on_submit():
        made, status = enrol.try_code(user, form)
        if made is not None:
            db.session.commit()
            signed_in = complete_sign_in(user)
            return enrol.codes_page(signed_in, made, signed_in.headers["Location"])
    elif form.errors:
        status = 400
    return enrol.page(user, form, status, cancel=url_for("auth.login"))
