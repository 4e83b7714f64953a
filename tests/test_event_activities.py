"""Mats and outcome ratings at a listening event: the participant's menu, the same mat and
rating screens as a signed-in person's (owned by the participant, no person), nobody
reaching anybody else's, double taps stored once, the tablet reset, a closed event, and
the live counts per card and point and per statement."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from portal.core.extensions import db
from portal.models import EventParticipant, MatPlacement, MatSession, Rating, RatingSession
from tests.mat_support import open_mat
from tests.pages import csrf_token_in
from tests.test_events import content, event_code, new_event  # noqa: F401

HOME_POINTS = ("good", "not-sure", "not-good")


def _event(app, login_as, **overrides):
    facilitator = login_as("facilitator")
    data = {"mats": ["home"], "use_ratings": "y", **overrides}
    event_id = new_event(facilitator, **data)
    return facilitator, event_id, event_code(app, event_id)


def _join(app, code: str, language: str = "en"):
    tablet = app.test_client()
    tablet.get(f"/language/{language}?next=/join/{code}/agree")
    response = tablet.post_form(f"/join/{code}/agree", {})
    assert response.status_code == 302
    return tablet, response.headers["Location"]


def _open_mat(tablet, mat_key: str = "home") -> tuple[int, str]:
    return open_mat(tablet, mat_key, prefix="/join/mats")


def _place_json(tablet, session_id: int, card: str, point: str | None):
    return tablet.post(f"/join/mats/session/{session_id}/place", json={"card": card,
                       "point": point}, headers={"X-CSRFToken": tablet.csrf_token(),
                                                 "Accept": "application/json"})


def _rate(tablet, number: int, value: str | None, action: str = "next"):
    page = tablet.get(f"/join/how-true/{number}").get_data(as_text=True)
    data = {"csrf_token": csrf_token_in(page),
            "statement": re.search(r'name="statement" value="([^"]*)"', page).group(1),
            "shown": re.search(r'name="shown" value="([^"]*)"', page).group(1),
            "action": action}
    if value:
        data["answer"] = value
    return tablet.post(f"/join/how-true/{number}", data=data)


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(model.id)))


def _save_mat(tablet, session_id: int):
    check = tablet.get(f"/join/mats/session/{session_id}/check")
    assert check.status_code == 200
    return tablet.post(f"/join/mats/session/{session_id}/save",
                       data={"csrf_token": csrf_token_in(check.get_data(as_text=True))})


# --- Setting up -------------------------------------------------------------------------------


def test_the_facilitator_chooses_mats_and_ratings(app, content, login_as):  # noqa: F811
    facilitator = login_as("facilitator")
    page = facilitator.get("/facilitator/events/new").get_data(as_text=True)
    assert 'name="mats" value="home"' in page and "Which picture mats people can do" in page
    _f, event_id, _code = _event(app, login_as, mats=["home", "relationships"])
    with app.app_context():
        from portal.models import Event

        event = db.session.get(Event, event_id)
        assert event.mats == ["home", "relationships"] and event.use_ratings
    page = facilitator.get(f"/facilitator/events/{event_id}").get_data(as_text=True)
    assert "<dt>Picture mats</dt><dd>My home, Family and friends</dd>" in page
    # A mat that is not in the content: refused with a message, no event made.
    response = facilitator.post_form("/facilitator/events/new", {
        "title_en": "x", "title_cy": "x", "event_date": "2025-03-27", "venue": "x",
        "conversation": "what-matters", "mats": ["no-such-mat"]})
    assert response.status_code == 400
    assert "Choose one" in response.get_data(as_text=True)


# --- The menu and the same screens ------------------------------------------------------------


def test_after_agreeing_the_participant_chooses_what_to_do(app, content, login_as):  # noqa: F811
    _f, _id, code = _event(app, login_as)
    tablet, where = _join(app, code)
    assert where == "/join/menu"
    page = tablet.get(where).get_data(as_text=True)
    assert "What would you like to do?" in page
    assert 'href="/join/mats/home"' in page and 'href="/join/how-true/1"' in page
    assert "/join/answer/" in page and "I've finished" in page
    welsh, where = _join(app, code, "cy")
    page = welsh.get(where).get_data(as_text=True)
    assert '<html lang="cy"' in page and 'href="/join/mats/home"' in page


def test_an_event_without_mats_or_ratings_goes_straight_to_the_questions(
        app, content, login_as):  # noqa: F811
    _f, _id, code = _event(app, login_as, mats=[], use_ratings="")
    tablet, where = _join(app, code)
    assert where.startswith("/join/answer/")
    assert tablet.get("/join/mats/home").status_code == 404
    assert tablet.get("/join/how-true/1").status_code == 404


def test_a_mat_at_an_event_is_the_same_screen_owned_by_the_participant(
        app, content, login_as):  # noqa: F811
    _f, _id, code = _event(app, login_as)
    for language, heading in (("en", "Put each card under the picture that fits for you."),
                              ("cy", 'lang="cy"')):
        tablet, _where = _join(app, code, language)
        session_id, page = _open_mat(tablet)
        assert heading in page and "data-mat-board" in page and "/static/js/mat.js" in page
        assert f'data-place-url="/join/mats/session/{session_id}/place"' in page
        assert 'href="/join/menu"' in page
        response = tablet.post_form(f"/join/mats/session/{session_id}/answers", {
            "card-home.bedroom": "good", "card-home.cooking": "not-good"})
        assert response.headers["Location"] == f"/join/mats/session/{session_id}/check"
        response = _save_mat(tablet, session_id)
        assert response.status_code == 302 and response.headers["Location"] == "/join/menu"
        with app.app_context():
            session = db.session.get(MatSession, session_id)
            assert session.person_id is None and session.participant_id is not None
            assert session.finished_at is not None and session.language == language
            assert session.picture_path is None  # no picture kept of an anonymous mat
        menu = tablet.get("/join/menu").get_data(as_text=True)
        assert menu.count("picture-card__text\">") >= 3
        # The mat again: it is saved, so back to the menu, nothing new opened.
        again = tablet.get("/join/mats/home")
        assert again.status_code == 302 and again.headers["Location"] == "/join/menu"


def test_double_taps_store_once(app, content, login_as):  # noqa: F811
    _f, _id, code = _event(app, login_as)
    tablet, _where = _join(app, code)
    page = tablet.get("/join/mats/home").get_data(as_text=True)  # a look stores nothing
    assert 'action="/join/mats/home/start"' in page and _count(app, MatSession) == 0
    for _ in range(2):  # "Start" pressed twice
        assert tablet.post_form("/join/mats/home/start").status_code == 302
    assert _count(app, MatSession) == 1
    first, _page = _open_mat(tablet)
    second, _page = _open_mat(tablet)
    assert first == second and _count(app, MatSession) == 1
    for _ in range(2):
        assert _place_json(tablet, first, "home.bedroom", "good").status_code == 200
    assert _count(app, MatPlacement) == 1
    assert _save_mat(tablet, first).status_code == 302
    assert tablet.post_form(f"/join/mats/session/{first}/save").status_code == 302
    assert _count(app, MatSession) == 1
    for _ in range(2):
        assert _rate(tablet, 1, "always").status_code == 302
    assert _count(app, RatingSession) == 1 and _count(app, Rating) == 1


def test_only_the_mats_the_facilitator_chose(app, content, login_as):  # noqa: F811
    _f, _id, code = _event(app, login_as, mats=["home"], use_ratings="")
    tablet, _where = _join(app, code)
    assert tablet.get("/join/mats/relationships").status_code == 404
    assert tablet.get("/join/mats/no-such-mat").status_code == 404
    assert tablet.get("/join/how-true/1").status_code == 404
    assert _count(app, MatSession) == 0 and _count(app, RatingSession) == 0


def test_nobody_reaches_another_participants_mat_or_ratings(app, content, login_as):  # noqa: F811
    _f, _id, code = _event(app, login_as)
    alice, _where = _join(app, code)
    bob, _where = _join(app, code)
    session_id, _page = _open_mat(alice)
    assert _place_json(alice, session_id, "home.bedroom", "good").status_code == 200
    before = _count(app, MatPlacement)
    # Bob's token with Alice's session id, and a guessed one: not found, nothing stored.
    for guess in (session_id, session_id + 1000):
        assert _place_json(bob, guess, "home.cooking", "good").status_code == 404
        assert bob.get(f"/join/mats/session/{guess}/check").status_code == 404
        assert bob.post_form(f"/join/mats/session/{guess}/answers",
                             {"card-home.cooking": "good"}).status_code == 404
        assert bob.post_form(f"/join/mats/session/{guess}/own-card",
                             {"words": "Bob's words"}).status_code == 404
        assert bob.post_form(f"/join/mats/session/{guess}/save").status_code == 404
    assert _count(app, MatPlacement) == before
    # No token at all: not found. A signed-in person cannot reach it through /me/ either.
    stranger = app.test_client()
    assert stranger.get(f"/join/mats/session/{session_id}/check").status_code == 404
    assert stranger.get("/join/how-true/1").status_code == 404
    assert stranger.get("/join/menu").status_code == 404
    # Ratings belong to the token too: Bob's answer goes to Bob's own session.
    assert _rate(alice, 1, "always").status_code == 302
    assert _rate(bob, 1, "not-true").status_code == 302
    with app.app_context():
        owners = {s.participant_id for s in db.session.scalars(select(RatingSession))}
        assert len(owners) == 2
        assert all(s.person_id is None for s in db.session.scalars(select(RatingSession)))


def test_ive_finished_leaves_nothing_of_the_mat_or_ratings_reachable(
        app, content, login_as):  # noqa: F811
    _f, _id, code = _event(app, login_as)
    tablet, _where = _join(app, code)
    session_id, _page = _open_mat(tablet)
    assert _place_json(tablet, session_id, "home.bedroom", "good").status_code == 200
    assert _rate(tablet, 1, "always").status_code == 302
    response = tablet.post_form(f"/join/{code}/reset")  # "I've finished" on the menu
    assert response.headers["Location"] == f"/join/{code}/thanks"
    before = (_count(app, MatPlacement), _count(app, Rating))
    for path in (f"/join/mats/session/{session_id}/check", "/join/mats/home",
                 "/join/how-true/1", "/join/how-true/check", "/join/menu"):
        assert tablet.get(path).status_code == 404, path
    assert _place_json(tablet, session_id, "home.cooking", "good").status_code == 404
    assert tablet.post_form("/join/how-true/save").status_code == 404
    assert (_count(app, MatPlacement), _count(app, Rating)) == before


def test_a_closed_event_takes_no_more_mats_or_ratings(app, content, login_as):  # noqa: F811
    facilitator, event_id, code = _event(app, login_as)
    tablet, _where = _join(app, code)
    session_id, _page = _open_mat(tablet)
    facilitator.post_form(f"/facilitator/events/{event_id}/close")
    before = _count(app, MatPlacement)
    response = tablet.get("/join/mats/home")
    assert response.status_code == 410
    assert "This event has finished" in response.get_data(as_text=True)
    response = _place_json(tablet, session_id, "home.bedroom", "good")
    assert response.status_code == 410 and "finished" in response.get_json()["message"]
    assert tablet.post_form(f"/join/mats/session/{session_id}/answers",
                            {"card-home.bedroom": "good"}).status_code == 410
    assert tablet.get("/join/how-true/1").status_code == 410
    assert _count(app, MatPlacement) == before and _count(app, Rating) == 0


def test_not_safe_at_an_event_is_stored_without_a_follow_up(app, content, login_as):  # noqa: F811
    # A participant has no person to follow up: the answer is kept, nothing breaks, and the
    # thank-you page tells everyone who they can talk to.
    from portal.models import SafetyFollowUp

    _f, _id, code = _event(app, login_as)
    tablet, _where = _join(app, code, "en")
    assert _rate(tablet, 10, "not-true").headers["Location"] == "/join/how-true/11"
    with app.app_context():
        rating = db.session.scalar(select(Rating).where(Rating.statement_key.like("%safe")))
        assert rating is not None and rating.score == 0
    assert _count(app, SafetyFollowUp) == 0
    page = tablet.get(f"/join/{code}/thanks").get_data(as_text=True)
    assert "If you do not feel safe, tell someone you trust." in page


def test_ratings_at_an_event_are_asked_once_and_saved(app, content, login_as):  # noqa: F811
    _f, _id, code = _event(app, login_as)
    tablet, _where = _join(app, code, "cy")
    page = tablet.get("/join/how-true/1").get_data(as_text=True)
    assert '<html lang="cy"' in page and 'action="/join/how-true/1"' in page
    assert _rate(tablet, 1, "always").headers["Location"] == "/join/how-true/2"
    assert _rate(tablet, 2, "dont_know").status_code == 302
    check = tablet.get("/join/how-true/check")
    assert check.status_code == 200 and 'href="/join/how-true/1"' in check.get_data(as_text=True)
    response = tablet.post("/join/how-true/save",
                           data={"csrf_token": csrf_token_in(check.get_data(as_text=True))})
    assert response.headers["Location"] == "/join/menu"
    with app.app_context():
        session = db.session.scalar(select(RatingSession))
        assert session.finished_at is not None and session.person_id is None
        assert len(session.ratings) == 24  # the rest kept as skipped
    # Saved: the statements lead back to the menu, nothing changes.
    assert tablet.get("/join/how-true/3").headers["Location"] == "/join/menu"
    assert _count(app, RatingSession) == 1


def test_looking_at_the_ratings_at_an_event_stores_nothing_until_the_first_answer(
        app, content, login_as):  # noqa: F811
    # A browser's prefetch of the menu's link only GETs: no unfinished ratings are left.
    _f, _id, code = _event(app, login_as)
    tablet, _where = _join(app, code)
    for lang in ("en", "cy"):
        tablet.get(f"/language/{lang}")
        for path in ("/join/menu", "/join/how-true/1", "/join/how-true/6"):
            page = tablet.get(path).get_data(as_text=True)
            assert f'<html lang="{lang}"' in page
        assert tablet.get("/join/how-true/check").headers["Location"] == "/join/menu"
    assert _count(app, RatingSession) == 0
    stale = tablet.post("/join/how-true/1", data={
        "csrf_token": "stale", "statement": "know-help", "action": "next", "answer": "always"})
    assert stale.status_code == 400 and 'class="error-summary"' in stale.get_data(as_text=True)
    assert _count(app, RatingSession) == 0 and _count(app, Rating) == 0
    page = tablet.get("/join/how-true/1").get_data(as_text=True)
    data = {"csrf_token": csrf_token_in(page), "statement": "know-help", "action": "next",
            "shown": re.search(r'name="shown" value="([^"]*)"', page).group(1),
            "answer": "always"}
    for _ in range(2):  # the first "Next" tapped twice: one session, one answer
        response = tablet.post("/join/how-true/1", data=data)
        assert response.headers["Location"] == "/join/how-true/2"
    assert _count(app, RatingSession) == 1 and _count(app, Rating) == 1


def test_the_live_view_counts_cards_and_statements_never_who(app, content, login_as):  # noqa: F811,E501
    facilitator, event_id, code = _event(app, login_as)
    for point in ("good", "good", "not-good"):
        tablet, _where = _join(app, code)
        session_id, _page = _open_mat(tablet)
        assert _place_json(tablet, session_id, "home.bedroom", point).status_code == 200
        assert _rate(tablet, 1, "always").status_code == 302
    _place_json(tablet, session_id, "own.x", "good")  # refused: not a card of this mat
    data = facilitator.get(f"/facilitator/events/{event_id}/live.json").get_json()
    assert data["counts"]["m:home:home.bedroom:good"] == 2
    assert data["counts"]["m:home:home.bedroom:not-good"] == 1
    with app.app_context():
        from portal.content.scales import load_statements, short_key

        first = short_key(load_statements().at(1))
    assert data["counts"][f"r:{first}:always"] == 3
    assert [key for key in data["counts"] if key.startswith("r:")] == [f"r:{first}:always"]
    assert not any("participant" in key for key in data)
    page = facilitator.get(f"/facilitator/events/{event_id}/live").get_data(as_text=True)
    assert 'data-count="m:home:home.bedroom:good">2<' in page
    assert f'data-count="r:{first}:always">3<' in page
    assert f'data-count="r:{first}:mostly">0<' in page
    with app.app_context():
        assert db.session.scalar(select(func.count(EventParticipant.id))) == 3


def test_something_else_and_the_idle_reset_work_on_the_event_mat(app, content, login_as):  # noqa: F811,E501
    _f, _id, code = _event(app, login_as, reset_minutes="2")
    tablet, _where = _join(app, code)
    session_id, page = _open_mat(tablet)
    assert 'data-idle-reset="120"' in page  # the facilitator's choice, on the mat too
    assert 'data-idle-reset="120"' in tablet.get("/join/menu").get_data(as_text=True)
    response = tablet.post_form(f"/join/mats/session/{session_id}/own-card",
                                {"words": "My budgie"})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/join/mats/home#place-own.")
    page = tablet.get("/join/mats/home").get_data(as_text=True)
    assert "My budgie" in page
    own = re.search(r'data-card="(own\.[0-9a-f]+)"', page).group(1)
    assert _place_json(tablet, session_id, own, "good").status_code == 200
    # Placed, but a person's own words are never counted for the facilitator.
    with app.app_context():
        from portal.events import store
        from portal.models import Event

        counts = store.live_counts(db.session.get(Event, _id))["mats"]
    assert not any(card.startswith("own.") for card in counts.get("home", {}))


def test_choose_something_else_on_a_question_goes_back_to_the_menu(app, content, login_as):  # noqa: F811,E501
    _f, _id, code = _event(app, login_as)
    tablet, _where = _join(app, code)
    menu = tablet.get("/join/menu").get_data(as_text=True)
    start = re.search(r'href="(/join/answer/\d+/)"', menu).group(1)
    question = tablet.get(start).headers["Location"]
    page = tablet.get(question).get_data(as_text=True)
    assert "Choose something else" in page and "I&#39;ve finished" not in page
    response = tablet.post_form(question, {"action": "stop", "words": "kept"})
    assert response.headers["Location"] == "/join/menu"
    assert tablet.get(question).status_code == 200  # not finished: still theirs
