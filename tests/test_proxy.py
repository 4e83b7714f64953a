"""Proxy ratings: a member of the circle rates the 24 statements for the person from a
stated perspective, only with consent or a best-interests decision; self and proxy side
by side with flags and kappa; who may see what; two members at once."""

from __future__ import annotations

import threading
from html import unescape

import pytest
from sqlalchemy import select

from portal.circle.perspectives import labelled_sessions
from portal.content.store import load_content
from portal.core.extensions import db
from portal.domain.perspectives import session_label
from portal.models import CircleMember, Rating, RatingComment, RatingSession, User
from tests.circle_support import (
    PERSPECTIVE_SLUGS,
    member_id,
    person_agrees,
    proxy_answer,
    proxy_save,
)
from tests.mat_support import add_other_person, demo_person_id, signed_in
from tests.pages import csrf_token_in

TOTAL = 24


@pytest.fixture()
def content(app, demo):
    with app.app_context():
        load_content()
        db.session.remove()


@pytest.fixture()
def agreed(app, content):
    """The person agrees that Mum and the social worker may rate; Mum may see their answers."""
    person_id = demo_person_id(app)
    person = signed_in(app, "demo-person")
    person_agrees(person, {member_id(app, person_id, "demo-supporter"): ["rate", "see_own"],
                           member_id(app, person_id, "demo-practitioner"): ["rate"]})
    return person_id


def rate_all(client, person_id, slug, answers: dict[int, str | None], default="always",
             comment_at: dict[int, str] | None = None):
    for number in range(1, TOTAL + 1):
        value = answers.get(number, default)
        response = proxy_answer(client, person_id, slug, number, value,
                                (comment_at or {}).get(number, ""))
        assert response.status_code == 302, response.get_data(as_text=True)[:300]
    assert proxy_save(client, person_id, slug).status_code == 302


def rate_self(client, answers: dict[int, str], default="always"):
    import re

    for number in range(1, TOTAL + 1):
        page = client.get(f"/me/how-true/{number}").get_data(as_text=True)
        client.post(f"/me/how-true/{number}", data={
            "csrf_token": csrf_token_in(page), "action": "next",
            "answer": answers.get(number, default),
            "statement": re.search(r'name="statement" value="([^"]*)"', page).group(1),
            "shown": re.search(r'name="shown" value="([^"]*)"', page).group(1)})
    check = client.get("/me/how-true/check").get_data(as_text=True)
    client.post("/me/how-true/save", data={"csrf_token": csrf_token_in(check)})


def test_no_proxy_rating_without_consent(app, content):
    person_id = demo_person_id(app)
    mum = signed_in(app, "demo-supporter")
    for path, status in ((f"/circle/people/{person_id}/rate", 200),
                         (f"/circle/people/{person_id}/rate/what-i-think/1", 403)):
        response = mum.get(path)
        assert response.status_code == status
        assert "The person has to agree first" in response.get_data(as_text=True)
    response = mum.post(f"/circle/people/{person_id}/rate/what-i-think/1", data={
        "csrf_token": mum.csrf_token(), "action": "next", "answer": "always",
        "statement": "know-help"})
    assert response.status_code == 403
    with app.app_context():
        assert db.session.scalar(select(RatingSession)) is None
        db.session.remove()


def test_proxy_ratings_from_both_perspectives_side_by_side(app, agreed):
    person_id = agreed
    rate_self(signed_in(app, "demo-person"), {10: "always", 1: "mostly", 5: "dont_know"})
    mum = signed_in(app, "demo-supporter")
    page = mum.get(f"/circle/people/{person_id}/rate").get_data(as_text=True)
    assert "What I think they would say" in page
    rate_all(mum, person_id, "what-i-think", {10: "not-true", 1: "mostly", 2: None},
             comment_at={10: "She gets scared on the bus."})
    rate_all(mum, person_id, "what-they-would-say", {10: "sometimes"})
    response = proxy_answer(mum, person_id, "what-i-think", 1, "x" if False else "always",
                            comment="x" * 1001)
    assert response.status_code == 400
    assert "Please use 1000 letters or fewer" in response.get_data(as_text=True)

    with app.app_context():
        sessions = db.session.scalars(select(RatingSession).where(
            RatingSession.finished_at.is_not(None)).order_by(RatingSession.id)).all()
        assert [s.perspective for s in sessions] == ["self", "proxy_own_view",
                                                     "proxy_their_view"]
        mum_id = db.session.scalar(select(User.id).where(User.username == "demo-supporter"))
        assert {s.rated_by_user_id for s in sessions[1:]} == {mum_id}
        comment = db.session.scalar(select(RatingComment))
        rating = db.session.get(Rating, comment.rating_id)
        assert (rating.statement_key, comment.comment) == ("safe", "She gets scared on the bus.")
        labels = dict(labelled_sessions())
        assert sorted(labels.values()) == ["proxy:family:proxy_own_view",
                                           "proxy:family:proxy_their_view", "self"]
        db.session.remove()

    practitioner = signed_in(app, "demo-practitioner")
    page = unescape(practitioner.get(f"/circle/people/{person_id}/side-by-side")
                    .get_data(as_text=True))
    assert "Siân Jones (Family): what I think" in page
    assert "Siân Jones (Family): what I think they would say" in page
    # "I am safe": Always true (self) against Not true (Mum's view) is 3 steps: flagged;
    # against Sometimes true (what Mum thinks Alex would say) 2 steps: flagged too.
    assert page.count("Large difference") == 2
    # Own view: 22 pairs (statement 2 skipped by Mum, 5 "I don't know" by Alex), 21 same.
    assert "Exact agreement 95% and weighted kappa" in page
    assert "over 22 pairs of answers" in page
    assert "Health and feeling good" in page  # domain names from content


def test_supporter_sees_only_what_the_person_agreed(app, agreed):
    person_id = agreed
    rate_self(signed_in(app, "demo-person"), {})
    practitioner = signed_in(app, "demo-practitioner")
    rate_all(practitioner, person_id, "what-i-think", {3: "not-true"})
    mum = signed_in(app, "demo-supporter")
    rate_all(mum, person_id, "what-i-think", {})
    page = unescape(mum.get(f"/circle/people/{person_id}/side-by-side").get_data(as_text=True))
    assert "Siân Jones (Family)" in page and "The person said" in page
    assert "Rhys Evans" not in page  # the social worker's ratings: not agreed
    person = signed_in(app, "demo-person")
    person_agrees(person, {member_id(app, person_id, "demo-supporter"): ["rate", "see_others"]})
    page = unescape(mum.get(f"/circle/people/{person_id}/side-by-side").get_data(as_text=True))
    assert "Rhys Evans (Professional)" in page and "The person said" not in page
    # The person's own easy-read page: "You said … Mum said …".
    page = unescape(person.get("/me/circle/views").get_data(as_text=True))
    assert "You said" in page and "Mum said" in page and "Social worker said" in page


def test_a_member_cannot_reach_another_person_by_changing_the_id(app, agreed):
    other = add_other_person(app)
    mum = signed_in(app, "demo-supporter")
    for path in (f"/circle/people/{other}/rate", f"/circle/people/{other}/rate/what-i-think/1",
                 f"/circle/people/{other}/rate/what-i-think/check",
                 f"/circle/people/{other}/side-by-side", f"/circle/people/{agreed}"):
        assert mum.get(path).status_code in (403, 404), path
    response = mum.post(f"/circle/people/{other}/rate/what-i-think/1", data={
        "csrf_token": mum.csrf_token(), "action": "next", "answer": "always",
        "statement": "know-help"})
    assert response.status_code == 404
    assert mum.get(f"/circle/people/{agreed}/rate/no-such-view/1").status_code == 404
    for role in ("demo-commissioner", "demo-facilitator", "demo-person"):
        client = signed_in(app, role)
        assert client.get(f"/circle/people/{agreed}/rate").status_code == 403
        assert client.get(f"/circle/people/{agreed}/side-by-side").status_code == 403


def test_two_members_rating_at_the_same_moment_both_keep_their_ratings(app, agreed):
    person_id = agreed
    with app.app_context():
        pract = db.session.scalar(select(User).where(User.username == "demo-practitioner"))
        assert db.session.scalar(select(CircleMember).where(CircleMember.user_id == pract.id))
        db.session.remove()
    clients = {"mum": signed_in(app, "demo-supporter"),
               "worker": signed_in(app, "demo-practitioner")}
    pages = {name: c.get(f"/circle/people/{person_id}/rate/what-i-think/1").get_data(
        as_text=True) for name, c in clients.items()}
    barrier = threading.Barrier(2)
    results = {}

    def press(name, value):
        barrier.wait()
        results[name] = clients[name].post(
            f"/circle/people/{person_id}/rate/what-i-think/1",
            data={"csrf_token": csrf_token_in(pages[name]), "action": "next", "answer": value,
                  "statement": "know-help", "shown": ""}).status_code

    threads = [threading.Thread(target=press, args=(n, v))
               for n, v in (("mum", "always"), ("worker", "not-true"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == {"mum": 302, "worker": 302}
    with app.app_context():
        kept = db.session.execute(select(RatingSession.rated_by_user_id, Rating.statement_key,
                                         Rating.score).join(Rating)).all()
        assert len(kept) == 2 and {score for _u, _k, score in kept} == {100.0, 0.0}
        db.session.remove()


def test_a_comment_comes_back_when_the_statement_is_shown_again(app, agreed):
    # The person's own rating screen serves the proxy: the comment is what it adds.
    mum = signed_in(app, "demo-supporter")
    path = f"/circle/people/{agreed}/rate/what-i-think/3"
    assert proxy_answer(mum, agreed, "what-i-think", 3, "always",
                        comment="She said so.").status_code == 302
    page = mum.get(path).get_data(as_text=True)
    assert ">She said so.</textarea>" in page and 'value="always" checked' in page
    assert proxy_answer(mum, agreed, "what-i-think", 3, "always").status_code == 302
    with app.app_context():
        assert db.session.scalar(select(RatingComment)) is None
        db.session.remove()
    check = mum.get(f"/circle/people/{agreed}/rate/what-i-think/check").get_data(as_text=True)
    assert f'href="{path}"' in check


def test_session_labels_are_pure():
    assert session_label("self", None) == "self"
    assert session_label("proxy_own_view", "family") == "proxy:family:proxy_own_view"
    assert session_label("proxy_their_view", None) == "proxy:unknown:proxy_their_view"


@pytest.mark.parametrize("slug", PERSPECTIVE_SLUGS)
def test_the_proxy_screens_in_welsh(app, agreed, slug):
    mum = signed_in(app, "demo-supporter")
    mum.get("/language/cy")
    response = mum.get(f"/circle/people/{agreed}/rate/{slug}/1")
    assert response.status_code == 200
    assert 'lang="cy"' in response.get_data(as_text=True)


def _sessions_and_comments(app) -> tuple[int, int, int]:
    with app.app_context():
        found = (len(db.session.scalars(select(RatingSession)).all()),
                 len(db.session.scalars(select(Rating)).all()),
                 len(db.session.scalars(select(RatingComment)).all()))
        db.session.remove()
        return found


@pytest.mark.parametrize("slug", PERSPECTIVE_SLUGS)
def test_looking_at_the_proxy_screens_stores_nothing_until_the_first_answer(app, agreed, slug):
    # A crawler or a browser's prefetch of the "rate" links only GETs: nothing is left behind.
    mum = signed_in(app, "demo-supporter")
    base = f"/circle/people/{agreed}/rate"
    for lang in ("en", "cy"):
        mum.get(f"/language/{lang}")
        for path in (base, f"{base}/{slug}/1", f"{base}/{slug}/12"):
            page = mum.get(path).get_data(as_text=True)
            assert f'<html lang="{lang}"' in page
        assert mum.get(f"{base}/{slug}/check").headers["Location"] == base
    assert _sessions_and_comments(app) == (0, 0, 0)
    stale = mum.post(f"{base}/{slug}/1", data={"csrf_token": "stale", "statement": "know-help",
                                               "action": "next", "answer": "always",
                                               "comment": "Kept when refused"})
    assert stale.status_code == 400 and 'class="error-summary"' in stale.get_data(as_text=True)
    assert "Kept when refused" in stale.get_data(as_text=True)
    assert _sessions_and_comments(app) == (0, 0, 0)
    for _ in range(2):  # the first "Next" pressed twice: one session
        assert proxy_answer(mum, agreed, slug, 1, "always", "Both times").status_code == 302
    assert _sessions_and_comments(app) == (1, 1, 1)


def test_the_pure_label_knows_the_stored_own_view():
    """domain/perspectives.py is pure, so it names the stored value itself: keep them equal."""
    from portal.domain.perspectives import OWN_VIEW, SELF
    from portal.models import Perspective

    assert OWN_VIEW == Perspective.SELF
    assert session_label(Perspective.SELF, None) == SELF
    assert session_label(Perspective.PROXY_THEIR_VIEW, "family").startswith("proxy:family:")
