"""Outcome ratings end to end: the 24 statements one a screen, in English and Welsh, scores
stored normalised, "I don't know" and "Skip" missing, resume, double presses, bad input,
who may not, and what changed over time."""

from __future__ import annotations

import re
from html import unescape

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import func, select

from portal.answering.ratings import store
from portal.content.scales import load_statements
from portal.content.store import load_content
from portal.core.extensions import db
from portal.core.messages import RATING_CHOOSE, RATING_NOT_A_CHOICE, RATING_NOT_HERE
from portal.models import Rating, RatingSession
from tests.mat_support import add_other_person, demo_person_id, signed_in
from tests.pages import csrf_token_in
from tests.sql import statements_run

STATEMENTS = [
    "know-help", "information", "respect", "voice-heard", "circumstances", "decisions",
    "healthy", "happy", "right-care-early", "safe", "protect-others", "tell-worries", "learn",
    "do-what-matters", "belong", "relationships", "community", "valued", "social-life",
    "money", "work", "independent", "welsh-language", "home",
]
# Each answer and the score it must be stored with, worked out by hand on the 4-point
# "how true" scale (3, 2, 1, 0): (score - 0) / (3 - 0) × 100.
EXPECTED = {
    "always": 100.0,
    "mostly": 200 / 3,
    "sometimes": 100 / 3,
    "not-true": 0.0,
    "dont_know": None,
    "skip": None,
}
ANSWERS = ["always", "mostly", "sometimes", "not-true", "dont_know", "skip"]


@pytest.fixture()
def content(app, demo):
    with app.app_context():
        load_content()
        db.session.remove()


@pytest.fixture()
def person(content, login_as):
    return login_as("person")


def answer(client, number: int, value: str, statement: str | None = None):
    """Press Next (or Skip) on statement `number`, as the form does."""
    page = client.get(f"/me/how-true/{number}").get_data(as_text=True)
    shown_statement = re.search(r'name="statement" value="([^"]*)"', page).group(1)
    shown = re.search(r'name="shown" value="([^"]*)"', page).group(1)
    data = {"csrf_token": csrf_token_in(page), "statement": statement or shown_statement,
            "shown": shown}
    if value == "skip":
        data["action"] = "skip"
    else:
        data |= {"action": "next", "answer": value}
    return client.post(f"/me/how-true/{number}", data=data)


def ratings_of(app) -> dict[str, dict]:
    with app.app_context():
        rows = {
            r.statement_key: {"status": r.status, "score": r.score,
                              "point": r.point_item.key if r.point_item else None,
                              "statement_item": r.statement_item.key,
                              "scale_item": db.session.get(type(r.statement_item),
                                                           r.scale_item_id).key,
                              "session": r.session_id}
            for r in db.session.scalars(select(Rating))
        }
        db.session.remove()
        return rows


def count(app, model) -> int:
    with app.app_context():
        total = db.session.scalar(select(func.count()).select_from(model))
        db.session.remove()
        return total


def complete_all(client, answers=ANSWERS) -> int:
    for number in range(1, len(STATEMENTS) + 1):
        response = answer(client, number, answers[(number - 1) % len(answers)])
        assert response.status_code == 302, (number, response.get_data(as_text=True)[:400])
        expected = (f"/me/how-true/{number + 1}" if number < len(STATEMENTS)
                    else "/me/how-true/check")
        assert response.headers["Location"] == expected
    check = client.get("/me/how-true/check")
    assert check.status_code == 200
    response = client.post("/me/how-true/save",
                           data={"csrf_token": csrf_token_in(check.get_data(as_text=True))})
    assert response.status_code == 302
    return int(response.headers["Location"].rsplit("/", 1)[1])


# --- One statement a screen -------------------------------------------------------------------


def test_the_first_screen(person):
    index = person.get("/me/how-true/").get_data(as_text=True)
    assert "How true is this for me?" in index and 'href="/me/how-true/1"' in index
    page = person.get("/me/how-true/1").get_data(as_text=True)
    assert "<h1" in page and "I know what help I can get." in page
    assert "Question 1 of 24" in page
    for words in ("Always true", "Mostly true", "Sometimes true", "Not true", "I don't know"):
        assert words in page
    assert 'value="skip"' in page and 'value="next"' in page
    assert page.count('class="picture-choice__input" type="radio"') == 5
    assert 'href="/me/how-true/"' in page  # Back from the first goes to the start


def test_complete_all_ratings_in_english(app, person):
    session_id = complete_all(person)
    rows = ratings_of(app)
    assert set(rows) == set(STATEMENTS)
    for number, key in enumerate(STATEMENTS):
        given = ANSWERS[number % len(ANSWERS)]
        row = rows[key]
        assert row["session"] == session_id
        assert row["statement_item"] == f"statement.{key}"
        assert row["scale_item"] == "scale.how-true"
        if EXPECTED[given] is None:
            assert row["score"] is None, key
            assert row["status"] == ("dont_know" if given == "dont_know" else "skipped")
            assert row["point"] is None
        else:
            assert row["score"] == pytest.approx(EXPECTED[given]), key
            assert row["status"] == "rated"
            assert row["point"] == f"scale_point.how-true.{given}"
    with app.app_context():
        session = db.session.get(RatingSession, session_id)
        assert session.finished_at is not None and session.open_key is None
        assert (session.language, session.perspective) == ("en", "self")
        assert session.person_id == demo_person_id(app)
        by_domain = store.scores_by_domain(session, load_statements())
        # The 6 "rights" statements were answered always, mostly, sometimes, not true, don't
        # know, skip: (100 + 66.67 + 33.33 + 0) / 4 = 50, over 4, with 2 missing.
        assert by_domain["rights"].mean == pytest.approx(50.0)
        assert (by_domain["rights"].count, by_domain["rights"].missing) == (4, 2)
        # "health" (7th to 9th): always, mostly, sometimes: (100 + 66.67 + 33.33) / 3.
        assert by_domain["health"].mean == pytest.approx(200 / 3)
        assert (by_domain["health"].count, by_domain["health"].missing) == (3, 0)
        db.session.remove()
    page = person.get(f"/me/how-true/saved/{session_id}").get_data(as_text=True)
    assert "Your answers are saved" in page and "Skipped" in page


def test_complete_all_ratings_in_welsh(app, content):
    person = signed_in(app, "demo-person")
    person.get("/language/cy?next=/me/how-true/")
    page = person.get("/me/how-true/1").get_data(as_text=True)
    assert 'lang="cy"' in page and "Dw i&#39;n gwybod pa help galla i ei gael." in page
    assert "Gwir bob amser" in page
    with app.test_request_context(), force_locale("cy"):
        dont_know, skip = gettext("I don't know"), gettext("Skip")
    assert dont_know != "I don't know" and dont_know in unescape(page)
    assert skip != "Skip" and skip in unescape(page)
    session_id = complete_all(person)
    with app.app_context():
        assert db.session.get(RatingSession, session_id).language == "cy"
        db.session.remove()
    assert ratings_of(app)["know-help"]["score"] == 100.0


def test_check_page_lists_each_answer_with_a_way_to_change_it(person):
    answer(person, 1, "always")
    answer(person, 2, "dont_know")
    page = person.get("/me/how-true/check").get_data(as_text=True)
    assert "Is this right?" in page
    assert page.count('class="change-link"') == 24
    assert 'href="/me/how-true/2"' in page
    assert "Always true" in page and "I don't know" in page and "No answer yet" in page


def test_unanswered_statements_are_kept_as_skipped(app, person):
    answer(person, 1, "always")
    check = person.get("/me/how-true/check").get_data(as_text=True)
    person.post("/me/how-true/save", data={"csrf_token": csrf_token_in(check)})
    rows = ratings_of(app)
    assert len(rows) == 24
    assert rows["know-help"]["score"] == 100.0
    assert {r["status"] for k, r in rows.items() if k != "know-help"} == {"skipped"}
    assert all(r["score"] is None for k, r in rows.items() if k != "know-help")


# --- Saved as answered, Back and Next, resume ---------------------------------------------------


def test_each_answer_is_saved_when_given_and_back_shows_it(app, person):
    answer(person, 1, "mostly")
    assert ratings_of(app)["know-help"]["score"] == pytest.approx(200 / 3)
    page = person.get("/me/how-true/2").get_data(as_text=True)
    assert 'href="/me/how-true/1"' in page  # Back
    page = person.get("/me/how-true/1").get_data(as_text=True)
    assert 'value="mostly" checked' in page
    answer(person, 1, "not-true")  # changed
    assert ratings_of(app)["know-help"]["score"] == 0.0
    assert count(app, Rating) == 1


def test_resume_where_left_off_on_another_device(app, person):
    for number, value in ((1, "always"), (2, "mostly"), (3, "skip")):
        answer(person, number, value)
    person.get("/me/how-true/4")  # seen, not answered
    tablet = signed_in(app, "demo-person")
    index = tablet.get("/me/how-true/").get_data(as_text=True)
    assert "Carry on" in index and 'href="/me/how-true/4"' in index
    page = tablet.get("/me/how-true/2").get_data(as_text=True)
    assert 'value="mostly" checked' in page
    assert count(app, RatingSession) == 1


def test_a_double_press_stores_once(app, person):
    for _ in range(3):
        assert answer(person, 5, "always").status_code == 302
    assert count(app, Rating) == 1
    complete_all(person)
    check = person.get("/me/how-true/").get_data(as_text=True)
    token = csrf_token_in(check)
    again = person.post("/me/how-true/save", data={"csrf_token": token})
    assert again.status_code == 302 and "/me/how-true/saved/" in again.headers["Location"]
    assert count(app, RatingSession) == 1
    assert count(app, Rating) == 24


def test_looking_at_the_ratings_stores_nothing_until_the_first_answer(app, person):
    # A crawler or a browser's prefetch of the menu link only GETs: nothing is left behind.
    for lang in ("en", "cy"):
        person.get(f"/language/{lang}")
        for path in ("/me/how-true/", "/me/how-true/1", "/me/how-true/7"):
            page = person.get(path).get_data(as_text=True)
            assert f'<html lang="{lang}"' in page
        assert 'name="answer"' in page and 'checked' not in page
        assert person.get("/me/how-true/check").headers["Location"] == "/me/how-true/"
    assert count(app, RatingSession) == 0
    page = person.get("/me/how-true/1").get_data(as_text=True)
    data = {"csrf_token": csrf_token_in(page), "statement": "know-help", "action": "next",
            "shown": re.search(r'name="shown" value="([^"]*)"', page).group(1),
            "answer": "always"}
    for _ in range(2):  # the first "Next" pressed twice: one session, one answer
        response = person.post("/me/how-true/1", data=data)
        assert response.status_code == 302 and response.headers["Location"] == "/me/how-true/2"
    assert count(app, RatingSession) == 1 and count(app, Rating) == 1
    with app.app_context():
        assert db.session.scalar(select(RatingSession)).language == "cy"
        db.session.remove()
    person.get("/me/how-true/9")  # looking further on moves nothing: "Carry on" stays at 2
    index = person.get("/me/how-true/").get_data(as_text=True)
    assert 'href="/me/how-true/2"' in index and 'href="/me/how-true/9"' not in index


def test_the_first_answer_with_an_old_form_token_stores_nothing_and_keeps_it(app, person):
    person.get("/language/cy")
    response = person.post("/me/how-true/1", data={
        "csrf_token": "stale", "statement": "know-help", "action": "next", "answer": "mostly"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert '<html lang="cy"' in page and 'class="error-summary"' in page
    assert 'value="mostly" checked' in page  # nothing entered is lost
    assert count(app, RatingSession) == 0 and count(app, Rating) == 0


# --- Bad input ------------------------------------------------------------------------------------


def test_next_without_an_answer_asks_for_one(app, person):
    page = person.get("/me/how-true/3").get_data(as_text=True)
    response = person.post("/me/how-true/3", data={
        "csrf_token": csrf_token_in(page), "statement": "respect", "action": "next"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert str(RATING_CHOOSE) in page and "<title>Error:" in page
    # The error summary's link leads to the answers (the same screen as a proxy's).
    assert 'href="#answer"' in page and '<fieldset class="fieldset" id="answer"' in page
    assert count(app, Rating) == 0


def test_an_answer_not_on_the_scale_is_refused(app, person):
    answer(person, 3, "always")
    response = answer(person, 3, "good")
    assert response.status_code == 400
    assert str(RATING_NOT_A_CHOICE) in response.get_data(as_text=True)
    assert ratings_of(app)["respect"]["score"] == 100.0  # nothing lost


def test_a_statement_not_in_this_set_is_refused(app, person):
    response = answer(person, 3, "always", statement="not-a-statement")
    assert response.status_code == 400
    assert str(RATING_NOT_HERE) in response.get_data(as_text=True)
    response = answer(person, 3, "always", statement="home.bedroom")  # a mat card
    assert response.status_code == 400
    assert count(app, Rating) == 0


def test_a_statement_number_out_of_range_is_not_found(person):
    assert person.get("/me/how-true/0").status_code == 404
    assert person.get("/me/how-true/25").status_code == 404


def test_a_saved_session_is_not_changed(app, person):
    session_id = complete_all(person)
    answer(person, 1, "not-true")  # starts a new session; the saved one stays as it was
    with app.app_context():
        saved = db.session.get(RatingSession, session_id)
        first = next(r for r in saved.ratings if r.statement_key == "know-help")
        assert first.score == 100.0
        with pytest.raises(store.RatingsFinished):
            store.rate(saved, load_statements(), "know-help", "not-true")
        db.session.remove()
    assert count(app, RatingSession) == 2


# --- Who may not --------------------------------------------------------------------------------


def test_another_person_cannot_see_the_ratings(app, person):
    session_id = complete_all(person)
    answer(person, 1, "always")  # an open session too
    add_other_person(app)
    other = signed_in(app, "other-person")
    assert other.get(f"/me/how-true/saved/{session_id}").status_code == 404
    page = other.get("/me/how-true/").get_data(as_text=True)
    assert "Carry on" not in page and f"/me/how-true/saved/{session_id}" not in page
    page = other.get("/me/how-true/1").get_data(as_text=True)
    assert 'checked' not in page  # their own new session, not Alex's


@pytest.mark.parametrize("role", ["supporter", "practitioner", "facilitator", "commissioner",
                                  "admin"])
def test_other_roles_are_refused(app, person, role):
    session_id = complete_all(person, ["always"])
    staff = signed_in(app, f"demo-{role}")
    for path in ("/me/how-true/", "/me/how-true/1", "/me/how-true/check",
                 f"/me/how-true/saved/{session_id}", "/me/how-true/over-time"):
        assert staff.get(path).status_code == 403, path
    assert staff.post_form("/me/how-true/1", {"statement": "know-help", "answer": "not-true",
                                              "action": "next"}).status_code == 403
    assert ratings_of(app)["know-help"]["score"] == 100.0


# --- Over time ------------------------------------------------------------------------------------


def test_over_time_shows_which_scores_went_up_or_down(app, person):
    page = person.get("/me/how-true/over-time").get_data(as_text=True)
    assert "Answer the sentences two times. Then you can see what changed." in page
    complete_all(person, ["sometimes"])
    later = complete_all(person, ["always", "not-true", "sometimes", "dont_know"])
    saved = person.get(f"/me/how-true/saved/{later}").get_data(as_text=True)
    assert 'href="/me/how-true/over-time"' in saved
    page = person.get("/me/how-true/over-time").get_data(as_text=True)

    def row_of(words: str) -> str:
        start = page.index(words)
        return page[start:page.index("</tr>", start)]

    assert "Better now" in row_of("I know what help I can get.")  # sometimes -> always
    assert "Not as good now" in row_of("I get information when I need it")  # -> not true
    assert "The same" in row_of("People treat me with dignity and respect.")  # unchanged
    assert "No answer now" in row_of("People hear what I say")  # -> I don't know


def test_an_answer_reads_its_rating_once_and_no_content_or_rollup(app, person):
    """The statements are kept in the worker; the rating changed is read once (not every
    rating of the session, then it again); an unfinished session's rating leaves the
    rollups alone."""
    answer(person, 1, "mostly")
    page = person.get("/me/how-true/1").get_data(as_text=True)
    data = {"csrf_token": csrf_token_in(page), "statement": "know-help",
            "shown": re.search(r'name="shown" value="([^"]*)"', page).group(1),
            "action": "next", "answer": "always"}
    replies = []
    seen = statements_run(app, lambda: replies.append(person.post("/me/how-true/1", data=data)))
    assert replies[0].status_code == 302
    assert not [s for s in seen if "content_items" in s], seen
    assert len([s for s in seen if s.startswith("SELECT") and "FROM ratings" in s]) == 1, seen
    assert not [s for s in seen if "rating_contributions" in s or "rating_rollups" in s], seen
    assert ratings_of(app)["know-help"]["score"] == 100.0
    assert count(app, Rating) == 1
