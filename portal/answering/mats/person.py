"""The signed-in person as the owner of their own mats (a MatOwner: answering/owners.py).

Their ratings have their own owner (ratings/person.py): each blueprint finds the owner of
its own screens, and neither package has to import the other's routes to do it.
"""

from __future__ import annotations

from flask import url_for
from flask_login import current_user

from portal.answering.mats import store
from portal.content.scales import Mat
from portal.core.identity import own_person
from portal.models import MatSession, Person


class PersonMatOwner:
    """The signed-in person, placing cards on their own mats."""

    def __init__(self, person: Person, user_id: int):
        self.person = person
        self.user_id = user_id

    def mat_url(self, screen: str, **values) -> str:
        return url_for(f"mats.{screen}", **values)

    def template(self, name: str) -> str:
        return name

    def may_use_mat(self, mat_key: str) -> bool:
        return True  # every current mat

    def find_mat_session(self, mat: Mat) -> MatSession | None:
        return store.find_open_session(self.person.id, mat.key, self.user_id)

    def open_mat_session(self, mat: Mat, language: str) -> MatSession:
        return store.open_session(self.person.id, mat, self.user_id, language)

    def mat_session(self, session_id: int) -> MatSession | None:
        return store.session_of_person(session_id, self.person.id)

    def after_mat_saved(self, session: MatSession) -> str:
        return url_for("mats.saved", session_id=session.id)


def person_mat_owner(as_json: bool = False) -> PersonMatOwner:
    # as_json is for owners who refuse in their own words (a closed event); the person's
    # only refusal is "not found", and the error pages answer a script in JSON already.
    return PersonMatOwner(own_person(), current_user.id)
