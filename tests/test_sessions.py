"""Sessions that lose no work: staff are signed out after an idle spell, warned first and
able to stay (WCAG 2.2.1); a person is not timed out on the staff clock, and what anyone
typed survives an idle sign-out."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from flask_babel import force_locale, gettext

from portal.core import sessions
from portal.core.config import ConfigError, load_settings
from portal.core.messages import CONVERSATION_KEPT_AND_SAVED, SIGNED_OUT_IDLE
from tests.conftest import DEMO_ROLES
from tests.pages import csrf_token_in
from tests.test_access import HOMES
from tests.test_conversations import (
    answers_of,
    message,
    question_path,
    questions,
    start,
    text_of,
)
from tests.test_conversations import content as content  # noqa: F401 - a fixture

STAFF = [role for role in DEMO_ROLES if role != "person"]
MINUTE = 60


class Clock:
    """The time portal/core/sessions.py sees, moved on by the test."""

    def __init__(self):
        self.now = time.time()

    def __call__(self) -> float:
        return self.now

    def pass_minutes(self, minutes: float) -> None:
        self.now += minutes * MINUTE


@pytest.fixture()
def clock(monkeypatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(sessions, "_now", fake)
    return fake


def said(app, msgid: str, language: str) -> str:
    with app.test_request_context(), force_locale(language):
        return gettext(msgid)


def goes_to_sign_in(response, path: str) -> bool:
    if response.status_code != 302:
        return False
    target = urlsplit(response.headers["Location"])
    return target.path == "/login" and parse_qs(target.query).get("next") == [path]


def keep_alive(client, token: str | None = None):
    token = token or csrf_token_in(client.get("/settings").get_data(as_text=True))
    return client.post("/session/keep-alive", headers={"X-CSRFToken": token,
                                                       "Accept": "application/json"})


# --- staff ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", STAFF)
def test_an_idle_staff_session_ends_with_a_kind_message(app, clock, login_as, role):
    client = login_as(role)
    home = HOMES[role]
    assert client.get(home).status_code == 200
    clock.pass_minutes(31)
    response = client.get(home)
    assert goes_to_sign_in(response, home)
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    assert message(app, SIGNED_OUT_IDLE) in text_of(page)
    # Signed out for real, and the message is said once.
    again = client.get(home)
    assert goes_to_sign_in(again, home)
    assert message(app, SIGNED_OUT_IDLE) not in text_of(client.get("/login"))


def test_the_message_is_in_the_page_language(app, clock, login_as):
    client = login_as("practitioner")
    assert client.get("/language/cy?next=/practitioner").status_code == 302
    clock.pass_minutes(31)
    page = client.get(client.get("/practitioner").headers["Location"])
    soup = BeautifulSoup(page.get_data(as_text=True), "html.parser")
    assert soup.html["lang"] == "cy"
    assert message(app, SIGNED_OUT_IDLE, "cy") in text_of(page)


def test_a_busy_staff_session_carries_on(clock, login_as):
    client = login_as("admin")
    for _ in range(4):  # two hours of work, never 30 minutes apart
        clock.pass_minutes(29)
        assert client.get("/admin").status_code == 200


def test_signing_in_again_after_an_idle_end_reaches_the_page(clock, login_as):
    client = login_as("admin")
    client.get("/admin")
    clock.pass_minutes(45)
    response = client.get("/admin/content")
    response = client.post_form(response.headers["Location"],
                                {"username": "demo-admin", "password": "demo-password"})
    assert (response.status_code, response.headers["Location"]) == (302, "/admin/content")
    assert client.get("/admin/content").status_code == 200


def test_an_idle_end_on_a_public_page_also_says_so(app, clock, login_as):
    client = login_as("commissioner")
    client.get("/commissioner")
    clock.pass_minutes(31)
    response = client.get("/about")
    assert goes_to_sign_in(response, "/about")
    assert message(app, SIGNED_OUT_IDLE) in text_of(client.get(response.headers["Location"]))


def test_stay_signed_in_keeps_the_session(clock, login_as):
    client = login_as("practitioner")
    client.get("/practitioner")
    token = csrf_token_in(client.get("/practitioner").get_data(as_text=True))
    clock.pass_minutes(28)  # the warning is showing
    response = keep_alive(client, token)
    assert response.status_code == 200
    assert response.get_json() == {"ok": True, "idle_seconds": 30 * MINUTE}
    clock.pass_minutes(28)  # 56 minutes since the page, 28 since "Stay signed in"
    assert client.get("/practitioner").status_code == 200


def test_stay_signed_in_needs_the_form_token(clock, login_as):
    client = login_as("admin")
    response = client.post("/session/keep-alive", headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert response.is_json


def test_stay_signed_in_is_too_late_after_the_end(clock, login_as):
    client = login_as("admin")
    token = csrf_token_in(client.get("/admin").get_data(as_text=True))
    clock.pass_minutes(31)
    response = keep_alive(client, token)
    assert goes_to_sign_in(response, "/session/keep-alive")
    assert goes_to_sign_in(client.get("/admin"), "/admin")


def test_pictures_and_styles_do_not_keep_a_session(clock, login_as):
    client = login_as("admin")
    client.get("/admin")
    for _ in range(3):
        clock.pass_minutes(15)
        response = client.get("/static/css/portal.css")
        assert response.status_code == 200
        assert "Set-Cookie" not in response.headers
        client.get("/pictures/openmoji/1F3E0.svg")
    assert goes_to_sign_in(client.get("/admin"), "/admin")


@pytest.mark.parametrize("language", ["en", "cy"])
def test_signed_in_pages_carry_the_warning(app, login_as, language):
    client = login_as("facilitator")
    client.get(f"/language/{language}?next=/")
    soup = BeautifulSoup(client.get("/facilitator").get_data(as_text=True), "html.parser")
    dialog = soup.find("dialog", id="idle-warning")
    assert dialog is not None
    assert dialog["data-idle-seconds"] == str(30 * MINUTE)
    assert dialog["data-warn-seconds"] == "120"
    assert dialog["data-keep-alive"] == "/session/keep-alive"
    assert dialog["data-csrf"]
    assert dialog["aria-labelledby"] == "idle-warning-title"
    assert dialog.find(id="idle-warning-title").get_text(strip=True) == said(
        app, "Are you still there?", language)
    assert dialog.find("button", attrs={"data-stay-signed-in": True}).get_text(strip=True) == \
        said(app, "Stay signed in", language)
    assert soup.find("script", src="/static/js/idle.js") is not None


def test_signed_out_pages_have_no_warning(client):
    soup = BeautifulSoup(client.get("/about").get_data(as_text=True), "html.parser")
    assert soup.find(id="idle-warning") is None
    assert soup.find("script", src="/static/js/idle.js") is None


def test_the_warning_script_is_served(client):
    response = client.get("/static/js/idle.js")
    assert response.status_code == 200
    script = response.get_data(as_text=True)
    assert "X-CSRFToken" in script and "showModal" in script


# --- the person ---------------------------------------------------------------------------------


def test_a_person_is_not_signed_out_on_the_staff_clock(clock, login_as):
    client = login_as("person")
    client.get("/me/")
    clock.pass_minutes(3 * 60)  # a long lunch
    assert client.get("/me/").status_code == 200
    page = BeautifulSoup(client.get("/me/").get_data(as_text=True), "html.parser")
    assert page.find("dialog", id="idle-warning")["data-idle-seconds"] == str(12 * 60 * MINUTE)


def test_a_person_is_signed_out_after_half_a_day(clock, login_as):
    client = login_as("person")
    client.get("/me/")
    clock.pass_minutes(12 * 60 + 1)
    assert goes_to_sign_in(client.get("/me/"), "/me/")


def test_words_typed_before_an_idle_end_are_saved_after_signing_in(app, content, clock,
                                                                   login_as):
    person = login_as("person")
    conversation_id, _ = start(person, "what-matters")
    question = questions(app, "what-matters")[1]
    path = question_path(conversation_id, question.key)
    token = csrf_token_in(person.get(path).get_data(as_text=True))
    clock.pass_minutes(12 * 60 + 5)  # the tablet was left on this question overnight
    response = person.post(path, data={"csrf_token": token, "action": "next",
                                       "words": "typed before the break"},
                           headers={"Origin": "http://localhost"})
    assert goes_to_sign_in(response, path)
    assert answers_of(app, conversation_id) == {}
    assert message(app, SIGNED_OUT_IDLE) in text_of(person.get(response.headers["Location"]))
    response = person.post_form(response.headers["Location"],
                                {"username": "demo-person", "password": "demo-password"})
    assert response.headers["Location"] == path
    assert message(app, CONVERSATION_KEPT_AND_SAVED) in text_of(person.get(path))
    assert answers_of(app, conversation_id)[question.key]["text"] == "typed before the break"


# --- configuration ------------------------------------------------------------------------------


def _config(tmp_path) -> dict:
    return load_settings({"ENVIRONMENT": "testing", "INSTANCE_PATH": str(tmp_path)}).flask_config()


def test_idle_times_have_safe_defaults(tmp_path, monkeypatch):
    monkeypatch.delenv("PORTAL_STAFF_IDLE_MINUTES", raising=False)
    monkeypatch.delenv("PORTAL_PERSON_IDLE_MINUTES", raising=False)
    config = _config(tmp_path)
    assert (config["STAFF_IDLE_MINUTES"], config["PERSON_IDLE_MINUTES"]) == (30, 12 * 60)


def test_idle_times_come_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("PORTAL_STAFF_IDLE_MINUTES", "15")
    config = _config(tmp_path)
    assert config["STAFF_IDLE_MINUTES"] == 15


@pytest.mark.parametrize("value", ["2", "0", "-5", "soon"])
def test_an_idle_time_too_short_for_the_warning_is_refused(tmp_path, monkeypatch, value):
    monkeypatch.setenv("PORTAL_STAFF_IDLE_MINUTES", value)
    with pytest.raises(ConfigError, match="PORTAL_STAFF_IDLE_MINUTES"):
        load_settings({"ENVIRONMENT": "testing", "INSTANCE_PATH": str(tmp_path)})


def test_background_requests_do_not_keep_a_session(clock, login_as):
    """The live counts at an event refresh every few seconds by themselves: they must not
    keep a session open for nobody (they still end an idle one)."""
    client = login_as("facilitator")
    client.get("/facilitator")
    for _ in range(4):
        clock.pass_minutes(10)
        client.get("/healthz", headers={"X-Portal-Background": "1"})
    assert goes_to_sign_in(client.get("/facilitator"), "/facilitator")


def test_signing_out_after_an_idle_end_just_signs_out(app, clock, login_as):
    client = login_as("supporter")
    token = csrf_token_in(client.get("/supporter").get_data(as_text=True))
    clock.pass_minutes(31)
    response = client.post("/logout", data={"csrf_token": token})
    assert (response.status_code, response.headers["Location"]) == (302, "/login")
    assert message(app, SIGNED_OUT_IDLE) in text_of(client.get("/login"))
