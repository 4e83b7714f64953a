"""Group mode synced to the tablets: the facilitator moves the question on the big screen
(POST, with the form token) and each tablet follows it, by polling or by a plain link."""

from __future__ import annotations

from sqlalchemy import select

from portal.conversations import store as conversation_store
from portal.core.extensions import db
from portal.core.messages import GROUP_QUESTION_NOT_HERE
from portal.models import Event, User
from tests.test_events import content, event_code, join_as, new_event  # noqa: F401


def _keys(app) -> list[str]:
    with app.app_context():
        return [q.key for q in conversation_store.questions_for("what-matters")]


def _on_screen(app, event_id: int) -> str | None:
    with app.app_context():
        return db.session.get(Event, event_id).group_question_key


def test_the_facilitator_moves_the_question_and_the_tablets_follow(app, content, login_as):  # noqa: F811,E501
    facilitator = login_as("facilitator")
    event_id = new_event(facilitator)
    code = event_code(app, event_id)
    keys = _keys(app)
    tablet, first = join_as(app, code)
    conversation = first.split("/")[3]
    group_json = f"/join/answer/{conversation}/group.json"

    # Not started: the big screen shows the first question; tablets are not told to move.
    page = facilitator.get(f"/facilitator/events/{event_id}/group").get_data(as_text=True)
    assert "Start group mode" in page and 'class="picture picture--large"' in page
    assert tablet.get(group_json).get_json() == {"question": None, "url": None, "open": True}
    answer_page = tablet.get(first).get_data(as_text=True)
    assert 'data-group-json="' + group_json + '"' in answer_page
    assert "/static/js/events.js" in answer_page and "hidden>" in answer_page

    # Started on the first question, then Next: stored on the event, the tablets follow.
    assert facilitator.post_form(f"/facilitator/events/{event_id}/group",
                                 {"question": keys[0]}).status_code == 302
    assert facilitator.post_form(f"/facilitator/events/{event_id}/group",
                                 {"question": keys[1]}).status_code == 302
    assert _on_screen(app, event_id) == keys[1]
    page = facilitator.get(f"/facilitator/events/{event_id}/group").get_data(as_text=True)
    assert "The tablets show the same question as this screen." in page
    assert f'name="question" value="{keys[0]}"' in page  # Back
    assert f'name="question" value="{keys[2]}"' in page  # Next
    told = tablet.get(group_json).get_json()
    where = f"/join/answer/{conversation}/q/{keys[1]}"
    assert told == {"question": keys[1], "url": where, "open": True}
    # Without a script: the link on the question screen goes to the same question.
    answer_page = tablet.get(first).get_data(as_text=True)
    assert "Go to the question on the screen" in answer_page
    assert 'data-group-question="' + keys[1] + '">' in answer_page
    followed = tablet.get(f"/join/answer/{conversation}/group")
    assert followed.status_code == 302 and followed.headers["Location"] == where
    assert tablet.get(where).status_code == 200

    # Stop: the tablets carry on by themselves.
    assert facilitator.post_form(f"/facilitator/events/{event_id}/group",
                                 {"question": ""}).status_code == 302
    assert _on_screen(app, event_id) is None
    assert tablet.get(group_json).get_json()["question"] is None
    assert tablet.get(f"/join/answer/{conversation}/group").headers["Location"] == (
        f"/join/answer/{conversation}/")


def test_group_mode_in_welsh(app, content, login_as):  # noqa: F811
    facilitator = login_as("facilitator")
    event_id = new_event(facilitator)
    facilitator.get(f"/language/cy?next=/facilitator/events/{event_id}/group")
    page = facilitator.get(f"/facilitator/events/{event_id}/group").get_data(as_text=True)
    assert '<html lang="cy"' in page and 'name="question"' in page


def test_a_question_not_in_the_event_is_refused_with_a_message(app, content, login_as):  # noqa: F811,E501
    facilitator = login_as("facilitator")
    event_id = new_event(facilitator)
    keys = _keys(app)
    facilitator.post_form(f"/facilitator/events/{event_id}/group", {"question": keys[0]})
    response = facilitator.post_form(f"/facilitator/events/{event_id}/group",
                                     {"question": "not-a-question"})
    assert response.status_code == 400
    assert str(GROUP_QUESTION_NOT_HERE) in response.get_data(as_text=True)
    assert _on_screen(app, event_id) == keys[0]
    # Without the form token: refused, nothing moves.
    response = facilitator.post(f"/facilitator/events/{event_id}/group",
                                data={"question": keys[1]})
    assert response.status_code == 400 and _on_screen(app, event_id) == keys[0]


def test_nobody_else_moves_or_reads_the_screen(app, content, login_as):  # noqa: F811
    facilitator = login_as("facilitator")
    event_id = new_event(facilitator)
    code = event_code(app, event_id)
    keys = _keys(app)
    _tablet, first = join_as(app, code)
    with app.app_context():  # the event becomes someone else's
        db.session.get(Event, event_id).facilitator_id = db.session.scalar(
            select(User.id).where(User.username == "demo-admin"))
        db.session.commit()
    assert facilitator.post_form(f"/facilitator/events/{event_id}/group",
                                 {"question": keys[2]}).status_code == 404
    assert facilitator.get(f"/facilitator/events/{event_id}/group").status_code == 404
    assert _on_screen(app, event_id) is None
    conversation = first.split("/")[3]
    nobody = app.test_client()
    assert nobody.get(f"/join/answer/{conversation}/group.json").status_code == 404
    assert nobody.get(f"/join/answer/{conversation}/group").status_code == 404


def test_the_menu_offers_the_question_on_the_screen_in_group_mode(app, content, login_as):  # noqa: F811,E501
    facilitator = login_as("facilitator")
    event_id = new_event(facilitator, mats=["home"])
    code = event_code(app, event_id)
    tablet = app.test_client()
    tablet.get(f"/language/en?next=/join/{code}/agree")
    assert tablet.post_form(f"/join/{code}/agree", {}).headers["Location"] == "/join/menu"
    assert "Go to the question on the screen" not in tablet.get("/join/menu").get_data(
        as_text=True)
    facilitator.post_form(f"/facilitator/events/{event_id}/group", {"question": _keys(app)[1]})
    menu = tablet.get("/join/menu").get_data(as_text=True)
    assert "Go to the question on the screen" in menu
    link = menu.split("Go to the question on the screen")[0].rsplit('href="', 1)[1].split('"')[0]
    assert tablet.get(link).headers["Location"].endswith(f"/q/{_keys(app)[1]}")
