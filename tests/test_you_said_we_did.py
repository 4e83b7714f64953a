""""You said, we did": a commissioner answers a theme in both languages for one of their
areas; people there and facilitators whose events raised the theme see it in easy read."""

from __future__ import annotations

import hashlib
from datetime import date, datetime

import pytest
from sqlalchemy import select

from portal.content.store import load_content
from portal.core.extensions import db
from portal.models import (
    Answer,
    AnswerStatus,
    AnswerTheme,
    ContentItem,
    Conversation,
    Event,
    EventParticipant,
    LocalAuthority,
    Person,
    ThemeSource,
    User,
    YouSaidWeDid,
)
from tests.test_commissioning import main_text

GOOD = {"area": "la:cardiff", "theme": "friends",
        "heard_en": "You told us it is hard to see friends.",
        "heard_cy": "Dywedoch chi ei bod hi'n anodd gweld ffrindiau.",
        "doing_en": "We will pay for a weekly club.",
        "doing_cy": "Byddwn ni'n talu am glwb bob wythnos.",
        "by_when": "2027-03-31"}


@pytest.fixture()
def world(app, demo):
    """The demo person lives in Cardiff; the demo facilitator held an event there where
    someone chose the "friends" picture."""
    with app.app_context():
        load_content()
        cardiff = db.session.scalar(select(LocalAuthority).where(LocalAuthority.code == "cardiff"))
        person = db.session.scalar(select(Person).join(User, Person.user_id == User.id)
                                   .where(User.username == "demo-person"))
        person.local_authority_id = cardiff.id
        facilitator = db.session.scalar(select(User).where(User.username == "demo-facilitator"))
        question = db.session.scalar(select(ContentItem).where(
            ContentItem.key == "question.wm-matters", ContentItem.is_current))
        conversation = Conversation(conversation_key="what-matters", source="event",
                                    finished_at=datetime(2026, 1, 5))
        answer = Answer(question_key="wm-matters", question_item_id=question.id,
                        status=AnswerStatus.ANSWERED)
        answer.themes.append(AnswerTheme(theme_key="friends", source=ThemeSource.CARD))
        conversation.answers.append(answer)
        db.session.add(conversation)
        db.session.flush()
        event = Event(facilitator_id=facilitator.id, title_en="Club night", title_cy="Noson clwb",
                      event_date=date(2026, 1, 5), venue="Hall", local_authority_id=cardiff.id,
                      conversation_key="what-matters", join_code="TEST01")
        event.participants.append(EventParticipant(
            token_hash=hashlib.sha256(b"t").hexdigest(), language="en",
            conversation_id=conversation.id))
        db.session.add(event)
        db.session.commit()
        db.session.remove()


def test_a_commissioner_answers_a_theme_and_people_and_facilitators_see_it(
        app, client, login_as, world):
    commissioner = login_as("commissioner")
    assert "/commissioner/you-said" in commissioner.get("/commissioner").get_data(as_text=True)
    form = commissioner.get("/commissioner/you-said/new")
    assert form.status_code == 200
    saved = commissioner.post_form("/commissioner/you-said/new", GOOD)
    assert saved.status_code == 302
    listing = main_text(commissioner.get("/commissioner/you-said"))
    assert GOOD["heard_en"] in listing and GOOD["doing_cy"] in listing
    commissioner.post_form("/logout", {})

    person = login_as("person")
    home = main_text(person.get("/me/"))
    assert "You said, we did" in home
    assert GOOD["heard_en"] in home and GOOD["doing_en"] in home
    assert "March 31, 2027" in home or "31 March 2027" in home
    person.get("/language/cy?next=/me/")
    welsh = main_text(person.get("/me/"))
    assert GOOD["heard_cy"] in welsh and GOOD["doing_cy"] in welsh
    assert GOOD["heard_en"] not in welsh
    person.post_form("/logout", {})

    facilitator = login_as("facilitator")
    page = main_text(facilitator.get("/facilitator"))
    assert GOOD["doing_en"] in page or GOOD["doing_cy"] in page


def test_people_elsewhere_do_not_see_it(app, login_as, world):
    with app.app_context():
        swansea = db.session.scalar(select(LocalAuthority.id).where(
            LocalAuthority.code == "swansea"))
        person = db.session.scalar(select(Person).join(User, Person.user_id == User.id)
                                   .where(User.username == "demo-person"))
        person.local_authority_id = swansea
        db.session.commit()
        db.session.remove()
    commissioner = login_as("commissioner")
    assert commissioner.post_form("/commissioner/you-said/new", GOOD).status_code == 302
    commissioner.post_form("/logout", {})
    person = login_as("person")
    assert GOOD["heard_en"] not in main_text(person.get("/me/"))


@pytest.mark.parametrize("field, message", [
    ("heard_cy", "Write what you heard, in Welsh."),
    ("doing_en", "Write what you will do, in English."),
    ("by_when", "Write the date you will do it by, like 2027-03-31."),
])
def test_both_languages_and_a_date_are_needed_and_nothing_typed_is_lost(
        app, login_as, world, field, message):
    commissioner = login_as("commissioner")
    response = commissioner.post_form("/commissioner/you-said/new", {**GOOD, field: ""})
    assert response.status_code == 200
    text = main_text(response)
    assert message in text
    for key, value in GOOD.items():
        if key not in (field, "area", "theme", "by_when"):
            assert value in response.get_data(as_text=True).replace("&#39;", "'")
    with app.app_context():
        assert db.session.scalar(select(YouSaidWeDid)) is None


def test_long_sentences_are_refused_in_either_language(app, login_as, world):
    commissioner = login_as("commissioner")
    long = " ".join(["word"] * 16) + "."
    response = commissioner.post_form("/commissioner/you-said/new", {**GOOD, "doing_cy": long})
    assert response.status_code == 200
    assert "Please use sentences of 15 words or fewer." in main_text(response)


def test_an_area_outside_theirs_or_an_unknown_theme_is_refused(app, login_as, world):
    commissioner = login_as("commissioner")
    response = commissioner.post_form("/commissioner/you-said/new",
                                      {**GOOD, "area": "la:swansea", "theme": "no-such"})
    assert response.status_code == 200
    text = main_text(response)
    assert "Choose one of your areas." in text and "Choose the theme you are answering." in text
    with app.app_context():
        assert db.session.scalar(select(YouSaidWeDid)) is None
