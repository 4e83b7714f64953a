from flask import render_template

from portal.core.access import allow
from portal.core.identity import own_person
from portal.models import Role
from portal.person import bp


@bp.get("/")
@allow(Role.PERSON)
def home():
    return render_template("person/home.html", person=own_person())


@bp.get("/circle")
@allow(Role.PERSON)
def circle():
    return render_template("person/circle.html", person=own_person())
