"""The second step at sign-in, for an account half-signed-in (half_signed_in.py): type the
app's code or a backup code; or, the first time, set the app up."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_login import current_user

from portal.access import public
from portal.auth.routes import _sign_in
from portal.extensions import db
from portal.homes import home_endpoint
from portal.second_step import bp, enrol, half_signed_in, messages, store
from portal.second_step.forms import CodeForm


def _not_half_signed_in(ran_out: bool):
    if current_user.is_authenticated:
        return redirect(url_for(home_endpoint(current_user)))
    # Not a redirect: the page says why (a POST that ran out must not look like a refusal).
    message = messages.TOOK_TOO_LONG if ran_out else messages.PASSWORD_FIRST
    return render_template("second_step/start_again.html", message=message)


@bp.route("/sign-in/second-step", methods=["GET", "POST"])
@public
def code():
    user, ran_out = half_signed_in.state()
    if user is None:
        return _not_half_signed_in(ran_out)
    if store.second_step_of(user) is None:
        return redirect(url_for("second_step.set_up", next=request.args.get("next")))
    form = CodeForm()
    status = 200
    if form.validate_on_submit():
        status = enrol.try_sign_in_code(user, form)
        if status == 200:
            db.session.commit()
            return _sign_in(user)
    elif form.errors:
        status = 400
    return render_template("second_step/code.html", form=form), status


@bp.route("/sign-in/second-step/set-up", methods=["GET", "POST"])
@public
def set_up():
    """An account that must have a second step and has none: set it up before anything."""
    user, ran_out = half_signed_in.state()
    if user is None:
        return _not_half_signed_in(ran_out)
    if store.second_step_of(user) is not None:
        return redirect(url_for("second_step.code", next=request.args.get("next")))
    form = CodeForm()
    status = 200
    if form.validate_on_submit():
        made, status = enrol.try_code(user, form)
        if made is not None:
            db.session.commit()
            signed_in = _sign_in(user)
            return enrol.codes_page(signed_in, made, signed_in.headers["Location"])
    elif form.errors:
        status = 400
    return enrol.page(user, form, status, cancel=url_for("auth.login"))
