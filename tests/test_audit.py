"""The audit log (issue 9): who viewed, changed, exported or erased which person's data.

Entries are written by one after_request hook for the routes in portal/core/audit.py
PERSONAL_ROUTES; the walker below makes sure a route with a person's id in its URL cannot
be added without saying whether it is personal.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from portal.content.store import load_content
from portal.core.audit import NOT_PERSONAL, PERSONAL_ROUTES, is_not_personal
from portal.core.extensions import db
from portal.models import AuditEntry, Person, Relationship
from tests import rights_support as support
from tests.conftest import sign_in

ID_ARGUMENTS = {"person_id", "conversation_id", "session_id", "follow_up_id", "event_id",
                "upload_id", "recording_id"}


@pytest.fixture()
def record(app, demo):
    """The demo person with a whole record; (person id, the ids made)."""
    with app.app_context():
        load_content()
        person_id = db.session.scalar(select(Person.id).where(Person.display_name == "Alex"))
        made = support.add_record(person_id)
        db.session.remove()
    return person_id, made


def entries(app) -> list[dict]:
    with app.app_context():
        rows = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
        found = [{c.name: getattr(r, c.name) for c in AuditEntry.__table__.columns}
                 for r in rows]
        db.session.remove()
    return found


def user_id(app, username: str) -> int:
    with app.app_context():
        found = support.user_id(username)
        db.session.remove()
    return found


def test_every_route_with_an_id_says_whether_it_is_personal(app):
    unsaid = []
    for rule in app.url_map.iter_rules():
        if set(rule.arguments) & ID_ARGUMENTS and rule.endpoint not in PERSONAL_ROUTES \
                and not is_not_personal(rule.endpoint):
            unsaid.append(rule.endpoint)
    assert unsaid == [], "add these to PERSONAL_ROUTES or NOT_PERSONAL in portal/core/audit.py"
    real = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert set(PERSONAL_ROUTES) - real == set()
    assert set(NOT_PERSONAL) - real == set()


def test_a_practitioner_looking_at_a_person_is_logged_without_content(app, record, login_as):
    person_id, made = record
    client = login_as("practitioner")
    assert client.get(f"/conversations/people/{person_id}").status_code == 200
    summary = client.get(f"/conversations/{made['conversation']}/summary")
    assert summary.status_code == 200
    assert support.SECRET_WORDS in summary.get_data(as_text=True)  # they did see the words
    found = entries(app)
    practitioner = user_id(app, "demo-practitioner")
    assert [(e["action"], e["person_id"], e["user_id"], e["role"], e["endpoint"], e["method"])
            for e in found] == [
        ("view", person_id, practitioner, "practitioner", "conversations.person_page", "GET"),
        ("view", person_id, practitioner, "practitioner", "conversations.summary", "GET"),
    ]
    assert all(isinstance(e["at"], datetime) for e in found)
    # Only numbers and route names: nothing the person said, not even their name.
    text = " ".join(str(v) for e in found for v in e.values())
    for secret in (support.SECRET_WORDS, "Zebedee", "Alex", "worry"):
        assert secret not in text


def test_the_log_has_no_column_that_could_hold_content():
    columns = {c.name: str(c.type) for c in AuditEntry.__table__.columns}
    assert set(columns) == {"id", "at", "user_id", "role", "action", "person_id", "account_id",
                            "endpoint", "method"}
    assert all("TEXT" not in t for t in columns.values())


def test_a_supporters_proxy_save_and_side_by_side_are_logged(app, record, login_as):
    person_id, _made = record
    client = login_as("supporter")
    assert client.get(f"/circle/people/{person_id}/side-by-side").status_code == 200
    client.post_form(f"/circle/people/{person_id}/rate/what-i-think/save")
    actions = [(e["action"], e["endpoint"]) for e in entries(app)]
    assert ("view", "circle.side_by_side") in actions
    posted = [a for a in actions if a[1] == "circle.proxy_save"]
    # The save either went through (a change) or was refused (nothing was shown or saved).
    assert posted in ([], [("change", "circle.proxy_save")])


def test_a_person_on_their_own_pages_is_not_logged(app, record, login_as):
    _person_id, made = record
    client = login_as("person")
    assert client.get(f"/conversations/{made['conversation']}/summary").status_code == 200
    assert client.get("/me/").status_code == 200
    assert entries(app) == []


def test_a_refused_request_shows_nothing_and_logs_nothing(app, record, login_as):
    _person_id, made = record
    with app.app_context():
        other = support.add_person("Bea")
        db.session.remove()
    client = login_as("practitioner")
    assert client.get(f"/conversations/people/{other}").status_code == 404
    assert client.get("/conversations/999999/summary").status_code == 404
    assert entries(app) == []


def test_a_failed_sign_in_is_logged_without_the_name_tried(app, client):
    response = client.post_form("/login", {"username": "demo-admin", "password": "wrong-one"})
    assert response.status_code == 401
    found = entries(app)
    assert [(e["action"], e["user_id"], e["person_id"]) for e in found] == [
        ("sign_in_failed", None, None)]
    assert "demo-admin" not in " ".join(str(v) for v in found[0].values())


def test_the_admin_page_lists_filters_and_pages(app, record, login_as):
    person_id, _made = record
    with app.app_context():
        other = support.add_person(
            "Bea", circle=(("demo-practitioner", Relationship.PROFESSIONAL),))
        db.session.remove()
    client = login_as("practitioner")
    for _ in range(3):
        client.get(f"/conversations/people/{person_id}")
    client.get(f"/conversations/people/{other}")
    client.post_form("/logout")
    client = login_as("admin")
    page = client.get("/admin/audit").get_data(as_text=True)
    assert page.count("conversations.person_page") == 4
    assert "demo-practitioner" in page

    page = client.get(f"/admin/audit?person={other}").get_data(as_text=True)
    assert page.count("conversations.person_page") == 1
    page = client.get(f"/admin/audit?user={user_id(app, 'demo-admin')}").get_data(as_text=True)
    assert "conversations.person_page" not in page
    page = client.get("/admin/audit?user=Demo-Practitioner").get_data(as_text=True)
    assert page.count("conversations.person_page") == 4
    page = client.get("/admin/audit?user=nobody-at-all").get_data(as_text=True)
    assert "conversations.person_page" not in page
    page = client.get("/admin/audit?action=export").get_data(as_text=True)
    assert "conversations.person_page" not in page
    tomorrow = (datetime.now() + timedelta(days=2)).date().isoformat()
    page = client.get(f"/admin/audit?since={tomorrow}").get_data(as_text=True)
    assert "conversations.person_page" not in page
    page = client.get(f"/admin/audit?until={tomorrow}").get_data(as_text=True)
    assert page.count("conversations.person_page") == 4


def test_the_admin_page_pages(app, record, login_as, monkeypatch):
    import portal.core.audit

    monkeypatch.setattr(portal.core.audit, "PAGE_SIZE", 2)
    person_id, _made = record
    client = login_as("practitioner")
    for _ in range(3):
        client.get(f"/conversations/people/{person_id}")
    client.post_form("/logout")
    client = login_as("admin")
    first = client.get(f"/admin/audit?person={person_id}").get_data(as_text=True)
    assert first.count("conversations.person_page") == 2
    older = re.search(r'href="([^"]*page=2[^"]*)"', first)
    assert older and f"person={person_id}" in older.group(1)
    second = client.get(older.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert second.count("conversations.person_page") == 1
    assert "page=3" not in second


@pytest.mark.parametrize("language", ["en", "cy"])
def test_bad_filters_are_explained_in_the_pages_language(app, demo, login_as, language):
    client = login_as("admin")
    client.get(f"/language/{language}?next=/admin")
    response = client.get("/admin/audit?person=abc&since=yesterday")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'class="error-summary"' in page
    assert f'lang="{language}"' in page


def test_only_an_admin_sees_the_log(app, demo, client):
    for role in ("person", "supporter", "practitioner", "facilitator", "commissioner"):
        fresh = app.test_client()
        sign_in(fresh, f"demo-{role}")
        assert fresh.get("/admin/audit").status_code == 403


def test_the_admin_home_links_to_the_log_and_the_people(login_as):
    page = login_as("admin").get("/admin").get_data(as_text=True)
    assert 'href="/admin/audit"' in page
    assert 'href="/admin/people"' in page
