"""An event participant as the owner of mat and rating sessions: a MatOwner and a
RatingOwner (portal/answering/owners.py).

The participant is the one whose token this browser session holds; a session of anyone
else, or a guessed id, is "not found". Only the mats the facilitator chose, and the
ratings only when the event uses them. When the event has closed, every screen says so
kindly and stores nothing.
"""

from __future__ import annotations

from flask import abort, make_response, render_template, session, url_for
from sqlalchemy import select

from portal.answering.mats import store as mat_store
from portal.answering.mats.screens import MAT_SCREENS
from portal.answering.owners import PlainRatings
from portal.answering.ratings import store as rating_store
from portal.core.errors import json_refusal
from portal.core.extensions import db
from portal.core.messages import EVENT_IS_CLOSED
from portal.events import store
from portal.models import EventParticipant, MatSession, RatingSession

PARTICIPANT = "event_participant"  # the browser session's key for the participant's token


# The events blueprint's endpoint names for the shared screens (activities.py registers
# them by these names); the menu is a participant's way back from any of them.
MAT_NAMES = {**{screen: f"mat_{screen}" for screen in MAT_SCREENS}, "mat": "mat"}
RATING_NAMES = {"statement": "rating", "check": "rating_check", "save": "rating_save"}
MENU = "events.menu"


class ParticipantOwner(PlainRatings):
    """The participant whose token this browser holds, answering anonymously."""

    # The same screens, with the tablet's idle reset and a way back to the menu.
    templates = {
        "mats/start.html": "events/mat_start.html",
        "mats/mat.html": "events/mat.html",
        "mats/check.html": "events/mat_check.html",
        "ratings/statement.html": "events/rating.html",
        "ratings/check.html": "events/rating_check.html",
    }

    def __init__(self, participant: EventParticipant):
        self.participant = participant
        self.event = participant.event

    def mat_url(self, screen: str, **values) -> str:
        return url_for(MENU if screen == "index" else f"events.{MAT_NAMES[screen]}", **values)

    def rating_url(self, screen: str, **values) -> str:
        return url_for(MENU if screen == "index" else f"events.{RATING_NAMES[screen]}", **values)

    def template(self, name: str) -> str:
        return self.templates.get(name, name)

    def may_use_mat(self, mat_key: str) -> bool:
        return mat_key in self.event.mats

    def find_mat_session(self, mat) -> MatSession | None:
        saved = db.session.scalar(select(MatSession).where(
            MatSession.participant_id == self.participant.id, MatSession.mat_key == mat.key,
            MatSession.finished_at.is_not(None)).limit(1))
        if saved is not None:  # an event asks for each mat once
            return saved
        return mat_store.find_by_open_key(
            mat_store.participant_open_key(self.participant.id, mat.key))

    def open_mat_session(self, mat, language: str) -> MatSession:
        return self.find_mat_session(mat) or mat_store.open_participant_session(
            self.participant.id, mat, language)

    def mat_session(self, session_id: int) -> MatSession | None:
        return mat_store.session_of_participant(session_id, self.participant.id)

    def after_mat_saved(self, session: MatSession) -> str:
        return url_for(MENU)

    def open_rating_session(self, language: str) -> RatingSession:
        found = self.find_rating_session()  # 404 when the event does not use the ratings
        if found is not None:
            return found
        return rating_store.open_participant_session(self.participant.id, language)

    def find_rating_session(self) -> RatingSession | None:
        if not self.event.use_ratings:
            abort(404)
        return rating_store.find_participant_session(self.participant.id)

    def after_ratings_saved(self, session: RatingSession | None) -> str:
        return url_for(MENU)


def closed_page(event):
    return render_template("events/closed.html", event=event), 410


def current_participant(as_json: bool = False) -> EventParticipant:
    """This browser's participant, still taking part in an open event; else 404 (or the
    kind "this event has finished" page, 410)."""
    participant = store.participant_by_token(session.get(PARTICIPANT))
    if participant is None or participant.finished_at is not None:
        abort(404)
    if not participant.event.is_open:
        if as_json:
            abort(json_refusal(EVENT_IS_CLOSED, 410))
        abort(make_response(*closed_page(participant.event)))
    return participant


def participant_owner(as_json: bool = False) -> ParticipantOwner:
    return ParticipantOwner(current_participant(as_json))
