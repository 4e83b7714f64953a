"""Helpers shared by the mat, rating and mat picture tests (plain functions, no fixtures)."""

from __future__ import annotations

import re

from sqlalchemy import select

from portal.core.extensions import db
from portal.models import MatSession, Person, Role, User
from tests.conftest import sign_in
from tests.pages import csrf_token_in

HOME_CARDS = [
    "home.bedroom", "home.people-i-live-with", "home.cooking", "home.cleaning",
    "home.where-i-live", "home.safe-at-home", "home.garden",
]


def open_mat(client, mat_key: str = "home", prefix: str = "/me/mats") -> tuple[int, str]:
    """Open the mat as a person does: its page, then "Start" when it is not open yet. The
    session id and the mat's page."""
    response = client.get(f"{prefix}/{mat_key}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    if f'action="{prefix}/{mat_key}/start"' in page:  # not open yet: press "Start"
        started = client.post_form(f"{prefix}/{mat_key}/start",
                                   {"csrf_token": csrf_token_in(page)})
        assert started.status_code == 302
        assert started.headers["Location"] == f"{prefix}/{mat_key}"
        response = client.get(started.headers["Location"])
        assert response.status_code == 200
        page = response.get_data(as_text=True)
    found = re.search(rf'action="{prefix}/session/(\d+)/answers"', page)
    assert found, "the mat page has no form"
    return int(found.group(1)), page


def form_data(placements: dict[str, str | None]) -> dict:
    return {f"card-{card}": (point or "not-now") for card, point in placements.items()}


def place_json(client, session_id: int, card: str, point: str | None, token: str | None = None):
    headers = {"X-CSRFToken": token or client.csrf_token(), "Accept": "application/json"}
    return client.post(f"/me/mats/session/{session_id}/place", json={"card": card, "point": point},
                       headers=headers)


def complete_mat(client, placements: dict[str, str | None], mat_key: str = "home") -> int:
    """Do a whole mat without JavaScript: place the cards, check, save. The session id."""
    session_id, _page = open_mat(client, mat_key)
    response = client.post_form(f"/me/mats/session/{session_id}/answers", form_data(placements))
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    assert response.headers["Location"] == f"/me/mats/session/{session_id}/check"
    check = client.get(response.headers["Location"])
    assert check.status_code == 200
    response = client.post_form(f"/me/mats/session/{session_id}/save", {
        "csrf_token": csrf_token_in(check.get_data(as_text=True))})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/me/mats/saved/{session_id}"
    return session_id


def mat_session(app, session_id: int) -> dict:
    """The session and its placements as plain data (read in a fresh app context)."""
    with app.app_context():
        session = db.session.get(MatSession, session_id)
        result = {
            "person_id": session.person_id, "language": session.language,
            "finished": session.finished_at is not None, "open_key": session.open_key,
            "perspective": session.perspective, "rated_by": session.rated_by_user_id,
            "mat_item": session.mat_item.key, "scale_item": session.scale_item.key,
            "picture_path": session.picture_path,
            "placements": {
                p.card_key: {
                    "status": p.status, "score": p.score,
                    "point": p.point_item.key if p.point_item else None,
                    "card_item": p.card_item.key if p.card_item else None,
                    "card_version": p.card_item.version if p.card_item else None,
                    "scale_item": p.session.scale_item.key, "own_words": p.own_words,
                }
                for p in session.placements
            },
        }
        db.session.remove()
        return result


def add_other_person(app, username: str = "other-person") -> int:
    """Another person with their own sign-in; their Person id."""
    with app.app_context():
        user = User(username=username, role=Role.PERSON, display_name="Bea")
        user.set_password("demo-password")
        db.session.add(user)
        db.session.flush()
        person = Person(user_id=user.id, display_name="Bea")
        db.session.add(person)
        db.session.commit()
        person_id = person.id
        db.session.remove()
        return person_id


def signed_in(app, username: str):
    client = app.test_client()
    assert sign_in(client, username).status_code == 302
    return client


def demo_person_id(app) -> int:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "demo-person"))
        person = db.session.scalar(select(Person).where(Person.user_id == user.id))
        db.session.remove()
        return person.id
