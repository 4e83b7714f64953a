"""Who may see, export or erase a person's data: an admin, for anyone; a practitioner,
for the people on their list (a professional in the person's circle). Anyone else, and
an id that does not exist, get "not found": the portal does not say who exists."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from portal.conversations.store import is_professional_in_circle
from portal.core.extensions import db
from portal.models import Person, Role


def person_or_404(person_id: int) -> Person:
    person = db.session.get(Person, person_id)
    if person is None:
        abort(404)
    if current_user.role == Role.ADMIN:
        return person
    if current_user.role == Role.PRACTITIONER and is_professional_in_circle(
            current_user.id, person.id):
        return person
    abort(404)
