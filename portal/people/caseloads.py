"""The admin's caseloads: every practitioner's list, the people on nobody's list, and
moving a person to another practitioner's list (a caseload transfer, in the audit log:
portal/core/audit.py records it as `caseload_transfer`)."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from portal.core.access import allow
from portal.core.extensions import db
from portal.models import Person, Role, User
from portal.people import bp, store
from portal.people.forms import MoveForm
from portal.people.messages import PERSON_MOVED


@bp.get("/admin/caseloads")
@allow(Role.ADMIN)
def caseloads():
    lists, nobody = store.caseloads()
    notice = PERSON_MOVED if request.args.get("moved") == "1" else None
    return render_template("people/caseloads.html", lists=lists, nobody=nobody, notice=notice)


@bp.route("/admin/caseloads/people/<int:person_id>", methods=["GET", "POST"])
@allow(Role.ADMIN)
def move(person_id: int):
    person = db.session.get(Person, person_id)
    if person is None:
        abort(404)
    now_with = store.practitioners_of(person)
    form = MoveForm()
    form.practitioner.choices = [("", _("Choose a practitioner"))] + [
        (str(u.id), u.display_name) for u in store.practitioners() if u not in now_with]
    if form.validate_on_submit():
        to_user = db.session.scalar(select(User).where(
            User.id == int(form.practitioner.data), User.role == Role.PRACTITIONER,
            User.active.is_(True)))
        if to_user is None:  # closed between the page and the press: choose again
            abort(404)
        store.transfer(person, to_user)
        db.session.commit()
        return redirect(url_for(".caseloads", moved="1"))
    return render_template("people/move.html", form=form, person=person, now_with=now_with), (
        400 if form.errors else 200)
