"""Signing in and out: homes per role, kind messages, throttling, cookies, no open redirect."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from portal.core.clock import utcnow
from portal.core.extensions import db
from portal.models import LoginThrottle, User
from tests.conftest import DEMO_ROLES, sign_in
from tests.test_access import HOMES

WRONG = "Your username or password is not right. Please try again."
WAIT = re.compile(r"Please wait (\d+) seconds?, then try again\.")


def _field_value(html: str, name: str):
    field = BeautifulSoup(html, "html.parser").find("input", attrs={"name": name})
    return field.get("value") if field else None


def _signed_in(client) -> bool:
    with client.session_transaction() as session:
        return "_user_id" in session


@pytest.mark.parametrize("role", DEMO_ROLES)
def test_each_role_signs_in_and_lands_on_its_home(client, role):
    response = sign_in(client, f"demo-{role}")
    assert response.status_code == 302
    assert response.headers["Location"] == HOMES[role]
    assert client.get(HOMES[role]).status_code == 200


def test_username_is_not_case_or_space_sensitive(client):
    response = sign_in(client, "  DEMO-Admin ")
    assert (response.status_code, response.headers["Location"]) == (302, "/admin")


def test_wrong_password_is_refused_kindly(client):
    response = sign_in(client, "demo-admin", "not-the-password")
    assert response.status_code == 401
    page = response.get_data(as_text=True)
    assert WRONG in page
    assert _field_value(page, "username") == "demo-admin"
    assert _field_value(page, "password") in (None, "")
    assert "not-the-password" not in page
    assert not _signed_in(client)


def test_wrong_password_page_title_says_error(client):
    page = sign_in(client, "demo-admin", "nope").get_data(as_text=True)
    title = BeautifulSoup(page, "html.parser").title.get_text()
    assert title.startswith("Error: Sign in")


def test_unknown_username_gets_the_same_message(client):
    known = sign_in(client, "demo-admin", "wrong").get_data(as_text=True)
    unknown = sign_in(client, "nobody-here", "wrong")
    assert unknown.status_code == 401
    page = unknown.get_data(as_text=True)
    assert WRONG in page
    assert _field_value(page, "username") == "nobody-here"
    # Nothing else differs, so the page does not tell which usernames exist.
    strip = re.compile(r'value="[^"]*"')
    assert strip.sub("", page) == strip.sub("", known)


def test_an_inactive_account_cannot_sign_in(client, app):
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "demo-admin"))
        user.active = False
        db.session.commit()
    response = sign_in(client, "demo-admin")
    assert response.status_code == 401
    assert WRONG in response.get_data(as_text=True)


def test_empty_fields_are_asked_for(client):
    response = sign_in(client, "", "")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Enter your username." in page
    assert "Enter your password." in page
    summary = BeautifulSoup(page, "html.parser").find(class_="error-summary")
    assert [a["href"] for a in summary.find_all("a")] == ["#username", "#password"]


def test_passwords_are_stored_hashed(app, demo):
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "demo-person"))
        assert "demo-password" not in user.password_hash
        assert user.check_password("demo-password")
        assert not user.check_password("demo-passwordx")


def _fail(client, app, times: int, username="demo-admin"):
    for _ in range(times):
        assert sign_in(client, username, "wrong").status_code == 401


def test_repeated_failures_make_the_next_try_wait(client, app):
    free = app.config["LOGIN_FREE_FAILURES"]
    _fail(client, app, free)
    response = sign_in(client, "demo-admin")  # the right password, too soon
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    seconds = WAIT.search(page)
    assert seconds, page
    assert 1 <= int(seconds.group(1)) <= 2
    assert not _signed_in(client)


def test_failures_below_the_limit_cost_nothing(client, app):
    _fail(client, app, app.config["LOGIN_FREE_FAILURES"] - 1)
    response = sign_in(client, "demo-admin")
    assert response.status_code == 302
    with app.app_context():  # success clears the count
        assert db.session.get(LoginThrottle, "demo-admin") is None


def test_unknown_usernames_are_throttled_too(client, app):
    _fail(client, app, app.config["LOGIN_FREE_FAILURES"], username="Nobody")
    response = sign_in(client, "nobody", "wrong")
    assert response.status_code == 429


def test_throttling_is_per_username(client, app):
    _fail(client, app, app.config["LOGIN_FREE_FAILURES"])
    assert sign_in(client, "demo-practitioner").status_code == 302


def _throttle(app, failures_past_free: int, seconds_ago: float, username="demo-admin"):
    with app.app_context():
        db.session.add(
            LoginThrottle(
                username=username,
                failures=app.config["LOGIN_FREE_FAILURES"] + failures_past_free,
                last_failure_at=utcnow() - timedelta(seconds=seconds_ago),
            )
        )
        db.session.commit()


def test_the_wait_ends(client, app):
    _throttle(app, failures_past_free=0, seconds_ago=5)  # a 2-second wait, long over
    assert sign_in(client, "demo-admin").status_code == 302


def test_the_wait_message_uses_the_singular(client, app):
    _throttle(app, failures_past_free=0, seconds_ago=1.5)  # 0.5 s left: "1 second"
    page = sign_in(client, "demo-admin").get_data(as_text=True)
    assert "Please wait 1 second, then try again." in page


@pytest.mark.parametrize(
    ("failures_past_free", "seconds_ago", "welsh"),
    [
        (0, 1.5, "Arhoswch 1 eiliad"),
        (2, 2.5, "Arhoswch 6 eiliad"),  # an 8-second wait, 5.5 s left
        (5, 0.5, "Arhoswch 64 eiliad"),
    ],
)
def test_the_wait_message_in_welsh(client, app, failures_past_free, seconds_ago, welsh):
    _throttle(app, failures_past_free, seconds_ago)
    client.set_cookie("portal_lang", "cy")
    response = sign_in(client, "demo-admin")
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    assert "Rydych chi wedi ceisio lawer gwaith." in page
    assert welsh in page


def test_sign_out_needs_post(login_as):
    client = login_as("admin")
    assert client.get("/logout").status_code == 405
    assert _signed_in(client)


def test_sign_out_with_the_form_token(login_as):
    client = login_as("admin")
    response = client.post_form("/logout")
    assert (response.status_code, response.headers["Location"]) == (302, "/")
    assert not _signed_in(client)
    assert client.get("/admin").status_code == 302


def test_sign_out_without_the_form_token_is_refused_kindly(login_as):
    client = login_as("admin")
    response = client.post("/logout", data={"csrf_token": "forged"})
    assert response.status_code == 400
    assert "This page was open for a long time" in response.get_data(as_text=True)
    assert _signed_in(client)


def test_every_signed_in_page_offers_sign_out(login_as):
    client = login_as("practitioner")
    soup = BeautifulSoup(client.get("/practitioner").get_data(as_text=True), "html.parser")
    form = soup.find("form", attrs={"action": "/logout"})
    assert form is not None and form["method"].lower() == "post"


def _cookie_header(response, name: str) -> str:
    for header in response.headers.getlist("Set-Cookie"):
        if header.startswith(f"{name}="):
            return header
    raise AssertionError(f"no {name} cookie set")


def test_session_cookie_is_httponly_and_lax(client):
    response = sign_in(client, "demo-admin")
    cookie = _cookie_header(response, "session")
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_cookies_are_secure_in_production(make_app, tmp_path):
    production = make_app(
        {"ENVIRONMENT": "production", "SECRET_KEY": "x" * 40, "TESTING": False}, checked=False
    )
    assert production.config["SESSION_COOKIE_SECURE"] is True
    assert production.config["REMEMBER_COOKIE_SECURE"] is True
    client = production.test_client()
    session_cookie = _cookie_header(client.get("/login"), "session")
    assert "Secure" in session_cookie and "HttpOnly" in session_cookie
    language_cookie = _cookie_header(client.get("/language/cy?next=/"), "portal_lang")
    assert "Secure" in language_cookie


def test_cookies_are_not_secure_in_development(make_app):
    development = make_app({"ENVIRONMENT": "development"})
    assert development.config["SESSION_COOKIE_SECURE"] is False


def test_signing_in_starts_a_fresh_session(client):
    client.get("/login")
    with client.session_transaction() as session:
        session["left_over"] = "from before"
    sign_in(client, "demo-admin")
    with client.session_transaction() as session:
        assert "left_over" not in session


def test_a_signed_in_visitor_is_sent_home_from_the_sign_in_page(login_as):
    client = login_as("commissioner")
    response = client.get("/login")
    assert (response.status_code, response.headers["Location"]) == (302, "/commissioner")


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "https://evil.example",
        "http://evil.example/admin",
        "/\\evil.example",
        "\\\\evil.example",
        "/\t/evil.example",
        "/\n/evil.example",
        "javascript:alert(1)",
        "evil.example",
    ],
)
def test_next_never_leaves_the_site(client, target):
    response = client.post_form(
        "/login",
        {"username": "demo-admin", "password": "demo-password"},
        query_string={"next": target},
    )
    assert (response.status_code, response.headers["Location"]) == (302, "/admin")


def test_next_on_this_site_is_followed(client):
    response = client.post_form(
        "/login",
        {"username": "demo-admin", "password": "demo-password"},
        query_string={"next": "/about?x=1"},
    )
    assert response.headers["Location"] == "/about?x=1"
