"""A member of staff's own second step: see it, set up a code app or add a passkey
(optional unless their role must have one), make new backup codes, turn it off (with a
code, so a session left open on a shared computer cannot)."""

from __future__ import annotations

from flask import Response, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import delete

from portal.core.access import allow
from portal.core.extensions import db
from portal.models import BackupCode, PasskeyCredential
from portal.second_step import bp, enrol, messages, passkey, store
from portal.second_step.forms import ButtonForm, CodeForm, PasskeyForm

NOTICES = {"off": messages.TURNED_OFF, "passkey": messages.PASSKEY_ADDED,
           "removed": messages.PASSKEYS_REMOVED}


def _account_page(turn_off_form=None, status: int = 200, problem=None):
    has_one = store.has_second_step(current_user)
    return render_template(
        "second_step/account.html", has_one=has_one,
        has_app=store.second_step_of(current_user) is not None,
        passkeys=store.passkey_count(current_user), required=store.is_required(current_user),
        left=store.backup_codes_left(current_user) if has_one else 0, button_form=ButtonForm(),
        passkey_form=PasskeyForm(formdata=None), form=turn_off_form or CodeForm(formdata=None),
        problem=problem, notice=NOTICES.get(request.args.get("done", ""))), status


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


@bp.post("/account/second-step/passkey/options")
@allow(*store.STAFF_ROLES)
def add_passkey_options():
    if not ButtonForm().validate_on_submit():
        return Response("{}", status=400, mimetype="application/json")
    return Response(passkey.registration_options(current_user), mimetype="application/json")


@bp.post("/account/second-step/passkey")
@allow(*store.STAFF_ROLES)
def add_passkey():
    form = PasskeyForm()
    if not form.validate_on_submit() or not passkey.register(current_user,
                                                              form.credential.data or ""):
        db.session.rollback()
        return _account_page(status=400, problem=messages.PASSKEY_NOT_ADDED)
    if store.backup_codes_left(current_user):
        db.session.commit()
        return redirect(url_for("second_step.account", done="passkey"))
    made = store.new_backup_codes(current_user)  # the first second step: codes for a lost key
    db.session.commit()
    return enrol.codes_page(None, made, url_for("second_step.account"),
                            notice=messages.PASSKEY_ADDED)


@bp.post("/account/second-step/passkeys/remove")
@allow(*store.STAFF_ROLES)
def remove_passkeys():
    has_app = store.second_step_of(current_user) is not None
    if not ButtonForm().validate_on_submit():
        return redirect(url_for("second_step.account"))
    if store.is_required(current_user) and not has_app:
        return _account_page(status=403, problem=messages.MUST_KEEP)
    db.session.execute(delete(PasskeyCredential).where(
        PasskeyCredential.user_id == current_user.id))
    if not has_app:  # no second step left: its backup codes go too
        db.session.execute(delete(BackupCode).where(BackupCode.user_id == current_user.id))
    db.session.commit()
    return redirect(url_for("second_step.account", done="removed"))


@bp.post("/account/second-step/backup-codes")
@allow(*store.STAFF_ROLES)
def new_backup_codes():
    if not store.has_second_step(current_user) or not ButtonForm().validate_on_submit():
        return redirect(url_for("second_step.account"))
    made = store.new_backup_codes(current_user)
    db.session.commit()
    return enrol.codes_page(None, made, url_for("second_step.account"),
                            notice=messages.NEW_CODES_DONE)


@bp.post("/account/second-step/turn-off")
@allow(*store.STAFF_ROLES)
def turn_off():
    if not store.has_second_step(current_user):
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
