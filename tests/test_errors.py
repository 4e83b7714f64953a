"""Friendly error pages in the page's language, and kind handling of an expired form."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from flask import Blueprint

from portal.core.access import public
from portal.core.i18n import COOKIE
from tests.conftest import seeded, sign_in

NOT_FOUND = {"en": "We cannot find this page", "cy": "Allwn ni ddim dod o hyd i'r dudalen hon"}
GO_HOME = {"en": "Go to the start", "cy": "Mynd i'r dechrau"}


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def _link_home(soup: BeautifulSoup, text: str):
    main = soup.find("main")
    return next((a for a in main.find_all("a") if a.get_text(strip=True) == text), None)


@pytest.mark.parametrize("code", ["en", "cy"])
def test_not_found_in_the_pages_language_with_a_way_home(client, code):
    client.set_cookie(COOKIE, code)
    response = client.get("/no/such/page")
    assert response.status_code == 404
    soup = soup_of(response)
    assert soup.html["lang"] == code
    assert soup.h1.get_text(strip=True) == NOT_FOUND[code]
    link = _link_home(soup, GO_HOME[code])
    assert link is not None and link["href"] == "/"


def test_not_found_takes_a_signed_in_person_to_their_home(login_as):
    client = login_as("person")
    response = client.get("/me/nothing-here")
    assert response.status_code == 404
    assert _link_home(soup_of(response), GO_HOME["en"])["href"] == "/me/"


def test_not_found_for_a_machine_is_json(client):
    response = client.get("/no/such/page", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.get_json() == {"error": 404}


def test_wrong_method_is_a_friendly_page(client):
    response = client.get("/logout")
    assert response.status_code == 405
    assert soup_of(response).h1.get_text(strip=True) == NOT_FOUND["en"]


def test_forbidden_in_welsh(login_as):
    client = login_as("supporter")
    client.set_cookie(COOKIE, "cy")
    client.get("/language/cy?next=/supporter")
    response = client.get("/admin")
    assert response.status_code == 403
    soup = soup_of(response)
    assert soup.html["lang"] == "cy"
    assert soup.h1.get_text(strip=True) == "Allwch chi ddim gweld y dudalen hon"
    assert _link_home(soup, GO_HOME["cy"])["href"] == "/supporter"


@pytest.fixture()
def failing_app(make_app):
    """A fresh app (not TESTING, so errors are handled as in production) with a broken page."""
    fresh = make_app({"TESTING": False})
    bp = Blueprint("broken", __name__)

    @bp.get("/broken")
    @public
    def broken():
        raise RuntimeError("the database fell over")

    fresh.register_blueprint(bp)
    return fresh


@pytest.mark.parametrize(
    ("code", "heading"),
    [("en", "Sorry, something went wrong"), ("cy", "Mae'n ddrwg gennym, aeth rhywbeth o'i le")],
)
def test_server_error_is_friendly_and_logged(failing_app, caplog, code, heading):
    client = failing_app.test_client()
    client.set_cookie(COOKIE, code)
    with caplog.at_level("ERROR"):
        response = client.get("/broken")
    assert response.status_code == 500
    soup = soup_of(response)
    assert soup.html["lang"] == code
    assert soup.h1.get_text(strip=True) == heading
    assert "the database fell over" not in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)
    assert _link_home(soup, GO_HOME[code])["href"] == "/"
    assert "the database fell over" in caplog.text
    assert "/broken" in caplog.text


def test_server_error_for_a_machine_is_json(failing_app):
    response = failing_app.test_client().get("/broken", headers={"Accept": "application/json"})
    assert response.status_code == 500
    assert response.get_json() == {"error": 500}


def test_too_large_upload_is_friendly(make_app):
    fresh = make_app({"MAX_CONTENT_LENGTH": 10})
    response = fresh.test_client().post("/login", data={"username": "x" * 100})
    assert response.status_code == 413
    assert soup_of(response).h1.get_text(strip=True) == "That file is too big"


EXPIRED = (
    "This page was open for a long time. We kept what you typed. Please press the button again."
)


@pytest.mark.parametrize("token", [None, "", "not-a-real-token"])
def test_expired_sign_in_form_is_shown_again_with_what_was_typed(client, token):
    client.get("/login")
    data = {"username": "demo-admin", "password": "demo-password"}
    if token is not None:
        data["csrf_token"] = token
    response = client.post("/login", data=data)
    assert response.status_code == 400
    soup = soup_of(response)
    assert soup.h1.get_text(strip=True) == "Sign in"
    assert soup.title.get_text().startswith("Error: Sign in")
    assert soup.find("input", attrs={"name": "username"})["value"] == "demo-admin"
    assert not soup.find("input", attrs={"name": "password"}).get("value")
    summary = soup.find(class_="error-summary")
    assert summary is not None and EXPIRED in summary.get_text(" ", strip=True)
    # A fresh token to press the button again with.
    assert soup.find("input", attrs={"name": "csrf_token"})["value"]
    with client.session_transaction() as session:
        assert "_user_id" not in session


def test_expired_sign_in_form_in_welsh(client):
    client.set_cookie(COOKIE, "cy")
    response = client.post("/login", data={"username": "demo-admin", "password": "x"})
    assert response.status_code == 400
    text = soup_of(response).get_text(" ", strip=True)
    assert "Roedd y dudalen hon ar agor am amser hir." in text


def test_pressing_again_after_an_expired_form_signs_in(client):
    response = client.post("/login", data={"username": "demo-admin", "password": "demo-password"})
    token = soup_of(response).find("input", attrs={"name": "csrf_token"})["value"]
    response = client.post(
        "/login", data={"username": "demo-admin", "password": "demo-password", "csrf_token": token}
    )
    assert (response.status_code, response.headers["Location"]) == (302, "/admin")


def test_token_from_another_session_is_refused(app, client):
    other = app.test_client()
    other.get("/login")
    token = other.csrf_token()
    response = client.post(
        "/login", data={"username": "demo-admin", "password": "demo-password", "csrf_token": token}
    )
    assert response.status_code == 400


def test_expired_form_is_not_throttled_as_a_failure(client, app):
    for _ in range(app.config["LOGIN_FREE_FAILURES"] + 2):
        client.post("/login", data={"username": "demo-admin", "password": "wrong"})
    assert sign_in(client, "demo-admin").status_code == 302


def test_json_client_gets_a_json_csrf_error(client):
    response = client.post("/login", json={"username": "demo-admin"})
    assert response.status_code == 400
    assert response.get_json()["error"] == 400


def test_expired_page_when_there_is_no_form_to_show(make_app):
    fresh = seeded(make_app())
    client = fresh.test_client()
    sign_in(client, "demo-admin")
    response = client.post("/logout", data={"csrf_token": "old"})
    assert response.status_code == 400
    soup = soup_of(response)
    assert soup.h1.get_text(strip=True) == "This page was open for a long time"
    assert _link_home(soup, GO_HOME["en"])["href"] == "/admin"
