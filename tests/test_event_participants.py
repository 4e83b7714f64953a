"""Listening events from a participant's side: anonymous, one tablet after another, and
nobody reaching anybody else's answers."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.core.extensions import db
from portal.models import Answer, Event, EventParticipant
from tests.test_events import answer, content, event_code, join_as, new_event  # noqa: F401


def _event(app, login_as, **overrides) -> tuple[object, int, str]:
    facilitator = login_as("facilitator")
    event_id = new_event(facilitator, **overrides)
    return facilitator, event_id, event_code(app, event_id)


def _answers(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Answer.id)))


def test_consent_is_easy_read_in_welsh_and_english(app, content, login_as):  # noqa: F811
    _facilitator, _event_id, code = _event(app, login_as)
    tablet = app.test_client()
    page = tablet.get(f"/join/{code}").get_data(as_text=True)
    assert 'lang="cy"' in page and ">Cymraeg<" in page and ">English<" in page
    tablet.get(f"/language/en?next=/join/{code}/agree")
    page = tablet.get(f"/join/{code}/agree").get_data(as_text=True)
    assert "Your answers are anonymous. We will not ask your name." in page
    assert "I'd rather not say" in page and "65+" in page
    tablet.get(f"/language/cy?next=/join/{code}/agree")
    response = tablet.get(f"/join/{code}/agree")
    assert response.status_code == 200 and '<html lang="cy"' in response.get_data(as_text=True)
    # An age band that is not one of the choices: refused, nobody joins.
    response = tablet.post_form(f"/join/{code}/agree", {"age_band": "99"})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(EventParticipant)) is None


def test_the_session_keeps_only_a_token_and_the_database_only_its_hash(app, content, login_as):  # noqa: F811,E501
    _facilitator, _event_id, code = _event(app, login_as)
    tablet, _where = join_as(app, code)
    with tablet.session_transaction() as session:
        token = session["event_participant"]
    with app.app_context():
        participant = db.session.scalar(select(EventParticipant))
        assert participant.token_hash != token and len(participant.token_hash) == 64
        assert participant.conversation.person_id is None


def test_a_shared_tablet_shows_nothing_of_the_last_person(app, content, login_as):  # noqa: F811
    _facilitator, _event_id, code = _event(app, login_as)
    tablet, first = join_as(app, code)
    response = answer(tablet, first, cards=["friends"], words="my secret words")
    second = response.headers["Location"]
    page = tablet.get(first)
    assert "my secret words" in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store"  # Back shows no kept copy

    response = answer(tablet, second, action="stop")  # "I've finished"
    assert response.headers["Location"] == f"/join/{code}/thanks"
    thanks = tablet.get(f"/join/{code}/thanks")
    assert "data-forget-drafts" in thanks.get_data(as_text=True)  # the drafts go too
    with tablet.session_transaction() as session:
        assert "event_participant" not in session

    # Back to the last person's screens: not found, for anything.
    for path in (first, second, first.rsplit("/q/", 1)[0] + "/",
                 first.rsplit("/q/", 1)[0] + "/share"):
        response = tablet.get(path)
        assert response.status_code == 404, path
        assert "my secret words" not in response.get_data(as_text=True)
    before = _answers(app)
    assert answer(tablet, first, words="changed by the next person").status_code == 404
    assert _answers(app) == before

    # The next person joins on the same tablet and starts on a fresh conversation.
    tablet.get(f"/language/en?next=/join/{code}/agree")
    response = tablet.post_form(f"/join/{code}/agree", {})
    response = tablet.get(response.headers["Location"])
    fresh = response.headers["Location"]
    assert fresh != first
    assert "my secret words" not in tablet.get(fresh).get_data(as_text=True)
    assert tablet.get(first).status_code == 404
    with app.app_context():
        finished = db.session.scalars(select(EventParticipant.finished_at)).all()
        assert sum(1 for f in finished if f is not None) == 1


def test_another_participants_conversation_is_refused(app, content, login_as):  # noqa: F811
    _facilitator, _event_id, code = _event(app, login_as)
    alice, alice_first = join_as(app, code)
    bob, bob_first = join_as(app, code)
    answer(alice, alice_first, words="alice's words")
    before = _answers(app)
    assert bob.get(alice_first).status_code == 404
    assert "alice" not in bob.get(alice_first).get_data(as_text=True)
    assert answer(bob, alice_first, words="bob was here").status_code == 404
    assert bob.post_form(alice_first.rsplit("/q/", 1)[0] + "/share",
                         {"share": "yes"}).status_code == 404
    # No token at all (a fresh browser): not found either.
    assert app.test_client().get(alice_first).status_code == 404
    # A forged token in the session: not found.
    stranger = app.test_client()
    with stranger.session_transaction() as session:
        session["event_participant"] = "not-a-real-token"
    assert stranger.get(alice_first).status_code == 404
    assert _answers(app) == before
    with app.app_context():
        texts = db.session.scalars(select(Answer.text)).all()
        assert "bob was here" not in texts


def test_a_double_submit_stores_one_answer(app, content, login_as):  # noqa: F811
    _facilitator, _event_id, code = _event(app, login_as)
    tablet, first = join_as(app, code)
    for _ in range(2):
        assert answer(tablet, first, cards=["home"]).status_code == 302
    assert _answers(app) == 1
    # An unknown card: a kind message, nothing stored wrongly.
    second = first.replace("wm-about-you", "wm-happening")
    response = answer(tablet, second, cards=["no-such-card"])
    assert response.status_code == 400
    assert "We do not know one of the pictures" in response.get_data(as_text=True)
    assert _answers(app) == 1


def test_a_closed_event_takes_no_more_answers(app, content, login_as):  # noqa: F811
    facilitator, event_id, code = _event(app, login_as)
    tablet, first = join_as(app, code)
    facilitator.post_form(f"/facilitator/events/{event_id}/close")
    response = answer(tablet, first, cards=["home"])
    assert response.status_code == 410
    assert "This event has finished" in response.get_data(as_text=True)
    assert _answers(app) == 0
    with app.app_context():
        event = db.session.get(Event, event_id)
        assert event.open_code is None and event.closed_at is not None


def test_the_idle_reset_is_off_unless_the_facilitator_chooses_it(app, content, login_as):  # noqa: F811,E501
    _facilitator, _event_id, code = _event(app, login_as)
    tablet, first = join_as(app, code)
    assert "data-idle-reset" not in tablet.get(first).get_data(as_text=True)

    _facilitator, _event_id, code = _event(app, login_as, reset_minutes="2")
    tablet, first = join_as(app, code)
    page = tablet.get(first).get_data(as_text=True)
    assert 'data-idle-reset="120"' in page
    response = tablet.post_form(f"/join/{code}/reset", {})
    assert response.headers["Location"] == f"/join/{code}/thanks"
    assert tablet.get(first).status_code == 404
