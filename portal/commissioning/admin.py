"""Admin: which areas each commissioner sees (issue 8). A commissioner may be given whole
regions, single local authorities, or both; saving replaces their list, and the change is
written to the audit log (no person's data: the entry names no person)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from wtforms import SelectMultipleField

from portal.access import allow
from portal.audit import record
from portal.extensions import db
from portal.forms import PortalForm
from portal.models import AuditAction, CommissionerArea, Region, Role, User

bp = Blueprint("commissioner_areas", __name__, url_prefix="/admin/commissioner-areas",
               template_folder="templates")


class _Areas(SelectMultipleField):
    def pre_validate(self, form):
        # An unknown or forged value is dropped, not an error: the admin sees the boxes
        # they ticked, and nothing outside the list can be saved.
        known = {value for value, _label in self.choices}
        self.data = [value for value in self.data or [] if value in known]


class AreasForm(PortalForm):
    areas = _Areas(_l("Areas this commissioner can see"), choices=[])


def _commissioner(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None or user.role != Role.COMMISSIONER:
        abort(404)
    return user


def _choices() -> list[tuple[str, str]]:
    choices = []
    for region in db.session.scalars(select(Region).order_by(Region.name_en)):
        choices.append((f"region:{region.id}", region.name_en))
        choices += [(f"la:{la.id}", la.name_en) for la in region.local_authorities]
    return choices


def _current(user_id: int) -> list[str]:
    links = db.session.scalars(select(CommissionerArea).where(
        CommissionerArea.user_id == user_id))
    return [f"region:{link.region_id}" if link.region_id else f"la:{link.local_authority_id}"
            for link in links]


@bp.get("/")
@allow(Role.ADMIN)
def commissioners():
    users = list(db.session.scalars(select(User).where(User.role == Role.COMMISSIONER)
                                    .order_by(User.display_name)))
    counts = {user.id: len(_current(user.id)) for user in users}
    return render_template("commissioning/admin_list.html", users=users, counts=counts)


@bp.route("/<int:user_id>", methods=["GET", "POST"])
@allow(Role.ADMIN)
def edit(user_id: int):
    user = _commissioner(user_id)
    form = AreasForm()
    form.areas.choices = _choices()
    if form.validate_on_submit():
        db.session.execute(delete(CommissionerArea).where(CommissionerArea.user_id == user.id))
        for value in dict.fromkeys(form.areas.data):
            kind, _sep, ident = value.partition(":")
            db.session.add(CommissionerArea(
                user_id=user.id, region_id=int(ident) if kind == "region" else None,
                local_authority_id=int(ident) if kind == "la" else None))
        record(AuditAction.CHANGE, None)
        db.session.commit()
        flash(_("Saved. %(name)s now sees the areas you ticked.", name=user.display_name))
        return redirect(url_for("commissioner_areas.commissioners"))
    if not form.is_submitted():
        form.areas.data = _current(user.id)
    regions = list(db.session.scalars(select(Region).order_by(Region.name_en)))
    ticked = set(form.areas.data or [])
    return render_template("commissioning/admin_edit.html", user=user, form=form,
                           regions=regions, ticked=ticked)
