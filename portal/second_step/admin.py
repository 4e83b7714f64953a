"""An admin resets the lost second step of another account (a lost phone and no backup
codes): the account sets it up again at its next sign-in. Audited."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from sqlalchemy import select

from portal.core import audit
from portal.core.access import allow
from portal.core.extensions import db
from portal.models import AuditAction, PasskeyCredential, Role, SecondStep, User
from portal.second_step import bp, messages, store
from portal.second_step.forms import ButtonForm

NOTICES = {"reset": messages.RESET_DONE}


def _staff_account_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None or not store.may_have(user):
        abort(404)
    return user


@bp.get("/admin/second-step/")
@allow(Role.ADMIN)
def accounts():
    users = list(db.session.scalars(
        select(User).where(User.role.in_([str(r) for r in store.STAFF_ROLES]))
        .order_by(User.username)))
    with_one = set(db.session.scalars(select(SecondStep.user_id))) | set(db.session.scalars(
        select(PasskeyCredential.user_id)))
    return render_template("second_step/admin_accounts.html", users=users, with_one=with_one,
                           notice=NOTICES.get(request.args.get("done", "")))


@bp.route("/admin/second-step/<int:user_id>", methods=["GET", "POST"])
@allow(Role.ADMIN)
def reset(user_id: int):
    """GET asks "are you sure?"; the POST resets and writes the audit entry."""
    user = _staff_account_or_404(user_id)
    form = ButtonForm()
    if form.validate_on_submit():
        store.reset(user)
        audit.record(AuditAction.SECOND_STEP_RESET, None).account_id = user.id
        db.session.commit()
        return redirect(url_for("second_step.accounts", done="reset"))
    has_one = store.has_second_step(user)
    return render_template("second_step/admin_reset.html", account=user, has_one=has_one,
                           form=form)
