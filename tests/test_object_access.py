"""Object-level access (issue 9): changing an id in a URL never reaches someone else's data.

The demo circle is Alex's: demo-supporter and demo-practitioner are in it. Bea is a second
person in nobody's circle, with a whole record (a conversation, a mat, ratings, a
follow-up); another facilitator runs an event. The walker fills every route that has an id
in its URL with Bea's (or the other facilitator's) objects and tries it as each role, GET
and POST: the answer must be 403 or 404 (405 where the method is not offered). The one
designed exception: an admin reaches any person's rights pages (export, erase) and moves
any person between caseloads.
A commissioner is also tried with Alex's own ids: they never reach a personal record.
"""

from __future__ import annotations

from datetime import date

import pytest
from flask import url_for
from sqlalchemy import select

from portal.content.store import load_content
from portal.core.extensions import db
from portal.models import Event, LocalAuthority, Person, Role, User
from tests import rights_support as support
from tests.conftest import DEMO_ROLES, sign_in

ID_ARGUMENTS = {"person_id", "conversation_id", "session_id", "follow_up_id", "event_id"}
# Public content (pictures, recordings): not anyone's personal data.
PUBLIC_CONTENT = {"uploads.picture", "speech.recording"}
ADMIN_MAY = {"rights.person", "rights.export_json", "rights.export_pdf", "rights.erase",
             # Caseloads: an admin moves any person to a practitioner's list.
             "people.move"}
STRINGS = {"slug": "what-i-think", "question_key": "wm-worries",
           "conversation_key": "what-matters", "mat_key": "home", "number": 1}


def _objects(person_id: int, made: dict, event_id: int) -> dict:
    return {"person_id": person_id, "conversation_id": made["conversation"],
            "mat_session": made["mat"], "rating_session": made["ratings"][0],
            "follow_up_id": made["follow_up"], "event_id": event_id}


@pytest.fixture()
def world(app, demo):
    """(Bea's objects, Alex's objects)."""
    with app.app_context():
        load_content()
        bea = support.add_person("Bea", "bea-person")
        bea_made = support.add_record(bea, proxy_by=None)
        alex = db.session.scalar(select(Person.id).where(Person.display_name == "Alex"))
        alex_made = support.add_record(alex)
        other = User(username="other-facilitator", role=Role.FACILITATOR, display_name="Other")
        other.set_password("demo-password")
        db.session.add(other)
        db.session.flush()
        area = db.session.scalar(select(LocalAuthority.id).where(LocalAuthority.code == "cardiff"))
        events = []
        for owner, code in ((other.id, "OTHER1"), (support.user_id("demo-facilitator"), "MINE01")):
            event = Event(facilitator_id=owner, title_en="E", title_cy="D",
                          event_date=date(2026, 11, 1), venue="Hall", local_authority_id=area,
                          conversation_key="what-matters", join_code=code, open_code=code)
            db.session.add(event)
            events.append(event)
        db.session.commit()
        found = (_objects(bea, bea_made, events[0].id), _objects(alex, alex_made, events[1].id))
        db.session.remove()
    return found


def _paths(app, objects: dict) -> list[tuple[str, str, str]]:
    """(endpoint, method, path) for every route with an id in its URL."""
    found = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if not set(rule.arguments) & ID_ARGUMENTS or rule.endpoint in PUBLIC_CONTENT:
                continue
            values = {}
            for name in rule.arguments:
                if name == "session_id":
                    values[name] = objects["rating_session" if rule.endpoint.startswith(
                        ("ratings.", "events.rating")) else "mat_session"]
                else:
                    values[name] = objects.get(name, STRINGS.get(name))
            assert None not in values.values(), f"{rule.endpoint}: teach the walker {values}"
            path = url_for(rule.endpoint, **values)
            for method in ("GET", "POST"):
                if method in rule.methods:
                    found.append((rule.endpoint, method, path))
    return found


def _try(client, method: str, path: str) -> int:
    if method == "GET":
        return client.get(path).status_code
    return client.post_form(path, {"confirm": "", "action": "next"}).status_code


@pytest.mark.parametrize("role", DEMO_ROLES)
def test_no_role_reaches_another_persons_objects_by_changing_an_id(app, world, role):
    bea, _alex = world
    client = app.test_client()
    assert sign_in(client, f"demo-{role}").status_code == 302
    paths = _paths(app, bea)
    assert len({e for e, _m, _p in paths}) > 20  # the walker really walks
    reached = []
    for endpoint, method, path in paths:
        if role == "admin" and endpoint in ADMIN_MAY:
            continue
        status = _try(client, method, path)
        if status not in (403, 404):
            reached.append(f"{method} {path} ({endpoint}): {status}")
    assert reached == []
    with app.app_context():
        assert db.session.get(Person, bea["person_id"]) is not None  # nothing was erased
        db.session.remove()


def test_a_commissioner_never_reaches_a_personal_record(app, world):
    _bea, alex = world
    client = app.test_client()
    sign_in(client, "demo-commissioner")
    reached = [f"{m} {p}" for e, m, p in _paths(app, alex) if _try(client, m, p) not in (403, 404)]
    assert reached == []


def test_the_walker_would_see_a_way_in(app, world):
    """The same walk with the circle's own person: the circle does get in, so a 404 above
    is the check at work, not a broken path."""
    _bea, alex = world
    practitioner = app.test_client()
    sign_in(practitioner, "demo-practitioner")
    supporter = app.test_client()
    sign_in(supporter, "demo-supporter")
    facilitator = app.test_client()
    sign_in(facilitator, "demo-facilitator")
    person = app.test_client()
    sign_in(person, "demo-person")
    ok = {
        (practitioner, f"/conversations/people/{alex['person_id']}"),
        (practitioner, f"/conversations/{alex['conversation_id']}/summary"),
        (practitioner, f"/circle/people/{alex['person_id']}"),
        (practitioner, f"/circle/follow-ups/{alex['follow_up_id']}"),
        (practitioner, f"/rights/people/{alex['person_id']}"),
        (practitioner, f"/sign-in/people/{alex['person_id']}"),
        (practitioner, f"/people/{alex['person_id']}/details"),
        (supporter, f"/circle/people/{alex['person_id']}/side-by-side"),
        (facilitator, f"/facilitator/events/{alex['event_id']}"),
        (person, f"/conversations/{alex['conversation_id']}/summary"),
        (person, f"/me/mats/saved/{alex['mat_session']}"),
        (person, f"/me/how-true/saved/{alex['rating_session']}"),
    }
    assert [path for client, path in ok if client.get(path).status_code != 200] == []
