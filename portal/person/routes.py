from flask import abort, render_template
from flask_login import current_user
from sqlalchemy import select

from portal.core.access import allow
from portal.core.extensions import db
from portal.models import Person, Role
from portal.person import bp


def _own_person() -> Person:
    person = db.session.scalar(select(Person).where(Person.user_id == current_user.id))
    if person is None:
        abort(404)
    return person


@bp.get("/")
@allow(Role.PERSON)
def home():
    return render_template("person/home.html", person=_own_person())


@bp.get("/circle")
@allow(Role.PERSON)
def circle():
    return render_template("person/circle.html", person=_own_person())
