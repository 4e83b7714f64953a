"""Admin: which areas each commissioner sees (issue 8). A commissioner may be given whole
regions, single local authorities, or both; saving replaces their list, and the change is
written to the audit log (no person's data: the entry names no person)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.commissioning.areas import (
    AreasField,
    area_choices,
    current_areas,
    regions,
    save_areas,
)
from portal.core.access import allow
from portal.core.audit import record
from portal.core.extensions import db
from portal.core.forms import PortalForm
from portal.models import AuditAction, Role, User

bp = Blueprint("commissioner_areas", __name__, url_prefix="/admin/commissioner-areas",
               template_folder="templates")


class AreasForm(PortalForm):
    areas = AreasField(_l("Areas this commissioner can see"), choices=[])


def _commissioner(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None or user.role != Role.COMMISSIONER:
        abort(404)
    return user


@bp.get("/")
@allow(Role.ADMIN)
def commissioners():
    users = list(db.session.scalars(select(User).where(User.role == Role.COMMISSIONER)
                                    .order_by(User.display_name)))
    counts = {user.id: len(current_areas(user.id)) for user in users}
    return render_template("commissioning/admin_list.html", users=users, counts=counts)


@bp.route("/<int:user_id>", methods=["GET", "POST"])
@allow(Role.ADMIN)
def edit(user_id: int):
    user = _commissioner(user_id)
    form = AreasForm()
    form.areas.choices = area_choices()
    if form.validate_on_submit():
        save_areas(user.id, form.areas.data)
        record(AuditAction.CHANGE, None)
        db.session.commit()
        flash(_("Saved. %(name)s now sees the areas you ticked.", name=user.display_name))
        return redirect(url_for("commissioner_areas.commissioners"))
    if not form.is_submitted():
        form.areas.data = current_areas(user.id)
    ticked = set(form.areas.data or [])
    return render_template("commissioning/admin_edit.html", user=user, form=form,
                           regions=regions(), ticked=ticked)
