from flask import jsonify, redirect, render_template, request, session, url_for
from flask_babel import ngettext
from flask_login import current_user, logout_user
from sqlalchemy import func, select

from portal.auth import bp, throttling
from portal.auth.forms import LoginForm, LogoutForm
from portal.auth.signing_in import complete_sign_in
from portal.core.access import public, signed_in
from portal.core.extensions import db
from portal.core.homes import home_endpoint
from portal.core.messages import SIGN_IN_WRONG, SIGNED_OUT_IDLE
from portal.core.sessions import idle_limit_seconds, take_signed_out_idle
from portal.models import User
from portal.second_step import half_signed_in


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    if current_user.is_authenticated and request.method == "GET":
        return redirect(url_for(home_endpoint(current_user)))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        username = form.username.data
        wait = throttling.wait_for(username)
        if wait:
            form.password.errors.append(
                ngettext(
                    "You have tried many times. Please wait %(num)d second, then try again.",
                    "You have tried many times. Please wait %(num)d seconds, then try again.",
                    wait,
                )
            )
            status = 429
        else:
            user = db.session.scalar(
                select(User).where(func.lower(User.username) == username.lower())
            )
            if user is None or not user.active or not user.check_password(form.password.data):
                throttling.record_failure(username)
                form.password.errors.append(str(SIGN_IN_WRONG))
                status = 401
            else:
                # Staff with a second step are only half signed in until it passes.
                return half_signed_in.after_password(user) or complete_sign_in(user)
    elif form.errors:
        status = 400
    notice = SIGNED_OUT_IDLE if request.method == "GET" and take_signed_out_idle() else None
    return render_template("auth/login.html", form=form, notice=notice), status


@bp.post("/logout")
@public
def logout():
    form = LogoutForm()
    if form.validate_on_submit():
        logout_user()
        session.clear()
    return redirect(url_for("main.start"))


@bp.post("/session/keep-alive")
@signed_in
def keep_alive():
    """ "Stay signed in" (static/js/idle.js): this request is the activity that keeps the
    session (portal/core/sessions.py notes it before the view runs)."""
    return jsonify(ok=True, idle_seconds=idle_limit_seconds(current_user))
