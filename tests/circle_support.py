"""Helpers shared by the circle and proxy rating tests (plain functions, no fixtures)."""

from __future__ import annotations

import re

from sqlalchemy import select

from portal.core.extensions import db
from portal.models import CircleMember, MemberConsent, User
from tests.pages import csrf_token_in

PERSPECTIVE_SLUGS = ("what-i-think", "what-they-would-say")


def member_id(app, person_id: int, username: str) -> int:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        found = db.session.scalar(select(CircleMember.id).where(
            CircleMember.person_id == person_id, CircleMember.user_id == user.id))
        db.session.remove()
        return found


def consent_row(app, member: int) -> dict | None:
    with app.app_context():
        row = db.session.scalar(select(MemberConsent).where(MemberConsent.member_id == member))
        result = None if row is None else {
            "may_rate": row.may_rate, "see_own": row.may_see_own_answers,
            "see_others": row.may_see_others, "basis": row.basis}
        db.session.remove()
        return result


def person_agrees(client, choices: dict[int, list[str]]):
    """The person's consent page: `choices` maps member id to what they agree to."""
    page = client.get("/me/circle/agree").get_data(as_text=True)
    data = {"csrf_token": csrf_token_in(page)}
    for member, chosen in choices.items():
        data[f"member-{member}"] = chosen
    return client.post("/me/circle/agree", data=data)


def proxy_answer(client, person_id: int, slug: str, number: int, value: str | None,
                 comment: str = ""):
    """Press Next (or Skip, when value is None) on a proxy statement screen."""
    path = f"/circle/people/{person_id}/rate/{slug}/{number}"
    page = client.get(path).get_data(as_text=True)
    data = {"csrf_token": csrf_token_in(page),
            "statement": re.search(r'name="statement" value="([^"]*)"', page).group(1),
            "shown": re.search(r'name="shown" value="([^"]*)"', page).group(1),
            "comment": comment}
    if value is None:
        data["action"] = "skip"
    else:
        data["action"], data["answer"] = "next", value
    return client.post(path, data=data)


def proxy_save(client, person_id: int, slug: str):
    check = client.get(f"/circle/people/{person_id}/rate/{slug}/check")
    assert check.status_code == 200
    return client.post(f"/circle/people/{person_id}/rate/{slug}/save",
                       data={"csrf_token": csrf_token_in(check.get_data(as_text=True))})
