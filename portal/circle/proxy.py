"""Proxy ratings: a member of the circle rates the outcome statements for the person, from a
stated perspective. The person's own rating screens (portal/answering/ratings/screens.py) are
registered here once with a proxy owner, a RatingOwner (portal/answering/owners.py) and no
MatOwner: a proxy rates, it has no mats. Its sessions are RatingSessions with
`rated_by_user_id` = the member and the perspective, so that self and proxy are stored apart
and two members rating at once each keep their own session. A proxy adds a comment beside
each answer."""

from __future__ import annotations

from flask import abort, make_response, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from portal.answering.ratings import store as ratings
from portal.answering.ratings.screens import register_rating_screens
from portal.circle import bp, guards
from portal.circle import consent as consents
from portal.circle.forms import ProxyRatingForm
from portal.core.access import allow
from portal.core.extensions import db
from portal.core.messages import PROXY_NO_CONSENT, PROXY_SAVED
from portal.models import Perspective, RatingComment, RatingSession, Role

PERSPECTIVES = {
    "what-i-think": Perspective.PROXY_OWN_VIEW,
    "what-they-would-say": Perspective.PROXY_THEIR_VIEW,
}


def _allowed(person_id: int):
    person, member = guards.member_or_404(person_id)
    if not consents.may_rate(member):
        return person, member, False
    return person, member, True


def _no_consent(person):
    return make_response(render_template("circle/no_consent.html", person=person,
                                         message=str(PROXY_NO_CONSENT)), 403)


# The circle blueprint's endpoint names for the shared rating screens (registered below).
RATING_NAMES = {"statement": "proxy_statement", "check": "proxy_check", "save": "proxy_save"}


class ProxyOwner:
    """A member of the person's circle, rating for them from one perspective."""

    templates = {"ratings/statement.html": "circle/proxy_statement.html",
                 "ratings/check.html": "circle/proxy_check.html"}
    rating_form = ProxyRatingForm

    def __init__(self, person, user_id: int, slug: str):
        self.person, self.user_id, self.slug = person, user_id, slug
        self.perspective = PERSPECTIVES[slug]

    def rating_url(self, screen: str, **values) -> str:
        if screen == "index":  # the member's list of perspectives: not one of them
            return url_for("circle.proxy_index", person_id=self.person.id, **values)
        return url_for(f"circle.{RATING_NAMES[screen]}", person_id=self.person.id,
                       slug=self.slug, **values)

    def template(self, name: str) -> str:
        return self.templates.get(name, name)

    def open_rating_session(self, language: str) -> RatingSession:
        return ratings.open_session(self.person.id, self.user_id, language, self.perspective)

    def find_rating_session(self) -> RatingSession | None:
        return ratings.find_open_session(self.person.id, self.user_id, self.perspective)

    def after_ratings_saved(self, session: RatingSession | None) -> str:
        # Also when pressed twice: the first press saved it.
        return url_for("circle.proxy_index", person_id=self.person.id, saved=1)

    def rating_form_data(self, rating) -> dict:
        return {"comment": _comment_of(rating)}

    def after_rated(self, rating, form) -> None:
        _keep_comment(rating.id, form.comment.data)

    def check_context(self, session: RatingSession) -> dict:
        return {"comments": comments_of(session)}


def proxy_owner(person_id: int, slug: str):
    """The owner for this member and perspective; else the reason why not (a response)."""
    if slug not in PERSPECTIVES:
        abort(404)
    person, _member, ok = _allowed(person_id)
    if not ok:
        return _no_consent(person)
    return ProxyOwner(person, current_user.id, slug)


def finished_proxy_sessions(person_id: int, user_id: int) -> list[RatingSession]:
    return list(db.session.scalars(select(RatingSession).where(
        RatingSession.person_id == person_id, RatingSession.rated_by_user_id == user_id,
        RatingSession.perspective != Perspective.SELF, RatingSession.finished_at.is_not(None),
    ).order_by(RatingSession.finished_at.desc())))


@bp.get("/circle/people/<int:person_id>/rate")
@allow(Role.SUPPORTER, Role.PRACTITIONER)
def proxy_index(person_id: int):
    person, member, ok = _allowed(person_id)
    if not ok:  # a page that explains, reached from the supporter's list: not an error
        return render_template("circle/no_consent.html", person=person,
                               message=str(PROXY_NO_CONSENT))
    open_sessions = {slug: ratings.find_open_session(person.id, current_user.id, p)
                     for slug, p in PERSPECTIVES.items()}
    return render_template("circle/proxy_index.html", person=person, member=member,
                           open_sessions=open_sessions,
                           saved=finished_proxy_sessions(person.id, current_user.id),
                           notice=PROXY_SAVED if request.args.get("saved") else None)


# One statement a screen, then "Is this right?" and save: the person's own screens.
register_rating_screens(bp, proxy_owner, allow(Role.SUPPORTER, Role.PRACTITIONER),
                        prefix="/circle/people/<int:person_id>/rate/<slug>", names=RATING_NAMES)


def _keep_comment(rating_id: int, words: str | None) -> None:
    found = db.session.scalar(select(RatingComment).where(RatingComment.rating_id == rating_id))
    if words:
        if found is None:
            db.session.add(RatingComment(rating_id=rating_id, comment=words))
        else:
            found.comment = words
    elif found is not None:
        db.session.delete(found)
    db.session.commit()


def comments_of(session: RatingSession) -> dict[str, str]:
    ids = {r.id: r.statement_key for r in session.ratings}
    if not ids:
        return {}
    found = db.session.scalars(select(RatingComment).where(RatingComment.rating_id.in_(ids)))
    return {ids[c.rating_id]: c.comment for c in found}


def _comment_of(rating) -> str | None:
    if rating is None:
        return None
    return db.session.scalar(select(RatingComment.comment).where(
        RatingComment.rating_id == rating.id))
