"""The set-up link's page (public): the account holder chooses their own password.

A used, expired or unknown link changes nothing and says who to ask: 404 for a link that
never was, 410 for one that was and is no more."""

from __future__ import annotations

from flask import render_template

from portal.accounts import bp, store
from portal.accounts.forms import SetUpForm
from portal.accounts.passwords import MIN_LENGTH, password_problem
from portal.core.access import public
from portal.core.extensions import db


@bp.route("/set-up/<token>", methods=["GET", "POST"])
@public
def set_up(token: str):
    link, status = store.open_link(token)
    if link is None or status != 200:
        return render_template("accounts/link_not_working.html"), status
    form = SetUpForm()
    if form.validate_on_submit():
        problem = password_problem(form.password.data, link.user.username)
        if problem is None:
            store.set_password(link, form.password.data)
            db.session.commit()
            return render_template("accounts/password_set.html", account=link.user)
        form.password.errors.append(str(problem))
    status = 400 if form.errors else 200
    return render_template("accounts/set_up.html", form=form, account=link.user,
                           min_length=MIN_LENGTH), status
