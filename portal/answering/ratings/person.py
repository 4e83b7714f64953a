"""The signed-in person as the owner of their own ratings (a RatingOwner:
answering/owners.py). Their mats have their own owner (mats/person.py)."""

from __future__ import annotations

from flask import url_for
from flask_login import current_user

from portal.answering.owners import PlainRatings
from portal.answering.ratings import store
from portal.core.identity import own_person
from portal.models import Person, RatingSession


class PersonRatingOwner(PlainRatings):
    """The signed-in person, saying how true each statement is for them."""

    def __init__(self, person: Person, user_id: int):
        self.person = person
        self.user_id = user_id

    def rating_url(self, screen: str, **values) -> str:
        return url_for(f"ratings.{screen}", **values)

    def template(self, name: str) -> str:
        return name

    def open_rating_session(self, language: str) -> RatingSession:
        return store.open_session(self.person.id, self.user_id, language)

    def find_rating_session(self) -> RatingSession | None:
        return store.find_open_session(self.person.id, self.user_id)

    def after_ratings_saved(self, session: RatingSession | None) -> str | None:
        if session is None:  # "Yes, save it" pressed twice: the first press saved it
            latest = store.finished_sessions(self.person.id)
            session = latest[0] if latest else None
        return url_for("ratings.saved", session_id=session.id) if session else None


def person_rating_owner() -> PersonRatingOwner:
    return PersonRatingOwner(own_person(), current_user.id)
