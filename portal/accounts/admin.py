"""The admin's account pages (/admin/accounts): list, create, change, reset, deactivate,
reactivate and unlock staff accounts. Thin: the rules are in store.py, and each action
writes its own audit entry there."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user

from portal.accounts import bp, messages, store
from portal.accounts.forms import ButtonForm, EditAccountForm, NewAccountForm
from portal.commissioning.areas import area_choices, regions, save_areas
from portal.core.access import allow
from portal.core.extensions import db
from portal.core.urls import public_url
from portal.models import Role, User
from portal.models.setup_links import SETUP_LINK_HOURS
from portal.signin.qr import qr_svg

NOTICES = {"deactivated": messages.ACCOUNT_DEACTIVATED,
           "reactivated": messages.ACCOUNT_REACTIVATED,
           "unlocked": messages.ACCOUNT_UNLOCKED, "saved": messages.ACCOUNT_SAVED}


def _staff_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None or user.role == Role.PERSON:
        abort(404)
    return user


def _link_page(user: User, token: str, *, new: bool):
    """The set-up link, shown this once (only its hash is kept), with its QR code."""
    link = public_url("accounts.set_up", token=token)
    return render_template("accounts/link.html", account=user, link=link, new=new,
                           qr=qr_svg(link, title=link), hours=SETUP_LINK_HOURS)


@bp.get("/admin/accounts/")
@allow(Role.ADMIN)
def index():
    return render_template("accounts/index.html", accounts=store.staff_accounts())


@bp.route("/admin/accounts/new", methods=["GET", "POST"])
@allow(Role.ADMIN)
def new():
    form = NewAccountForm()
    form.areas.choices = area_choices()
    status = 200
    if form.validate_on_submit():
        try:
            user, token = store.create_account(
                username=form.username.data, display_name=form.display_name.data,
                role=form.role.data, email=form.email.data, by=current_user)
        except store.UsernameTaken as taken:
            db.session.rollback()
            form.username.errors.append(str(taken.message))
        else:
            if user.role == Role.COMMISSIONER:
                save_areas(user.id, form.areas.data)
            db.session.commit()
            return _link_page(user, token, new=True)
    if form.errors:
        status = 400
    return render_template("accounts/new.html", form=form, regions=regions(),
                           ticked=set(form.areas.data or [])), status


def _account_page(user: User, *, problem=None, status: int = 200):
    return render_template(
        "accounts/account.html", account=user, form=ButtonForm(), problem=problem,
        notice=NOTICES.get(request.args.get("done", "")), throttled=store.throttled(user),
        live_link=store.live_link(user), holdings=store.holdings(user)), status


@bp.get("/admin/accounts/<int:user_id>")
@allow(Role.ADMIN)
def account(user_id: int):
    return _account_page(_staff_or_404(user_id))


@bp.route("/admin/accounts/<int:user_id>/edit", methods=["GET", "POST"])
@allow(Role.ADMIN)
def edit(user_id: int):
    user = _staff_or_404(user_id)
    form = EditAccountForm(obj=user)
    status = 200
    if form.validate_on_submit():
        try:
            store.change(user, display_name=form.display_name.data, role=form.role.data,
                         email=form.email.data, by=current_user)
        except store.LastAdmin as refused:
            db.session.rollback()
            form.role.errors.append(str(refused.message))
        else:
            db.session.commit()
            return redirect(url_for("accounts.account", user_id=user.id, done="saved"))
    if form.errors:
        status = 400
    return render_template("accounts/edit.html", account=user, form=form), status


@bp.post("/admin/accounts/<int:user_id>/reset")
@allow(Role.ADMIN)
def reset(user_id: int):
    user = _staff_or_404(user_id)
    # A deactivated account's link would not work: reactivate it first.
    if not ButtonForm().validate_on_submit() or not user.active:
        return redirect(url_for("accounts.account", user_id=user.id))
    token = store.reset(user, current_user)
    db.session.commit()
    return _link_page(user, token, new=False)


@bp.post("/admin/accounts/<int:user_id>/deactivate")
@allow(Role.ADMIN)
def deactivate(user_id: int):
    user = _staff_or_404(user_id)
    if ButtonForm().validate_on_submit() and user.active:
        try:
            store.deactivate(user, current_user)
        except store.LastAdmin as refused:
            db.session.rollback()
            return _account_page(user, problem=refused.message, status=409)
        db.session.commit()
        return redirect(url_for("accounts.account", user_id=user.id, done="deactivated"))
    return redirect(url_for("accounts.account", user_id=user.id))


@bp.post("/admin/accounts/<int:user_id>/reactivate")
@allow(Role.ADMIN)
def reactivate(user_id: int):
    user = _staff_or_404(user_id)
    if ButtonForm().validate_on_submit() and not user.active:
        store.reactivate(user, current_user)
        db.session.commit()
        return redirect(url_for("accounts.account", user_id=user.id, done="reactivated"))
    return redirect(url_for("accounts.account", user_id=user.id))


@bp.post("/admin/accounts/<int:user_id>/unlock")
@allow(Role.ADMIN)
def unlock(user_id: int):
    user = _staff_or_404(user_id)
    if ButtonForm().validate_on_submit():
        store.unlock(user, current_user)
        db.session.commit()
        return redirect(url_for("accounts.account", user_id=user.id, done="unlocked"))
    return redirect(url_for("accounts.account", user_id=user.id))
