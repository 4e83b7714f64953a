"""Who may reach a person's circle, ratings and views.

A practitioner manages the circles of people in whose circle they are a professional; a
supporter (or practitioner) reaches only people whose circle they are in. Anyone else gets
"not found" (404): the portal does not say whether a person exists.
"""

from __future__ import annotations

from flask import abort
from flask_login import current_user
from sqlalchemy import select

from portal.core.extensions import db
from portal.models import CircleMember, Person, Relationship, Role


def membership(person_id: int, user_id: int) -> CircleMember | None:
    return db.session.scalar(select(CircleMember).where(
        CircleMember.person_id == person_id, CircleMember.user_id == user_id))


def managed_person_or_404(person_id: int) -> Person:
    """The person, when the signed-in practitioner is a professional in their circle."""
    person = db.session.get(Person, person_id)
    member = membership(person_id, current_user.id) if person is not None else None
    if (current_user.role != Role.PRACTITIONER or member is None
            or member.relation != Relationship.PROFESSIONAL):
        abort(404)
    return person


def member_or_404(person_id: int) -> tuple[Person, CircleMember]:
    """The person and the signed-in user's place in their circle."""
    person = db.session.get(Person, person_id)
    member = membership(person_id, current_user.id) if person is not None else None
    if member is None:
        abort(404)
    return person, member


def is_manager(member: CircleMember) -> bool:
    return (current_user.role == Role.PRACTITIONER
            and member.relation == Relationship.PROFESSIONAL)
