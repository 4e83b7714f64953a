"""Whose mat or ratings these are: a signed-in person's own, or an event participant's
(and, for ratings only, a circle member's for the person: portal/circle/proxy.py).

The mat and rating screens are the same for both (the same views, templates and
script). Only the owner differs: which sessions they may reach, the addresses of the
screens, and where "Yes, save it" leads. A route resolves the owner for its request and
hands it to the shared views (mats/views.py, ratings/views.py), so both owners go through
one code path. The participant owner lives with the events (portal/events/owner.py).
"""

from __future__ import annotations

from flask import abort, url_for
from flask_login import current_user
from sqlalchemy import select

from portal.core.extensions import db
from portal.models import MatSession, Person, RatingSession

# The screens an owner has, by the name the shared views and templates use.
MAT_SCREENS = ("index", "mat", "start", "answers", "place", "own_card", "check", "save")
RATING_SCREENS = ("index", "statement", "check", "save")


class Owner:
    """What the shared views need to know of whoever is answering."""

    mat_endpoints: dict[str, str]
    rating_endpoints: dict[str, str]
    # Templates: the shared ones, or a page that adds something around them.
    templates: dict[str, str] = {}

    def mat_url(self, screen: str, **values) -> str:
        return url_for(self.mat_endpoints[screen], **values)

    def rating_url(self, screen: str, **values) -> str:
        return url_for(self.rating_endpoints[screen], **values)

    def template(self, name: str) -> str:
        return self.templates.get(name, name)

    # --- mats
    def may_use_mat(self, mat_key: str) -> bool:
        return True

    def find_mat_session(self, mat) -> MatSession | None:
        """The session the mat page shows, without making one (a GET writes nothing)."""
        raise NotImplementedError

    def open_mat_session(self, mat, language: str) -> MatSession:
        raise NotImplementedError

    def mat_session(self, session_id: int) -> MatSession | None:
        raise NotImplementedError

    def after_mat_saved(self, session: MatSession) -> str:
        raise NotImplementedError

    # --- ratings
    def open_rating_session(self, language: str) -> RatingSession:
        """Only on the first answer posted; the same one when tapped twice (unique open key)."""
        raise NotImplementedError

    def find_rating_session(self) -> RatingSession | None:
        """The session the rating screens show, without making one (a GET writes nothing)."""
        raise NotImplementedError

    def after_ratings_saved(self, session: RatingSession | None) -> str | None:
        """Where "Yes, save it" leads; None when there is nothing saved to show."""
        raise NotImplementedError

    # What a member of the circle adds when rating for someone (portal/circle/proxy.py):
    # a comment beside each answer. Nothing, for everyone else.
    rating_form = None  # a RatingForm subclass; None: the RatingForm itself

    def rating_form_data(self, rating) -> dict:
        """More of the form's starting values, from the answer already given (or None)."""
        return {}

    def after_rated(self, rating, form) -> None:
        """Keep the rest of what was posted with the answer just stored."""

    def check_context(self, session: RatingSession) -> dict:
        """More for the "Is this right?" page."""
        return {}


class PersonOwner(Owner):
    """The signed-in person, answering for themselves."""

    mat_endpoints = {screen: f"mats.{screen}" for screen in MAT_SCREENS}
    rating_endpoints = {screen: f"ratings.{screen}" for screen in RATING_SCREENS}

    def __init__(self, person: Person, user_id: int):
        self.person = person
        self.user_id = user_id

    def find_mat_session(self, mat) -> MatSession | None:
        from portal.answering.mats import store

        return store.find_open_session(self.person.id, mat.key, self.user_id)

    def open_mat_session(self, mat, language: str) -> MatSession:
        from portal.answering.mats import store

        return store.open_session(self.person.id, mat, self.user_id, language)

    def mat_session(self, session_id: int) -> MatSession | None:
        from portal.answering.mats import store

        return store.session_of_person(session_id, self.person.id)

    def after_mat_saved(self, session: MatSession) -> str:
        return url_for("mats.saved", session_id=session.id)

    def open_rating_session(self, language: str) -> RatingSession:
        from portal.answering.ratings import store

        return store.open_session(self.person.id, self.user_id, language)

    def find_rating_session(self) -> RatingSession | None:
        from portal.answering.ratings import store

        return store.find_open_session(self.person.id, self.user_id)

    def after_ratings_saved(self, session: RatingSession | None) -> str | None:
        from portal.answering.ratings import store

        if session is None:  # "Yes, save it" pressed twice: the first press saved it
            latest = store.finished_sessions(self.person.id)
            session = latest[0] if latest else None
        return url_for("ratings.saved", session_id=session.id) if session else None


def own_person() -> Person:
    person = db.session.scalar(select(Person).where(Person.user_id == current_user.id))
    if person is None:
        abort(404)
    return person


def person_owner() -> PersonOwner:
    return PersonOwner(own_person(), current_user.id)
