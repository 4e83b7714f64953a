"""A person's rights (issue 9): export everything held (JSON and easy-read PDF) and erase,
from the admin side or by a practitioner for the people on their list; both audited."""

from __future__ import annotations

import io
import json

import pytest
from flask_babel import force_locale
from pypdf import PdfReader
from sqlalchemy import func, select

from portal.commissioning.rollups import expected_rollup, rollup_table
from portal.content.store import load_content
from portal.core.extensions import db
from portal.core.messages import ERASE_CONFIRM_REQUIRED
from portal.models import (
    Answer,
    AuditEntry,
    CircleMember,
    Conversation,
    MatSession,
    Person,
    Rating,
    RatingComment,
    RatingContribution,
    RatingSession,
    Relationship,
    SafetyFollowUp,
    User,
)
from tests import rights_support as support
from tests.conftest import sign_in


@pytest.fixture()
def bea(app, demo):
    """Bea: a person with a sign-in (Welsh), on demo-practitioner's list, with a whole
    record; and Alex (the demo person) with a record too, who must be left alone."""
    with app.app_context():
        load_content()
        alex = db.session.scalar(select(Person.id).where(Person.display_name == "Alex"))
        bea = support.add_person("Bea", "bea-person", circle=(
            ("demo-practitioner", Relationship.PROFESSIONAL), ("demo-supporter", "family")))
        made = support.add_record(bea)
        support.add_record(alex)
        db.session.remove()
    return bea, made, alex


def counts(app, person_id: int) -> dict:
    with app.app_context():
        def n(model, *where):
            return db.session.scalar(select(func.count()).select_from(model).where(*where))

        found = {
            "person": n(Person, Person.id == person_id),
            "conversations": n(Conversation, Conversation.person_id == person_id),
            "answers": n(Answer, Answer.conversation_id.in_(
                select(Conversation.id).where(Conversation.person_id == person_id))),
            "mats": n(MatSession, MatSession.person_id == person_id),
            "rating_sessions": n(RatingSession, RatingSession.person_id == person_id),
            "ratings": n(Rating, Rating.session_id.in_(
                select(RatingSession.id).where(RatingSession.person_id == person_id))),
            "follow_ups": n(SafetyFollowUp, SafetyFollowUp.person_id == person_id),
            "circle": n(CircleMember, CircleMember.person_id == person_id),
            "contributions": n(RatingContribution, RatingContribution.person_id == person_id),
        }
        db.session.remove()
    return found


def audit(app) -> list[tuple]:
    with app.app_context():
        rows = [(e.action, e.person_id, e.role, e.endpoint) for e in db.session.scalars(
            select(AuditEntry).order_by(AuditEntry.id))]
        db.session.remove()
    return rows


@pytest.mark.parametrize("role", ["admin", "practitioner"])
def test_export_json_holds_everything_about_the_person(app, bea, login_as, role):
    person_id, _made, _alex = bea
    client = login_as(role)
    response = client.get(f"/rights/people/{person_id}/export.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    data = json.loads(response.get_data(as_text=True))
    assert data["person"]["id"] == person_id
    assert data["person"]["name"] == "Bea"
    assert data["person"]["account"]["username"] == "bea-person"
    assert data["person"]["local_authority"] == "cardiff"
    assert {m["relationship"] for m in data["circle"]} == {"professional", "family"}
    [conversation] = data["conversations"]
    assert conversation["answers"][0]["words"] == support.SECRET_WORDS
    assert conversation["answers"][0]["themes"] == [{"theme": "being-heard", "source": "tag"}]
    [mat] = data["mats"]
    assert mat["placements"][0]["own_words"] == support.MAT_WORDS
    assert mat["has_picture"] is True
    assert [s["by"] for s in data["rating_sessions"]] == ["self", "family"]
    assert len(data["rating_sessions"][0]["ratings"]) == 3
    assert data["rating_sessions"][0]["ratings"][0]["comment"] == "Comment about Zebedee"
    assert len(data["follow_ups"]) == 1
    assert data["best_interests_decisions"][0]["reason"] == "A reason"
    # Nothing of Alex's.
    assert "Alex" not in response.get_data(as_text=True)
    assert audit(app) == [("export", person_id, role, "rights.export_json")]


def test_export_pdf_is_easy_read_in_the_persons_language(app, bea, login_as):
    person_id, _made, _alex = bea
    client = login_as("admin")  # the admin reads English; Bea chose Welsh
    response = client.get(f"/rights/people/{person_id}/export.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    assert reader.trailer["/Root"]["/Lang"] == "cy"
    with app.test_request_context(), force_locale("cy"):
        from flask_babel import gettext

        title = gettext("What the portal keeps about you")
    assert reader.metadata.title == title
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Zebedee" in " ".join(text.split())
    assert "Mittens" in " ".join(text.split())
    assert audit(app) == [("export", person_id, "admin", "rights.export_pdf")]


@pytest.mark.parametrize("role", ["admin", "practitioner"])
def test_erase_removes_everything_and_leaves_the_aggregate(app, bea, login_as, role):
    person_id, made, alex = bea
    before = counts(app, person_id)
    assert before["contributions"] > 0 and before["answers"] == 1 and before["ratings"] == 6
    assert made["picture"].is_file()
    with app.app_context():
        with_bea = rollup_table(db.session.connection())
        db.session.remove()
    alex_before = counts(app, alex)

    client = login_as(role)
    page = client.get(f"/rights/people/{person_id}/erase")
    assert page.status_code == 200
    assert counts(app, person_id) == before  # the confirm screen changes nothing
    response = client.post_form(f"/rights/people/{person_id}/erase", {"confirm": "y"})
    assert (response.status_code, response.headers["Location"]) == (302, "/rights/erased")
    assert client.get("/rights/erased").status_code == 200

    assert set(counts(app, person_id).values()) == {0}
    assert counts(app, alex) == alex_before
    assert not made["picture"].exists()
    with app.app_context():
        connection = db.session.connection()
        after = rollup_table(connection)
        assert after == expected_rollup(connection)
        assert after != with_bea  # Bea's ratings were in it, and now are not
        assert db.session.scalar(select(User).where(User.username == "bea-person")) is None
        assert db.session.scalar(select(func.count()).select_from(RatingComment)) == 1  # Alex's
        db.session.remove()
    # The log keeps the erasure, with Bea's number only.
    assert audit(app)[-1] == ("erase", person_id, role, "rights.erase")
    assert client.get(f"/rights/people/{person_id}").status_code == 404


@pytest.mark.parametrize("language", ["en", "cy"])
def test_erase_needs_the_box_ticked_and_says_so_in_the_pages_language(app, bea, login_as,
                                                                       language):
    person_id, _made, _alex = bea
    before = counts(app, person_id)
    client = login_as("admin")
    client.get(f"/language/{language}?next=/admin")
    response = client.post_form(f"/rights/people/{person_id}/erase", {})
    assert response.status_code == 400
    with app.test_request_context(), force_locale(language):
        expected = str(ERASE_CONFIRM_REQUIRED)
    page = response.get_data(as_text=True)
    assert expected.replace("'", "&#39;") in page
    assert f'lang="{language}"' in page
    assert counts(app, person_id) == before
    assert [a for a, *_ in audit(app)] == []


@pytest.mark.parametrize("path", ["", "/export.json", "/export.pdf", "/erase"])
def test_a_practitioner_reaches_only_people_on_their_list(app, bea, path):
    person_id, _made, _alex = bea
    with app.app_context():
        stranger = support.add_person("Cai")
        db.session.remove()
    client = app.test_client()
    sign_in(client, "demo-practitioner")
    assert client.get(f"/rights/people/{person_id}{path}").status_code == 200
    assert client.get(f"/rights/people/{stranger}{path}").status_code == 404
    if path == "/erase":
        response = client.post_form(f"/rights/people/{stranger}/erase", {"confirm": "y"})
        assert response.status_code == 404
        assert counts(app, stranger)["person"] == 1


@pytest.mark.parametrize("role", ["person", "supporter", "facilitator", "commissioner"])
def test_no_one_else_reaches_a_persons_rights_pages(app, bea, role):
    person_id, _made, _alex = bea
    client = app.test_client()
    sign_in(client, f"demo-{role}")
    for path in ("", "/export.json", "/export.pdf", "/erase"):
        assert client.get(f"/rights/people/{person_id}{path}").status_code == 403
    assert client.post_form(f"/rights/people/{person_id}/erase",
                            {"confirm": "y"}).status_code == 403
    assert counts(app, person_id)["person"] == 1


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_pages_in_both_languages(app, bea, login_as, language):
    person_id, _made, _alex = bea
    client = login_as("admin")
    client.get(f"/language/{language}?next=/admin")
    for path in ("/admin/people", f"/rights/people/{person_id}",
                 f"/rights/people/{person_id}/erase", "/rights/erased", "/admin/audit"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert f'lang="{language}"' in response.get_data(as_text=True)
    people = client.get("/admin/people").get_data(as_text=True)
    assert f'href="/rights/people/{person_id}"' in people


def test_the_practitioner_home_links_to_the_persons_data(app, bea, login_as):
    person_id, _made, _alex = bea
    page = login_as("practitioner").get("/practitioner").get_data(as_text=True)
    assert f'href="/rights/people/{person_id}"' in page
