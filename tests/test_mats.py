"""Mats end to end: choose a mat, place the cards without JavaScript and with (JSON moves),
"Is this right?", save; in English and Welsh; double presses, resume, bad input and who
may not."""

from __future__ import annotations

import threading
from html import unescape

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import func, select

from portal.answering.mats import picture as mat_picture_module
from portal.content.scales import load_mat
from portal.content.store import load_content
from portal.core.extensions import db
from portal.core.messages import (
    MAT_CARD_NOT_HERE,
    MAT_NOTHING_PLACED,
    MAT_OWN_CARD_REQUIRED,
    MAT_OWN_CARD_TOO_LONG,
    MAT_POINT_NOT_HERE,
    MAT_SAVED_ALREADY,
)
from portal.models import MatPlacement, MatSession
from portal.speech.keys import text_key
from portal.speech.store import synthetic_path
from tests.mat_support import (
    HOME_CARDS,
    add_other_person,
    complete_mat,
    demo_person_id,
    form_data,
    mat_session,
    open_mat,
    place_json,
    signed_in,
)
from tests.pages import csrf_token_in
from tests.sql import statements_run


@pytest.fixture()
def content(app, demo, tmp_path, monkeypatch):
    # Mat pictures (and test audio) go to a folder of this test's own, not instance/.
    monkeypatch.setattr(app, "instance_path", str(tmp_path))
    with app.app_context():
        load_content()
        db.session.remove()


@pytest.fixture()
def person(content, login_as):
    return login_as("person")


def welsh(app, english: str) -> str:
    """The catalogue's Welsh for a message (the lead writes the Welsh; this reads it)."""
    with app.test_request_context(), force_locale("cy"):
        words = gettext(english)
    assert words != english, f"no Welsh for {english!r}"
    return words


def count(app, model) -> int:
    with app.app_context():
        total = db.session.scalar(select(func.count()).select_from(model))
        db.session.remove()
        return total


PLACEMENTS = {
    "home.bedroom": "good",
    "home.people-i-live-with": "good",
    "home.cooking": "not-sure",
    "home.cleaning": "not-good",
    "home.where-i-live": None,  # "Not now"
    "home.safe-at-home": "good",
    "home.garden": None,
}


# --- Choosing a mat --------------------------------------------------------------------------


def test_home_page_offers_mats_and_ratings(person):
    page = person.get("/me/").get_data(as_text=True)
    assert 'href="/me/mats/"' in page and "My picture mats" in page
    assert 'href="/me/how-true/"' in page and "How true is this for me?" in page


def test_the_person_chooses_from_picture_cards(person):
    page = person.get("/me/mats/").get_data(as_text=True)
    for key in ("home", "relationships", "health", "safety", "learning", "contributing",
                "money-work", "rights"):
        assert f'href="/me/mats/{key}"' in page
    assert page.count('class="picture-card"') == 8
    assert "/pictures/openmoji/1F3E0.svg" in page  # the house for "My home"


def test_the_mat_page_has_the_board_and_the_form(person):
    _session_id, page = open_mat(person)
    assert "My home" in page and "Good for me" in page and "Not sure" in page
    # Columns at the top for mat.js, hidden until it runs; the form works without it.
    assert "data-mat-board hidden" in page
    assert page.count('class="mat-target mat-column') == 3
    assert page.count('class="mat-card"') == 7
    assert "js/mat.js" in page and "<script>" not in page
    for card in HOME_CARDS:
        assert f'name="card-{card}" value="not-now" checked' in page
    assert 'name="card-home.bedroom" value="good"' in page


# --- A whole mat without JavaScript, in both languages ----------------------------------------


def test_complete_a_mat_in_english_without_javascript(app, person):
    session_id = complete_mat(person, PLACEMENTS)
    saved = mat_session(app, session_id)
    assert saved["finished"] and saved["open_key"] is None
    assert saved["language"] == "en"
    assert (saved["perspective"], saved["mat_item"]) == ("self", "mat.home")
    assert saved["person_id"] == demo_person_id(app)
    assert saved["scale_item"] == "scale.good-not-sure-bad"
    rows = saved["placements"]
    assert set(rows) == set(HOME_CARDS)  # every card shown has a row, placed or not
    assert rows["home.bedroom"] == {
        "status": "placed", "score": 100.0, "point": "scale_point.good-not-sure-bad.good",
        "card_item": "card.home.bedroom", "card_version": 1,
        "scale_item": "scale.good-not-sure-bad", "own_words": None,
    }
    assert rows["home.cooking"]["score"] == 50.0
    assert rows["home.cleaning"]["score"] == 0.0  # "Not good for me" is an answer: 0
    for unplaced in ("home.where-i-live", "home.garden"):  # missing, never 0
        assert (rows[unplaced]["status"], rows[unplaced]["score"]) == ("unplaced", None)

    page = person.get(f"/me/mats/saved/{session_id}").get_data(as_text=True)
    assert "My mat: My home" in page
    assert f'src="/me/mats/saved/{session_id}/mat.png"' in page
    assert "Your mat in words" in page and "Cards not placed" in page
    assert f'href="/me/mats/saved/{session_id}/mat.png?download=1"' in page


def test_is_this_right_reads_the_mat_back_in_pictures(person):
    session_id, _page = open_mat(person)
    person.post_form(f"/me/mats/session/{session_id}/answers", form_data(PLACEMENTS))
    page = person.get(f"/me/mats/session/{session_id}/check").get_data(as_text=True)
    assert "Is this right?" in page
    good = page.index('id="readback-good"')
    not_sure = page.index('id="readback-not-sure"')
    not_good = page.index('id="readback-not-good"')
    unplaced = page.index('id="readback-unplaced"')
    assert good < page.index("My bedroom") < not_sure < page.index("Cooking") < not_good
    assert not_good < page.index("Cleaning") < unplaced < page.index("My garden")
    assert "Yes, save it" in page
    assert 'href="/me/mats/home"' in page and "Change it" in page


def test_complete_a_mat_in_welsh(app, client, content):
    person = signed_in(app, "demo-person")
    person.get("/language/cy?next=/me/mats/")
    page = person.get("/me/mats/").get_data(as_text=True)
    assert 'lang="cy"' in page and "Fy nghartref" in page
    session_id, page = open_mat(person)
    assert "Da i mi" in page and "Ddim yn siŵr" in page and "Fy ystafell wely" in page
    for english in ("Cards to place", "Check my mat", "Not now"):
        assert welsh(app, english) in unescape(page), english
    session_id = complete_mat(person, PLACEMENTS)
    saved = mat_session(app, session_id)
    assert saved["language"] == "cy"
    assert saved["placements"]["home.bedroom"]["score"] == 100.0
    page = person.get(f"/me/mats/saved/{session_id}").get_data(as_text=True)
    assert 'lang="cy"' in page and "Fy ystafell wely" in page


def test_change_it_goes_back_to_the_mat_with_the_cards_where_they_were(person):
    session_id, _ = open_mat(person)
    person.post_form(f"/me/mats/session/{session_id}/answers", form_data(PLACEMENTS))
    same_id, page = open_mat(person)
    assert same_id == session_id
    assert 'name="card-home.bedroom" value="good" checked' in page
    assert 'name="card-home.cleaning" value="not-good" checked' in page
    assert 'name="card-home.garden" value="not-now" checked' in page


def test_nothing_placed_cannot_be_saved(app, person):
    session_id, _ = open_mat(person)
    response = person.post_form(f"/me/mats/session/{session_id}/save")
    assert response.status_code == 400
    assert str(MAT_NOTHING_PLACED) in response.get_data(as_text=True)
    assert not mat_session(app, session_id)["finished"]


# --- Moves saved at once (mat.js): JSON with the CSRF token in a header ------------------------


def test_each_move_is_saved_at_once_as_json(app, person):
    session_id, page = open_mat(person)
    token = csrf_token_in(page)
    response = place_json(person, session_id, "home.bedroom", "good", token)
    assert response.status_code == 200
    assert response.get_json() == {"saved": True, "card": "home.bedroom", "point": "good",
                                   "status": "placed", "score": 100.0}
    assert mat_session(app, session_id)["placements"]["home.bedroom"]["score"] == 100.0

    place_json(person, session_id, "home.bedroom", "not-good", token)  # moved again
    assert mat_session(app, session_id)["placements"]["home.bedroom"]["score"] == 0.0
    response = place_json(person, session_id, "home.bedroom", None, token)  # put back
    assert response.get_json()["status"] == "unplaced"
    row = mat_session(app, session_id)["placements"]["home.bedroom"]
    assert (row["status"], row["score"], row["point"]) == ("unplaced", None, None)
    assert count(app, MatPlacement) == 1


def test_a_move_without_the_csrf_token_is_refused(app, person):
    session_id, _ = open_mat(person)
    response = person.post(f"/me/mats/session/{session_id}/place",
                           json={"card": "home.bedroom", "point": "good"})
    assert response.status_code == 400
    assert response.is_json
    assert count(app, MatPlacement) == 0


def test_a_double_tap_stores_once(app, person):
    session_id, page = open_mat(person)
    token = csrf_token_in(page)
    for _ in range(3):
        assert place_json(person, session_id, "home.cooking", "not-sure", token).status_code == 200
    data = form_data(PLACEMENTS)
    for _ in range(2):
        person.post_form(f"/me/mats/session/{session_id}/answers", data)
    assert count(app, MatPlacement) == len([p for p in PLACEMENTS.values() if p]) + 2
    with app.app_context():
        cooking = db.session.scalars(
            select(MatPlacement).where(MatPlacement.card_key == "home.cooking")).all()
        assert len(cooking) == 1
        db.session.remove()


def test_yes_save_it_pressed_twice_saves_once(app, person):
    session_id = complete_mat(person, PLACEMENTS)
    again = person.post_form(f"/me/mats/session/{session_id}/save")
    assert (again.status_code, again.headers["Location"]) == (302, f"/me/mats/saved/{session_id}")
    assert count(app, MatSession) == 1
    assert count(app, MatPlacement) == len(HOME_CARDS)


def test_opening_a_mat_twice_opens_one_session(app, person):
    first, _ = open_mat(person)
    second, _ = open_mat(person)
    assert first == second
    assert count(app, MatSession) == 1


def test_looking_at_a_mat_stores_nothing_until_start_is_pressed(app, person):
    # A crawler or a browser's prefetch only GETs: no unfinished mat is left behind.
    for lang in ("en", "cy"):
        person.get(f"/language/{lang}")
        page = person.get("/me/mats/home").get_data(as_text=True)
        assert f'<html lang="{lang}"' in page
        assert 'action="/me/mats/home/start"' in page and "/me/mats/session/" not in page
        assert ">Start<" in page or ">Dechrau<" in page
    assert count(app, MatSession) == 0
    token = csrf_token_in(page)
    for _ in range(2):  # "Start" pressed twice: one session
        response = person.post_form("/me/mats/home/start", {"csrf_token": token})
        assert response.status_code == 302 and response.headers["Location"] == "/me/mats/home"
    assert count(app, MatSession) == 1
    page = person.get("/me/mats/home").get_data(as_text=True)
    assert "/me/mats/session/" in page and 'action="/me/mats/home/start"' not in page


def test_start_with_an_old_form_token_asks_again_and_stores_nothing(app, person):
    response = person.post("/me/mats/home/start", data={"csrf_token": "stale"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'class="error-summary"' in page and 'action="/me/mats/home/start"' in page
    assert count(app, MatSession) == 0
    assert person.post_form("/me/mats/no-such-mat/start", {}).status_code == 404


def test_resume_on_another_device(app, person):
    session_id, page = open_mat(person)
    place_json(person, session_id, "home.garden", "good", csrf_token_in(page))
    tablet = signed_in(app, "demo-person")
    resumed, page = open_mat(tablet)
    assert resumed == session_id
    assert 'name="card-home.garden" value="good" checked' in page


def test_after_saving_the_mat_starts_afresh(app, person):
    first = complete_mat(person, PLACEMENTS)
    second, page = open_mat(person)
    assert second != first
    assert 'name="card-home.bedroom" value="not-now" checked' in page


# --- "Something else": the person's own words as a card --------------------------------------


def test_something_else_adds_a_card_of_the_persons_own_words(app, person):
    session_id, _ = open_mat(person)
    response = person.post_form(f"/me/mats/session/{session_id}/own-card",
                                {"words": "  My budgie  "})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/me/mats/home#place-own.")
    own_key = response.headers["Location"].split("#place-")[1]
    page = person.get("/me/mats/home").get_data(as_text=True)
    assert "Your card is added. Now put it on the mat." in page
    assert f'data-card="{own_key}" data-words="My budgie"' in page
    # Pressed twice: one card.
    person.post_form(f"/me/mats/session/{session_id}/own-card", {"words": "my  BUDGIE"})
    assert place_json(person, session_id, own_key, "good").status_code == 200
    person.post_form(f"/me/mats/session/{session_id}/answers", {"card-home.bedroom": "good"})
    person.post_form(f"/me/mats/session/{session_id}/save")
    rows = mat_session(app, session_id)["placements"]
    own = [r for key, r in rows.items() if key.startswith("own.")]
    assert own == [{"status": "placed", "score": 100.0,
                    "point": "scale_point.good-not-sure-bad.good", "card_item": None,
                    "card_version": None, "scale_item": "scale.good-not-sure-bad",
                    "own_words": "My budgie"}]
    page = person.get(f"/me/mats/saved/{session_id}").get_data(as_text=True)
    assert "My budgie" in page


@pytest.mark.parametrize(("words", "message"), [
    ("", MAT_OWN_CARD_REQUIRED), ("   ", MAT_OWN_CARD_REQUIRED), ("x" * 81, MAT_OWN_CARD_TOO_LONG),
])
def test_something_else_needs_some_words(app, person, words, message):
    session_id, _ = open_mat(person)
    response = person.post_form(f"/me/mats/session/{session_id}/own-card", {"words": words})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert str(message) in page
    assert "<title>Error:" in page
    assert count(app, MatPlacement) == 0


# --- Bad input: refused clearly, nothing stored wrongly, nothing lost -------------------------


def test_a_card_not_on_this_mat_is_refused(app, person):
    session_id, _ = open_mat(person)
    place_json(person, session_id, "home.bedroom", "good")
    for card in ("health.doctor", "relationships.my-family", "nonsense", "own.0000000000000000"):
        response = place_json(person, session_id, card, "good")
        assert response.status_code == 400, card
        assert response.get_json()["message"] == str(MAT_CARD_NOT_HERE)
    assert set(mat_session(app, session_id)["placements"]) == {"home.bedroom"}


def test_a_point_not_on_this_scale_is_refused(app, person):
    session_id, _ = open_mat(person)
    place_json(person, session_id, "home.bedroom", "good")
    for point in ("always", "me", "", 3, ["good"]):
        response = place_json(person, session_id, "home.bedroom", point)
        if point == "":  # an empty place is "back with the cards to place"
            assert response.status_code == 200
            place_json(person, session_id, "home.bedroom", "good")
            continue
        assert response.status_code == 400, point
        assert response.get_json()["message"] == str(MAT_POINT_NOT_HERE)
    assert mat_session(app, session_id)["placements"]["home.bedroom"]["score"] == 100.0


@pytest.mark.parametrize("body", [b"not json", b"[]", b'{"point": "good"}', b'{"card": 7}'])
def test_a_malformed_move_is_refused(app, person, body):
    session_id, page = open_mat(person)
    response = person.post(f"/me/mats/session/{session_id}/place", data=body,
                           content_type="application/json",
                           headers={"X-CSRFToken": csrf_token_in(page)})
    assert response.status_code == 400
    assert count(app, MatPlacement) == 0


def test_the_form_refuses_a_card_not_on_this_mat_and_stores_nothing(app, person):
    session_id, _ = open_mat(person)
    data = form_data(PLACEMENTS) | {"card-health.doctor": "good"}
    response = person.post_form(f"/me/mats/session/{session_id}/answers", data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert str(MAT_CARD_NOT_HERE) in page and 'href="/me/mats/home"' in page
    assert count(app, MatPlacement) == 0


def test_the_form_refuses_a_point_not_on_this_scale_and_keeps_the_other_choices(app, person):
    session_id, _ = open_mat(person)
    data = form_data(PLACEMENTS) | {"card-home.cooking": "always"}
    response = person.post_form(f"/me/mats/session/{session_id}/answers", data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert str(MAT_POINT_NOT_HERE) in page and "<title>Error:" in page
    assert 'href="#card-home.cooking"' in page  # the error summary links to the card
    assert 'name="card-home.bedroom" value="good" checked' in page  # nothing lost
    assert 'name="card-home.cleaning" value="not-good" checked' in page
    assert count(app, MatPlacement) == 0


def test_a_saved_mat_cannot_be_changed(app, person):
    session_id = complete_mat(person, PLACEMENTS)
    response = place_json(person, session_id, "home.garden", "good")
    assert response.status_code == 409
    assert response.get_json()["message"] == str(MAT_SAVED_ALREADY)
    response = person.post_form(f"/me/mats/session/{session_id}/answers",
                                {"card-home.garden": "good"})
    assert response.status_code == 409
    response = person.post_form(f"/me/mats/session/{session_id}/own-card", {"words": "late"})
    assert response.status_code == 409
    rows = mat_session(app, session_id)["placements"]
    assert rows["home.garden"]["status"] == "unplaced"
    assert len(rows) == len(HOME_CARDS)


def test_an_unknown_mat_is_not_found(person):
    assert person.get("/me/mats/no-such-mat").status_code == 404
    assert person.get("/me/mats/no-such-mat/over-time").status_code == 404


# --- Nobody else sees or changes a person's mat -----------------------------------------------


def test_another_person_cannot_see_or_change_the_mat(app, person):
    session_id = complete_mat(person, PLACEMENTS)
    open_id, page = open_mat(person)
    place_json(person, open_id, "home.bedroom", "not-good", csrf_token_in(page))
    add_other_person(app)
    other = signed_in(app, "other-person")
    for path in (f"/me/mats/saved/{session_id}", f"/me/mats/saved/{session_id}/mat.png",
                 f"/me/mats/session/{open_id}/check"):
        assert other.get(path).status_code == 404, path
    assert place_json(other, open_id, "home.bedroom", "good").status_code == 404
    for path, data in ((f"/me/mats/session/{open_id}/answers", {"card-home.bedroom": "good"}),
                       (f"/me/mats/session/{open_id}/own-card", {"words": "hello"}),
                       (f"/me/mats/session/{open_id}/save", {})):
        assert other.post_form(path, data).status_code == 404, path
    assert mat_session(app, open_id)["placements"]["home.bedroom"]["score"] == 0.0
    assert not mat_session(app, open_id)["finished"]
    # Their own mats page shows none of Alex's.
    assert f"/me/mats/saved/{session_id}" not in other.get("/me/mats/").get_data(as_text=True)


@pytest.mark.parametrize("role", ["supporter", "practitioner", "facilitator", "commissioner",
                                  "admin"])
def test_other_roles_are_refused(app, person, role):
    session_id = complete_mat(person, PLACEMENTS)
    staff = signed_in(app, f"demo-{role}")
    for path in ("/me/mats/", "/me/mats/home", f"/me/mats/saved/{session_id}",
                 f"/me/mats/saved/{session_id}/mat.png", "/me/mats/home/over-time"):
        assert staff.get(path).status_code == 403, path
    assert place_json(staff, session_id, "home.bedroom", "good").status_code == 403


# --- Over time ----------------------------------------------------------------------------------


def test_over_time_needs_two_saved_mats(person):
    page = person.get("/me/mats/home/over-time").get_data(as_text=True)
    assert "Save this mat two times. Then you can see what changed." in page
    complete_mat(person, PLACEMENTS)
    page = person.get("/me/mats/home/over-time").get_data(as_text=True)
    assert "Save this mat two times." in page


def test_over_time_shows_which_cards_moved(app, person):
    complete_mat(person, PLACEMENTS)
    later = PLACEMENTS | {
        "home.cleaning": "good",  # up from "Not good for me"
        "home.bedroom": "not-sure",  # down from "Good for me"
        "home.garden": "good",  # was not placed
    }
    later_id = complete_mat(person, later)
    saved_page = person.get(f"/me/mats/saved/{later_id}").get_data(as_text=True)
    assert 'href="/me/mats/home/over-time"' in saved_page
    page = person.get("/me/mats/home/over-time").get_data(as_text=True)

    def row_of(words: str) -> str:
        start = page.index(words)
        return page[start:page.index("</tr>", start)]

    assert "Better now" in row_of("Cleaning")
    assert "Not as good now" in row_of("My bedroom")
    assert "On the mat now" in row_of("My garden")
    assert "The same" in row_of("Cooking")
    complete_mat(person, PLACEMENTS)  # a third time: still one link to what changed
    index = person.get("/me/mats/").get_data(as_text=True)
    assert index.count('href="/me/mats/home/over-time"') == 1


def test_two_tablets_placing_the_same_card_at_once_store_one_row(app, person):
    session_id, _ = open_mat(person)
    tablets = [signed_in(app, "demo-person") for _ in range(4)]
    tokens = [t.csrf_token() for t in tablets]
    barrier = threading.Barrier(len(tablets))
    answers = []

    def press(tablet, token):
        barrier.wait()
        answers.append(place_json(tablet, session_id, "home.garden", "not-sure", token).status_code)

    threads = [threading.Thread(target=press, args=pair) for pair in zip(tablets, tokens,
                                                                          strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [200] * len(tablets)
    assert count(app, MatPlacement) == 1
    assert mat_session(app, session_id)["placements"]["home.garden"]["score"] == 50.0


def test_opening_the_same_mat_on_two_tablets_at_once_opens_one_session(app, content):
    tablets = [signed_in(app, "demo-person") for _ in range(4)]
    barrier = threading.Barrier(len(tablets))
    found = []

    def open_it(tablet):
        barrier.wait()
        found.append(open_mat(tablet, "health")[0])

    threads = [threading.Thread(target=open_it, args=(t,)) for t in tablets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(found)) == 1
    assert count(app, MatSession) == 1


def test_each_card_can_be_heard_when_its_sentence_has_audio(app, person):
    with app.app_context():
        clips = [synthetic_path(text_key("en", card.words_en)) for card in load_mat("home").cards]
        db.session.remove()
    made = [clip for clip in clips if not clip.exists()]
    for clip in made:
        clip.parent.mkdir(parents=True, exist_ok=True)
        clip.write_bytes(b"OggS")
    try:
        _session_id, page = open_mat(person)
    finally:
        for clip in made:
            clip.unlink()
    # One play button a card on the mat, and one beside each card in the form.
    for clip in clips:
        assert page.count(f'data-audio="/audio/{clip.stem}.ogg"') == 2, clip


def test_a_picture_that_cannot_be_drawn_loses_nothing(app, person, monkeypatch):
    def broken(_drawing):
        raise OSError("no cairo")

    monkeypatch.setattr(mat_picture_module, "render", broken)
    session_id = complete_mat(person, PLACEMENTS)
    saved = mat_session(app, session_id)
    assert saved["finished"] and saved["picture_path"] is None
    page = person.get(f"/me/mats/saved/{session_id}").get_data(as_text=True)
    assert "Your mat in words" in page and "My bedroom" in page
    assert "mat.png" not in page
    assert person.get(f"/me/mats/saved/{session_id}/mat.png").status_code == 404
    monkeypatch.undo()
    assert person.get(f"/me/mats/saved/{session_id}/mat.png").status_code == 200


def test_a_move_reads_no_content_and_replies_with_what_it_saved(app, person):
    """The mat's content is kept in the worker, and the reply is the row just written:
    the placement is read once (is it there?), never again after the commit."""
    session_id, page = open_mat(person)
    token = csrf_token_in(page)
    place_json(person, session_id, "home.cooking", "good", token)  # the content is kept now
    replies = []
    run = statements_run(app, lambda: replies.append(
        place_json(person, session_id, "home.cooking", "not-sure", token)))
    assert replies[0].get_json() == {"saved": True, "card": "home.cooking", "point": "not-sure",
                                     "status": "placed", "score": 50.0}
    assert not [s for s in run if "content_items" in s], run
    assert len([s for s in run if s.startswith("SELECT") and "FROM mat_placements" in s]) == 1
    assert mat_session(app, session_id)["placements"]["home.cooking"]["score"] == 50.0
    reply = place_json(person, session_id, "home.garden", None, token).get_json()
    assert reply == {"saved": True, "card": "home.garden", "point": None,
                     "status": "unplaced", "score": None}
