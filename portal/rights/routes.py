"""A person's rights: what is held, export (JSON, easy-read PDF) and erase.

Every route here is in portal/core/audit.py PERSONAL_ROUTES: viewing the page, each export
and the erasure are logged with the person's number (never their name).
"""

from __future__ import annotations

import json

from flask import Response, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import func, select

from portal.core.access import allow
from portal.core.extensions import db
from portal.core.i18n import LANGUAGES
from portal.core.templating import current_locale
from portal.models import Conversation, MatSession, Person, RatingSession, Role
from portal.rights import bp, export
from portal.rights import erase as erasing
from portal.rights.forms import EraseForm
from portal.rights.guards import person_or_404


def _count(model, person_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(model)
                             .where(model.person_id == person_id)) or 0


@bp.get("/admin/people")
@allow(Role.ADMIN)
def people():
    everyone = db.session.scalars(select(Person).order_by(Person.display_name, Person.id)).all()
    return render_template("rights/people.html", people=everyone)


@bp.get("/rights/people/<int:person_id>")
@allow(Role.ADMIN, Role.PRACTITIONER)
def person(person_id: int):
    found = person_or_404(person_id)
    counts = {
        "conversations": _count(Conversation, found.id),
        "mats": _count(MatSession, found.id),
        "ratings": _count(RatingSession, found.id),
    }
    return render_template("rights/person.html", person=found, counts=counts)


@bp.get("/rights/people/<int:person_id>/export.json")
@allow(Role.ADMIN, Role.PRACTITIONER)
def export_json(person_id: int):
    found = person_or_404(person_id)
    body = json.dumps(export.person_data(found), ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="person-{found.id}.json"'})


def person_language(person: Person) -> str:
    """The person's own language: their saved choice, else their latest conversation's."""
    if person.user is not None and person.user.locale in LANGUAGES:
        return person.user.locale
    latest = db.session.scalar(select(Conversation.language).where(
        Conversation.person_id == person.id).order_by(Conversation.id.desc()).limit(1))
    return latest if latest in LANGUAGES else current_locale()


@bp.get("/rights/people/<int:person_id>/export.pdf")
@allow(Role.ADMIN, Role.PRACTITIONER)
def export_pdf(person_id: int):
    from portal.core.pdf import easyread_pdf, pdf_response
    from portal.pictures import hexcode_for, openmoji_svg_dir

    found = person_or_404(person_id)
    language = person_language(found)
    title, lines = export.easyread_lines(found, language)
    pictures = openmoji_svg_dir()
    data = easyread_pdf(title, [(pictures / f"{hexcode_for(p)}.svg", text, "")
                                for p, text in lines], language)
    return pdf_response(data, f"person-{found.id}.pdf", download=True)


@bp.route("/rights/people/<int:person_id>/erase", methods=["GET", "POST"])
@allow(Role.ADMIN, Role.PRACTITIONER)
def erase(person_id: int):
    found = person_or_404(person_id)
    form = EraseForm()
    if form.validate_on_submit():
        files = erasing.erase_person(found)
        db.session.commit()
        erasing.remove_files(files)  # only once the rows are surely gone
        return redirect(url_for(".erased"))
    status = 400 if form.errors else 200
    return render_template("rights/erase.html", person=found, form=form), status


@bp.get("/rights/erased")
@allow(Role.ADMIN, Role.PRACTITIONER)
def erased():
    back = "rights.people" if current_user.role == Role.ADMIN else "staff.practitioner_home"
    return render_template("rights/erased.html", back=back)
