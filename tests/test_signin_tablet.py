"""A passkey on the person's own tablet (issue 15): the practitioner's one-time set-up
code, the set-up page it opens, and the options the tablet is asked with. The passkey
itself is made and used in a real browser: tests/browser/test_signin_passkey.py."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from portal.core.clock import utcnow
from portal.core.extensions import db
from portal.models import PasskeySetupCode, Person
from tests.conftest import sign_in

BASE = "http://localhost:5000"


@pytest.fixture()
def alex(app, demo):
    with app.app_context():
        found = db.session.scalar(select(Person.id).where(Person.display_name == "Alex"))
        db.session.remove()
    return found


def text(html: str) -> str:
    """The page's words, as read (entities decoded, spaces collapsed)."""
    return " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())


def setup_link(app, person_id: int) -> str:
    staff = app.test_client()
    sign_in(staff, "demo-practitioner")
    response = staff.post_form(f"/sign-in/people/{person_id}/setup-code")
    assert response.status_code == 200
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    link = soup.select_one(".qr-link a")["href"]
    assert soup.select_one(".qr[role=img] svg") is not None  # the QR code, inline
    assert link.startswith(f"{BASE}/tablet/setup/")
    return link.removeprefix(BASE)


@pytest.mark.parametrize(("language", "words"), [
    ("en", "Set up your tablet"), ("cy", "Gosod eich tabled")])
def test_the_set_up_code_opens_the_easy_read_set_up_page(app, alex, language, words):
    path = setup_link(app, alex)
    tablet = app.test_client()
    tablet.get(f"/language/{language}?next=/about")
    response = tablet.get(path)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert words in text(html)
    assert 'data-passkey="register"' in html


def test_the_tablet_is_asked_for_a_discoverable_passkey_with_verification(app, alex):
    path = setup_link(app, alex)
    tablet = app.test_client()
    token = tablet.csrf_token()
    tablet.get(path)
    response = tablet.post(f"{path}/options", headers={"X-CSRFToken": token})
    assert response.status_code == 200
    options = json.loads(response.data)
    assert options["rp"]["id"] == "localhost"
    assert options["authenticatorSelection"]["residentKey"] == "required"
    assert options["authenticatorSelection"]["userVerification"] == "required"
    assert "Alex" in options["user"]["displayName"]
    sign_in_options = tablet.post("/sign-in/tablet/options", headers={"X-CSRFToken": token})
    assert json.loads(sign_in_options.data)["userVerification"] == "required"
    assert json.loads(sign_in_options.data).get("allowCredentials") in (None, [])


def test_a_forged_answer_changes_nothing(app, alex):
    path = setup_link(app, alex)
    tablet = app.test_client()
    token = tablet.csrf_token()
    tablet.post(f"{path}/options", headers={"X-CSRFToken": token})
    refused = tablet.post_form(path, {"credential": json.dumps({"id": "AAAA", "type": "x"})})
    assert refused.status_code == 400
    assert "Setting up the tablet did not work." in refused.get_data(as_text=True)
    assert tablet.get(path).status_code == 200  # the code still works for a real try
    no_sign_in = tablet.post_form("/sign-in/tablet", {"credential": "{}"})
    assert no_sign_in.status_code == 401
    assert "Signing in with this tablet did not work." in no_sign_in.get_data(as_text=True)
    assert tablet.get("/me/").status_code == 302


@pytest.mark.parametrize(("language", "words"), [
    ("en", "This code does not work"), ("cy", "Dydy'r cod yma ddim yn gweithio")])
def test_a_used_or_expired_code_gets_a_kind_page(app, alex, language, words):
    old = setup_link(app, alex)
    newer = setup_link(app, alex)  # a newer code: the older one stops working
    tablet = app.test_client()
    tablet.get(f"/language/{language}?next=/about")
    response = tablet.get(old)
    assert response.status_code == 404
    assert words in text(response.get_data(as_text=True))
    with app.app_context():
        for code in db.session.scalars(select(PasskeySetupCode)):
            code.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
        db.session.remove()
    assert tablet.get(newer).status_code == 404
    assert tablet.get("/tablet/setup/nonsense").status_code == 404


def test_only_a_hash_of_the_code_is_kept(app, alex):
    path = setup_link(app, alex)
    token = path.rsplit("/", 1)[1]
    with app.app_context():
        stored = db.session.scalars(select(PasskeySetupCode.token_hash)).all()
        db.session.remove()
    assert stored and token not in stored


def test_the_sign_in_page_keeps_the_password_with_show_password_and_paste(client):
    html = client.get("/login").get_data(as_text=True)
    soup = BeautifulSoup(html, "html.parser")
    password = soup.select_one("input[name=password]")
    assert password["type"] == "password"
    assert "onpaste" not in html and "autocomplete=\"off\"" not in html
    holder = soup.select_one("[data-show-password]")
    assert holder["data-show-password"] == password["id"]
    assert soup.select_one('script[src$="js/show-password.js"]') is not None
    assert soup.select_one('form[data-passkey="sign-in"]') is not None


def test_show_password_in_welsh(client):
    client.get("/language/cy?next=/about")
    soup = BeautifulSoup(client.get("/login").get_data(as_text=True), "html.parser")
    assert soup.select_one("[data-show-password]")["data-show"] == "Dangos y cyfrinair"
