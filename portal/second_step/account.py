"""A member of staff's own second step: see it, set it up (optional unless their role must
have one), make new backup codes, turn it off (with a code, so a session left open on a
shared computer cannot)."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_login import current_user

from portal.access import allow
from portal.extensions import db
from portal.second_step import bp, enrol, messages, store
from portal.second_step.forms import ButtonForm, CodeForm

NOTICES = {"off": messages.TURNED_OFF}


def _account_page(turn_off_form=None, status: int = 200, problem=None):
    has_one = store.second_step_of(current_user) is not None
    return render_template(
        "second_step/account.html", has_one=has_one, required=store.is_required(current_user),
        left=store.backup_codes_left(current_user) if has_one else 0, button_form=ButtonForm(),
        form=turn_off_form or CodeForm(formdata=None), problem=problem,
        notice=NOTICES.get(request.args.get("done", ""))), status


@bp.get("/account/second-step")
@allow(*store.STAFF_ROLES)
def account():
    return _account_page()


@bp.route("/account/second-step/set-up", methods=["GET", "POST"])
@allow(*store.STAFF_ROLES)
def account_set_up():
    if store.second_step_of(current_user) is not None:
        return redirect(url_for("second_step.account"))
    form = CodeForm()
    status = 200
    if form.validate_on_submit():
        made, status = enrol.try_code(current_user, form)
        if made is not None:
            db.session.commit()
            return enrol.codes_page(None, made, url_for("second_step.account"))
    elif form.errors:
        status = 400
    return enrol.page(current_user, form, status, cancel=url_for("second_step.account"))


@bp.post("/account/second-step/backup-codes")
@allow(*store.STAFF_ROLES)
def new_backup_codes():
    if store.second_step_of(current_user) is None or not ButtonForm().validate_on_submit():
        return redirect(url_for("second_step.account"))
    made = store.new_backup_codes(current_user)
    db.session.commit()
    return enrol.codes_page(None, made, url_for("second_step.account"),
                            notice=messages.NEW_CODES_DONE)


@bp.post("/account/second-step/turn-off")
@allow(*store.STAFF_ROLES)
def turn_off():
    if store.second_step_of(current_user) is None:
        return redirect(url_for("second_step.account"))
    if store.is_required(current_user):
        return _account_page(status=403, problem=messages.MUST_KEEP)
    form = CodeForm()
    if not form.validate_on_submit():
        return _account_page(form, 400)
    status = enrol.try_sign_in_code(current_user, form)
    if status != 200:
        return _account_page(form, status)
    store.reset(current_user)
    db.session.commit()
    return redirect(url_for("second_step.account", done="off"))
