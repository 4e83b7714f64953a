"""Whose mat or ratings these are, as the shared screens see them.

The mat and rating screens (mats/screens.py, ratings/screens.py) are the same for a
signed-in person, an event participant (portal/events/owner.py) and, for ratings only, a
member of the person's circle rating for them (portal/circle/proxy.py). Only the owner
differs: which sessions they may reach, the addresses of the screens, the templates around
them, and where "Yes, save it" leads.

An owner is any object with these members: a Protocol, not a base class, so an owner has
only what it uses (the circle's proxy has no mats) and no package imports another's owner.
They are runtime_checkable for the test that holds each owner to its protocol.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from portal.content.scales import Mat
from portal.models import MatSession, Rating, RatingSession


@runtime_checkable
class MatOwner(Protocol):
    """What the mat screens need of whoever is answering."""

    def mat_url(self, screen: str, **values) -> str:
        """The address of one of this owner's mat screens ("index": their way back)."""

    def template(self, name: str) -> str:
        """The shared template, or this owner's page around it."""

    def may_use_mat(self, mat_key: str) -> bool: ...

    def find_mat_session(self, mat: Mat) -> MatSession | None:
        """The session the mat page shows, without making one (a GET writes nothing)."""

    def open_mat_session(self, mat: Mat, language: str) -> MatSession:
        """On "Start"; the same one when tapped twice (unique open key)."""

    def mat_session(self, session_id: int) -> MatSession | None:
        """One of this owner's own sessions; None for anyone else's."""

    def after_mat_saved(self, session: MatSession) -> str:
        """Where "Yes, save it" leads."""


@runtime_checkable
class RatingOwner(Protocol):
    """What the rating screens need of whoever is answering."""

    # A form that asks more beside each answer (the proxy's comment); None: RatingForm.
    rating_form: type | None

    def rating_url(self, screen: str, **values) -> str:
        """The address of one of this owner's rating screens ("index": their way back)."""

    def template(self, name: str) -> str:
        """The shared template, or this owner's page around it."""

    def open_rating_session(self, language: str) -> RatingSession:
        """Only on the first answer posted; the same one when tapped twice (unique key)."""

    def find_rating_session(self) -> RatingSession | None:
        """The session the rating screens show, without making one (a GET writes nothing)."""

    def after_ratings_saved(self, session: RatingSession | None) -> str | None:
        """Where "Yes, save it" leads; None when there is nothing saved to show."""

    def rating_form_data(self, rating: Rating | None) -> dict:
        """More of the form's starting values, from the answer already given (or None)."""

    def after_rated(self, rating: Rating, form) -> None:
        """Keep the rest of what was posted with the answer just stored."""

    def check_context(self, session: RatingSession) -> dict:
        """More for the "Is this right?" page."""


class PlainRatings:
    """The rating members of an owner who asks nothing beside each answer (everyone but a
    circle member rating for the person). Real behaviour, not a placeholder: mixed in so
    that two owners do not each repeat four lines that do nothing."""

    rating_form = None

    def rating_form_data(self, rating: Rating | None) -> dict:
        return {}

    def after_rated(self, rating: Rating, form) -> None:
        return None

    def check_context(self, session: RatingSession) -> dict:
        return {}
