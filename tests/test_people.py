"""People and caseloads (issue 15): a practitioner adds a person, who is on their list at
once with a sign-in account that has no usable password; changes their details; bad input
keeps what was typed, in the page's language; an admin sees every list, who has nobody,
and moves a person to another list (audited). Both languages."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from portal.core.extensions import db
from portal.models import (
    AuditEntry,
    CircleMember,
    LocalAuthority,
    Person,
    Relationship,
    Role,
    User,
)
from tests import rights_support as support
from tests.conftest import sign_in

WORDS = {
    "en": {"future": "The date of birth cannot be in the future. Please check it.",
           "name": "Enter the person's name.", "added": "The person is added.",
           "area": "Choose the council where the person lives.",
           "invalid": "Enter the date of birth as a real date",
           "moved": "The person is on the new practitioner's list now."},
    "cy": {"future": "Dydy'r dyddiad geni ddim yn gallu bod yn y dyfodol.",
           "name": "Rhowch enw'r person.", "added": "Mae'r person wedi'i ychwanegu.",
           "area": "Dewiswch y cyngor lle mae'r person yn byw.",
           "invalid": "Rhowch y dyddiad geni fel dyddiad go iawn",
           "moved": "Mae'r person ar restr yr ymarferydd newydd nawr."},
}


def signed_in(app, username: str, language: str = "en"):
    client = app.test_client()
    if language == "cy":
        client.get("/language/cy?next=/about")
    assert sign_in(client, username).status_code == 302
    return client


def cardiff(app) -> int:
    with app.app_context():
        found = db.session.scalar(select(LocalAuthority.id).where(LocalAuthority.code == "cardiff"))
        db.session.remove()
    return found


def form(app, **changes) -> dict:
    data = {"name": "Catrin Jones", "preferred_name": "Cat", "language": "cy",
            "local_authority": str(cardiff(app)), "date_of_birth": "1990-03-27",
            "pictures": "no", "text_size": "large", "speech_rate": "slow"}
    data.update(changes)
    return data


def text(response) -> str:
    return " ".join(BeautifulSoup(response.get_data(as_text=True), "html.parser")
                    .get_text(" ").split())


@pytest.mark.parametrize("language", ["en", "cy"])
def test_a_practitioner_adds_a_person_who_is_on_their_list_at_once(app, demo, language):
    client = signed_in(app, "demo-practitioner", language)
    assert client.get("/people/new").status_code == 200
    response = client.post_form("/people/new", form(app))
    assert response.status_code == 302
    page = client.get(response.headers["Location"])
    assert WORDS[language]["added"] in text(page)
    assert "Catrin Jones" in text(client.get("/practitioner"))
    with app.app_context():
        person = db.session.scalar(select(Person).where(Person.display_name == "Catrin Jones"))
        assert (person.preferred_name, person.date_of_birth) == ("Cat", date(1990, 3, 27))
        user = person.user
        assert user.role == Role.PERSON and user.active
        assert (user.locale, user.pref_pictures, user.pref_text_size, user.pref_speech_rate) == (
            "cy", False, "large", "slow")
        assert not user.check_password("") and not user.check_password(user.username)
        member = db.session.scalar(select(CircleMember).where(CircleMember.person_id == person.id))
        assert member.relation == Relationship.PROFESSIONAL
        assert member.user_id == support.user_id("demo-practitioner")
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.person_id == person.id))
        assert (entry.action, entry.endpoint) == ("change", "people.new")
        db.session.remove()
    # Their other pages are open to the practitioner straight away.
    assert client.get(f"/sign-in/people/{person.id}").status_code == 200
    assert client.get(f"/people/{person.id}/details").status_code == 200


@pytest.mark.parametrize("language", ["en", "cy"])
def test_a_future_date_of_birth_is_refused_and_nothing_typed_is_lost(app, demo, language):
    client = signed_in(app, "demo-practitioner", language)
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    response = client.post_form("/people/new", form(app, date_of_birth=tomorrow))
    assert response.status_code == 400
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert WORDS[language]["future"] in text(response)
    assert page.select_one("#name")["value"] == "Catrin Jones"
    assert page.select_one("#preferred_name")["value"] == "Cat"
    assert page.select_one("#date_of_birth")["value"] == tomorrow
    assert page.select_one("#text_size-2").has_attr("checked")
    assert page.select_one(f"#local_authority option[value='{cardiff(app)}']").has_attr(
        "selected")
    assert page.select_one(".error-summary a")["href"] == "#date_of_birth"
    with app.app_context():
        assert db.session.scalar(select(Person).where(Person.display_name == "Catrin Jones")) \
            is None
        db.session.remove()


@pytest.mark.parametrize("language", ["en", "cy"])
def test_missing_and_wrong_details_get_clear_messages(app, demo, language):
    client = signed_in(app, "demo-practitioner", language)
    response = client.post_form("/people/new", form(
        app, name="  ", local_authority="", date_of_birth="27/03/1990"))
    assert response.status_code == 400
    words = text(response)
    for key in ("name", "area", "invalid"):
        assert WORDS[language][key] in words
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert page.select_one("#date_of_birth")["value"] == "27/03/1990"  # as typed
    assert client.post_form("/people/new", form(app, local_authority="999999")).status_code == 400
    assert client.post_form("/people/new", form(app, date_of_birth="")).status_code == 302


def test_the_practitioner_changes_the_details_of_a_person_on_their_list(app, demo):
    client = signed_in(app, "demo-practitioner")
    client.post_form("/people/new", form(app))
    with app.app_context():
        person_id = db.session.scalar(select(Person.id).where(
            Person.display_name == "Catrin Jones"))
        db.session.remove()
    page = BeautifulSoup(client.get(f"/people/{person_id}/details").get_data(as_text=True),
                         "html.parser")
    assert page.select_one("#date_of_birth")["value"] == "1990-03-27"
    response = client.post_form(f"/people/{person_id}/details", form(
        app, preferred_name="", date_of_birth="", language="en", pictures="yes"))
    assert response.status_code == 302
    with app.app_context():
        person = db.session.get(Person, person_id)
        assert (person.preferred_name, person.date_of_birth, person.called) == (
            None, None, "Catrin Jones")
        assert (person.user.locale, person.user.pref_pictures) == ("en", True)
        db.session.remove()
    # Someone else's practitioner cannot see or change them.
    with app.app_context():
        other = User(username="other-practitioner", role=Role.PRACTITIONER, display_name="Other")
        other.set_password("demo-password")
        db.session.add(other)
        db.session.commit()
        db.session.remove()
    stranger = signed_in(app, "other-practitioner")
    assert stranger.get(f"/people/{person_id}/details").status_code == 404
    assert stranger.post_form(f"/people/{person_id}/details", form(app)).status_code == 404


def test_a_person_without_a_sign_in_keeps_only_their_own_details(app, demo):
    with app.app_context():
        person_id = support.add_person("Dai", circle=(("demo-practitioner", "professional"),))
        db.session.remove()
    client = signed_in(app, "demo-practitioner")
    page = client.get(f"/people/{person_id}/details")
    assert page.status_code == 200 and 'name="language"' not in page.get_data(as_text=True)
    response = client.post_form(f"/people/{person_id}/details", {
        "name": "Dai Evans", "local_authority": str(cardiff(app)), "date_of_birth": "1960-01-02"})
    assert response.status_code == 302
    with app.app_context():
        person = db.session.get(Person, person_id)
        assert (person.display_name, person.user) == ("Dai Evans", None)
        db.session.remove()


# --- Caseloads ----------------------------------------------------------------------------


def second_practitioner(app) -> int:
    with app.app_context():
        other = User(username="second-practitioner", role=Role.PRACTITIONER,
                     display_name="Second Practitioner")
        other.set_password("demo-password")
        db.session.add(other)
        db.session.commit()
        found = other.id
        db.session.remove()
    return found


@pytest.mark.parametrize("language", ["en", "cy"])
def test_an_admin_sees_every_list_and_who_has_nobody(app, demo, language):
    second_practitioner(app)
    with app.app_context():
        support.add_person("Nobody's Person")
        db.session.remove()
    client = signed_in(app, "demo-admin", language)
    page = BeautifulSoup(client.get("/admin/caseloads").get_data(as_text=True), "html.parser")
    sections = {s.find("h2").get_text(strip=True): s.get_text(" ") for s in page.select("section")}
    assert "Alex" in sections["Rhys Evans"]
    assert "Alex" not in sections["Second Practitioner"]
    headings = [h.get_text(strip=True) for h in page.find_all("h2")]
    nobody_heading = {"en": "People on nobody's list", "cy": "Pobl sydd ddim ar restr neb"}
    assert nobody_heading[language] in headings
    nobody = page.find("h2", string=nobody_heading[language]).find_next("ul").get_text(" ")
    assert "Nobody's Person" in nobody and "Alex" not in nobody


@pytest.mark.parametrize("language", ["en", "cy"])
def test_an_admin_moves_a_person_to_another_list_and_it_is_audited(app, demo, language):
    second = second_practitioner(app)
    with app.app_context():
        alex = db.session.scalar(select(Person.id).where(Person.display_name == "Alex"))
        db.session.remove()
    admin = signed_in(app, "demo-admin", language)
    assert admin.get(f"/admin/caseloads/people/{alex}").status_code == 200
    refused = admin.post_form(f"/admin/caseloads/people/{alex}", {"practitioner": ""})
    assert refused.status_code == 400
    response = admin.post_form(f"/admin/caseloads/people/{alex}", {"practitioner": str(second)})
    assert response.status_code == 302
    assert WORDS[language]["moved"] in text(admin.get(response.headers["Location"]))
    with app.app_context():
        members = db.session.execute(select(CircleMember.user_id, CircleMember.relation).where(
            CircleMember.person_id == alex)).all()
        assert (second, "professional") in members
        assert support.user_id("demo-practitioner") not in {u for u, _r in members}
        assert support.user_id("demo-supporter") in {u for u, _r in members}  # family stays
        entry = db.session.scalar(select(AuditEntry).where(
            AuditEntry.endpoint == "people.move", AuditEntry.method == "POST"))
        assert (entry.action, entry.person_id, entry.role) == ("caseload_transfer", alex, "admin")
        db.session.remove()
    log = {"en": "Moved to another practitioner's list",
           "cy": "Wedi symud i restr ymarferydd arall"}
    assert log[language] in text(admin.get(f"/admin/audit?person={alex}"))
    old = signed_in(app, "demo-practitioner")
    assert old.get(f"/conversations/people/{alex}").status_code == 404
    new = signed_in(app, "second-practitioner")
    assert new.get(f"/conversations/people/{alex}").status_code == 200
    assert "Alex" in text(new.get("/practitioner"))


def test_only_an_admin_moves_people(app, demo):
    second = second_practitioner(app)
    with app.app_context():
        alex = db.session.scalar(select(Person.id).where(Person.display_name == "Alex"))
        db.session.remove()
    client = signed_in(app, "demo-practitioner")
    assert client.post_form(f"/admin/caseloads/people/{alex}",
                            {"practitioner": str(second)}).status_code == 403
    assert client.get("/admin/caseloads").status_code == 403
