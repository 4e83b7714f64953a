"""Each staff role's home: their work lists."""

from flask import render_template
from flask_login import current_user
from sqlalchemy import select

from portal.answering.ratings.safety import open_follow_ups
from portal.core.access import allow
from portal.core.extensions import db
from portal.models import CircleMember, Event, Person, Region, Role, User
from portal.staff import bp


def _people_in_my_circles() -> list[Person]:
    query = (
        select(Person)
        .join(CircleMember, CircleMember.person_id == Person.id)
        .where(CircleMember.user_id == current_user.id)
        .order_by(Person.display_name)
    )
    return list(db.session.scalars(query))





@bp.get("/supporter")
@allow(Role.SUPPORTER)
def supporter_home():
    return render_template("staff/supporter_home.html", people=_people_in_my_circles())


@bp.get("/practitioner")
@allow(Role.PRACTITIONER)
def practitioner_home():
    return render_template("staff/practitioner_home.html", people=_people_in_my_circles(),
                           follow_ups=open_follow_ups(current_user.id))


@bp.get("/facilitator")
@allow(Role.FACILITATOR)
def facilitator_home():
    events = db.session.scalars(
        select(Event).where(Event.facilitator_id == current_user.id)
        .order_by(Event.event_date.desc(), Event.id.desc())
    ).all()
    return render_template("staff/facilitator_home.html", events=events)


@bp.get("/commissioner")
@allow(Role.COMMISSIONER)
def commissioner_home():
    return render_template("staff/commissioner_home.html")


@bp.get("/admin")
@allow(Role.ADMIN)
def admin_home():
    users = db.session.scalars(select(User).order_by(User.role, User.username)).all()
    regions = db.session.scalars(select(Region).order_by(Region.name_en)).all()
    return render_template("staff/admin_home.html", users=users, regions=regions)
