"""The circle of support: the practitioner's page, invites (once, expiring), the person's
consent in easy read, best-interests decisions, safety follow-ups closed with a note."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest
from sqlalchemy import func, select

from portal.circle.perspectives import labelled_sessions
from portal.content.store import load_content
from portal.core.clock import utcnow
from portal.core.extensions import db
from portal.models import CircleInvite, CircleMember, SafetyFollowUp, User
from tests.circle_support import consent_row, member_id, person_agrees, proxy_answer
from tests.mat_support import add_other_person, demo_person_id, signed_in
from tests.pages import csrf_token_in


@pytest.fixture()
def content(app, demo):
    with app.app_context():
        load_content()
        db.session.remove()


@pytest.fixture()
def practitioner(app, content):
    return signed_in(app, "demo-practitioner")


def make_invite(client, person_id: int, **fields) -> str:
    """Invite someone; the link's path."""
    page = client.get(f"/circle/people/{person_id}/invite").get_data(as_text=True)
    data = {"csrf_token": csrf_token_in(page), "name": "Dai Morgan", "relation": "friend",
            "role_label": "Friend from chapel", "known_for_years": "12",
            "contact_frequency": "weekly", "contact": "dai@example.org", **fields}
    response = client.post(f"/circle/people/{person_id}/invite", data=data)
    assert response.status_code == 200, response.get_data(as_text=True)[:400]
    link = re.search(r'id="invite-link" type="text" readonly value="([^"]+)"',
                     response.get_data(as_text=True)).group(1)
    return "/" + link.split("/", 3)[3]


def test_practitioner_sees_the_circle(app, practitioner):
    person_id = demo_person_id(app)
    page = practitioner.get(f"/circle/people/{person_id}").get_data(as_text=True)
    assert "Siân Jones" in page and "Family" in page and "30 years" in page
    assert f"/circle/people/{person_id}" in practitioner.get("/practitioner").get_data(
        as_text=True)


def test_invite_works_once_and_joins_the_circle(app, practitioner):
    person_id = demo_person_id(app)
    path = make_invite(practitioner, person_id)
    with app.app_context():
        invite = db.session.scalar(select(CircleInvite))
        token = path.rsplit("/", 1)[1]
        assert token not in invite.token_hash and len(invite.token_hash) == 64
        assert invite.expires_at - utcnow() > timedelta(days=6, hours=23)
        db.session.remove()
    page = practitioner.get(f"/circle/people/{person_id}").get_data(as_text=True)
    assert "Dai Morgan" in page and "Invited until" in page

    newcomer = app.test_client()
    page = newcomer.get(path).get_data(as_text=True)
    assert "Join the circle of support of Alex" in unescape(page)
    response = newcomer.post(path, data={"csrf_token": csrf_token_in(page), "username": "dai",
                                         "password": "a-long-password", "confirm":
                                         "a-long-password"})
    assert (response.status_code, response.headers["Location"]) == (302, "/supporter")
    assert "Alex" in newcomer.get("/supporter").get_data(as_text=True)
    with app.app_context():
        dai = db.session.scalar(select(User).where(User.username == "dai"))
        member = db.session.scalar(select(CircleMember).where(CircleMember.user_id == dai.id))
        assert (member.person_id, member.relation, member.known_for_years,
                member.contact_frequency) == (person_id, "friend", 12, "weekly")
        db.session.remove()

    # Used once: the same link again changes nothing.
    again = app.test_client()
    response = again.get(path)
    assert response.status_code == 410
    assert "A link works once" in response.get_data(as_text=True)
    response = again.post(path, data={"csrf_token": again.csrf_token(), "username": "dai2",
                                      "password": "a-long-password",
                                      "confirm": "a-long-password"})
    assert response.status_code == 410
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User).where(
            User.username == "dai2")) == 0
        db.session.remove()


def test_an_expired_invite_is_refused_kindly(app, practitioner):
    path = make_invite(practitioner, demo_person_id(app))
    with app.app_context():
        invite = db.session.scalar(select(CircleInvite))
        invite.expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
        db.session.remove()
    client = app.test_client()
    response = client.get(path)
    assert response.status_code == 410
    page = response.get_data(as_text=True)
    assert "This invite is too old" in page and "Nothing has changed." in page
    response = client.post(path, data={"csrf_token": client.csrf_token(), "username": "late",
                                       "password": "a-long-password",
                                       "confirm": "a-long-password"})
    assert response.status_code == 410
    assert app.test_client().get("/circle/join/not-a-real-token").status_code == 404


def test_an_existing_supporter_signs_in_and_joins(app, practitioner):
    other = add_other_person(app)
    with app.app_context():
        me = db.session.scalar(select(User).where(User.username == "demo-practitioner"))
        db.session.add(CircleMember(person_id=other, user_id=me.id, relation="professional"))
        db.session.commit()
        db.session.remove()
    path = make_invite(practitioner, other, relation="family")
    supporter = signed_in(app, "demo-supporter")
    page = supporter.get(path).get_data(as_text=True)
    assert "Join the circle" in page
    response = supporter.post(path, data={"csrf_token": csrf_token_in(page)})
    assert response.status_code == 302
    assert "Bea" in supporter.get("/supporter").get_data(as_text=True)


def test_invite_form_errors_keep_what_was_typed(app, practitioner):
    person_id = demo_person_id(app)
    page = practitioner.get(f"/circle/people/{person_id}/invite").get_data(as_text=True)
    response = practitioner.post(f"/circle/people/{person_id}/invite", data={
        "csrf_token": csrf_token_in(page), "name": "", "relation": "boss",
        "known_for_years": "lots", "contact": "07700 900123"})
    assert response.status_code == 400
    page = unescape(response.get_data(as_text=True))
    assert "Enter their name." in page and "Choose how they know the person." in page
    assert "Enter a number of years from 0 to 100." in page and "07700 900123" in page


def test_join_errors(app, practitioner):
    path = make_invite(practitioner, demo_person_id(app))
    client = app.test_client()
    token = client.csrf_token()
    response = client.post(path, data={"csrf_token": token, "username": "demo-admin",
                                       "password": "short", "confirm": "other"})
    page = unescape(response.get_data(as_text=True))
    assert response.status_code == 400
    assert "at least 10 letters" in page and "not the same" in page
    response = client.post(path, data={"csrf_token": token, "username": "Demo-Admin",
                                       "password": "a-long-password",
                                       "confirm": "a-long-password"})
    assert "This username is taken" in response.get_data(as_text=True)
    # A commissioner cannot join a circle; the link stays unused.
    commissioner = signed_in(app, "demo-commissioner")
    assert commissioner.get(path).status_code == 403
    assert client.get(path).status_code == 200


def test_person_sees_their_circle_and_agrees(app, content):
    person_id = demo_person_id(app)
    person = signed_in(app, "demo-person")
    page = person.get("/me/circle").get_data(as_text=True)
    assert "You have known each other for 30 years." in page
    assert "/me/circle/agree" in page
    mum = member_id(app, person_id, "demo-supporter")
    social_worker = member_id(app, person_id, "demo-practitioner")
    page = person.get("/me/circle/agree").get_data(as_text=True)
    assert "You choose who can see the answers." in page and "picture" in page
    response = person_agrees(person, {mum: ["rate", "see_own"], social_worker: ["rate"]})
    assert response.status_code == 200
    assert "Your choices are saved." in response.get_data(as_text=True)
    assert consent_row(app, mum) == {"may_rate": True, "see_own": True, "see_others": False,
                                     "basis": "person_agreed"}
    # Changing their mind: nothing ticked means nothing allowed.
    person_agrees(person, {})
    assert consent_row(app, mum)["may_rate"] is False


def test_best_interests_decision(app, practitioner):
    person_id = demo_person_id(app)
    mum = member_id(app, person_id, "demo-supporter")
    path = f"/circle/people/{person_id}/best-interests"
    page = practitioner.get(path).get_data(as_text=True)
    response = practitioner.post(path, data={"csrf_token": csrf_token_in(page)})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Enter who was consulted." in page and "Enter the reason" in page
    assert consent_row(app, mum) is None
    response = practitioner.post(path, data={
        "csrf_token": csrf_token_in(page), "consulted": "Mum, the GP, the advocate",
        "decided_on": "2026-11-20", "reason": "Alex cannot weigh up this decision.",
        "raters": [str(mum)]})
    assert response.status_code == 302
    page = practitioner.get(response.headers["Location"]).get_data(as_text=True)
    assert "The best-interests decision is saved." in page and "Mum, the GP" in page
    assert consent_row(app, mum)["basis"] == "best_interests"
    assert consent_row(app, mum)["may_rate"] is True
    assert consent_row(app, member_id(app, person_id, "demo-practitioner"))["may_rate"] is False


def test_a_not_safe_answer_is_followed_up_and_closed(app, practitioner):
    person_id = demo_person_id(app)
    mum = member_id(app, person_id, "demo-supporter")
    person = signed_in(app, "demo-person")
    person_agrees(person, {mum: ["rate", "see_own", "see_others"]})
    # The person's own "Not true" to "I am safe" (statement 10).
    page = person.get("/me/how-true/10").get_data(as_text=True)
    person.post("/me/how-true/10", data={
        "csrf_token": csrf_token_in(page), "action": "next", "answer": "not-true",
        "statement": "safe", "shown": re.search(r'name="shown" value="(\d+)"', page).group(1)})
    # Mum's, giving her own view.
    mum_client = signed_in(app, "demo-supporter")
    assert proxy_answer(mum_client, person_id, "what-i-think", 10, "not-true").status_code == 302
    with app.app_context():
        raised = db.session.scalars(select(SafetyFollowUp).order_by(SafetyFollowUp.id)).all()
        assert [(f.raised_by_relation, f.perspective, f.statement_key) for f in raised] == [
            ("self", "self", "safe"), ("family", "proxy_own_view", "safe")]
        first = raised[0].id
        db.session.remove()
    home = unescape(practitioner.get("/practitioner").get_data(as_text=True))
    assert "There are no follow-ups for you." not in home
    assert "Alex said “Not true” to “I am safe.”" in home or "said “Not true”" in home
    assert "Siân Jones (Family, what I think)" in home
    # Nothing about it reaches other members.
    for path in ("/supporter", f"/circle/people/{person_id}/side-by-side",
                 f"/circle/follow-ups/{first}"):
        response = mum_client.get(path)
        assert "Not true”" not in response.get_data(as_text=True), path
    assert mum_client.get(f"/circle/follow-ups/{first}").status_code == 403
    # Closed with a note.
    path = f"/circle/follow-ups/{first}"
    page = practitioner.get(path).get_data(as_text=True)
    response = practitioner.post(path, data={"csrf_token": csrf_token_in(page), "note": ""})
    assert response.status_code == 400
    assert "Write a note about what was done." in response.get_data(as_text=True)
    response = practitioner.post(path, data={"csrf_token": csrf_token_in(page),
                                             "note": "Visited Alex; safety plan agreed."})
    assert response.status_code == 302
    with app.app_context():
        closed = db.session.get(SafetyFollowUp, first)
        assert closed.done_at is not None and closed.note.startswith("Visited")
        db.session.remove()
    assert practitioner.get("/practitioner").get_data(as_text=True).count(
        "Open this follow-up") == 1
    # Labelled apart for the aggregate: nothing is finished yet, open sessions included.
    with app.app_context():
        labels = sorted(label for _id, label in labelled_sessions(finished_only=False))
        assert labels == ["proxy:family:proxy_own_view", "self"]


def test_a_practitioner_outside_the_circle_gets_not_found(app, practitioner):
    other = add_other_person(app)
    for path in (f"/circle/people/{other}", f"/circle/people/{other}/invite",
                 f"/circle/people/{other}/best-interests",
                 f"/circle/people/{other}/side-by-side", f"/circle/people/{other}/rate"):
        assert practitioner.get(path).status_code == 404, path
