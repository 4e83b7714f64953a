"""Security headers on every answer, and templates that need no inline script or other host."""

from __future__ import annotations

import re
from pathlib import Path

import pyotp
import pytest
from bs4 import BeautifulSoup

from portal.core.config import PROJECT_ROOT
from portal.core.extensions import db
from portal.core.security import PUBLIC_FILE_ENDPOINTS
from tests.conftest import DEMO_ROLES
from tests.pages import csrf_token_in
from tests.test_access import ACCESS_MATRIX, OK

TEMPLATES = sorted((PROJECT_ROOT / "portal").rglob("templates/**/*.html"))


def _pages_for(role: str | None) -> list[str]:
    return [
        path
        for endpoint, (path, expected) in ACCESS_MATRIX.items()
        if expected[role] == OK and endpoint not in ("static", "pictures.picture")
    ]


def csp_directives(response) -> dict[str, list[str]]:
    policy = response.headers.get("Content-Security-Policy", "")
    directives = {}
    for part in policy.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def assert_strict_csp(response) -> None:
    csp = csp_directives(response)
    assert csp.get("default-src") == ["'self'"]
    assert csp.get("script-src") == ["'self'"]
    assert csp.get("frame-ancestors") == ["'none'"]
    assert csp.get("object-src") == ["'none'"]
    for name, values in csp.items():
        assert "'unsafe-inline'" not in values, name
        assert "'unsafe-eval'" not in values, name
        assert not any(v.startswith(("http:", "https:", "*")) or "." in v for v in values), name


def assert_basic_headers(response) -> None:
    headers = response.headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] in ("same-origin", "no-referrer", "strict-origin")
    assert headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("role", [None, *DEMO_ROLES], ids=lambda r: r or "anonymous")
def test_every_page_has_the_security_headers(client, login_as, role):
    if role:
        login_as(role)
    pages = _pages_for(role)
    assert pages
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        assert_strict_csp(response)
        assert_basic_headers(response)


@pytest.mark.parametrize("path", ["/no-such-page", "/admin", "/language/cy?next=/"])
def test_errors_and_redirects_have_the_headers_too(client, path):
    response = client.get(path)
    assert response.status_code in (302, 404)
    assert_strict_csp(response)
    assert_basic_headers(response)


@pytest.mark.parametrize("role", DEMO_ROLES)
def test_signed_in_pages_are_not_stored(login_as, role):
    client = login_as(role)
    for path in _pages_for(role):
        response = client.get(path)
        assert "no-store" in response.headers.get("Cache-Control", ""), path


def test_signed_in_json_is_not_stored(login_as):
    client = login_as("admin")
    response = client.get("/healthz")
    assert "no-store" in response.headers.get("Cache-Control", "")


@pytest.mark.parametrize("path", ["/", "/login", "/about"])
def test_public_html_is_not_stored(client, path):
    assert "no-store" in client.get(path).headers.get("Cache-Control", "")


def test_pictures_are_cached_for_a_long_time(login_as):
    client = login_as("person")
    response = client.get("/pictures/openmoji/1F3E0.svg")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    cache = response.headers["Cache-Control"]
    assert "no-store" not in cache
    max_age = re.search(r"max-age=(\d+)", cache)
    assert max_age and int(max_age[1]) >= 86400


@pytest.mark.parametrize("path", ["/static/css/portal.css", "/static/js/portal.js"])
def test_static_files_may_be_cached(login_as, path):
    client = login_as("person")
    response = client.get(path)
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")


@pytest.mark.parametrize("hexcode", ["../../etc/passwd", "1f3e0", "ZZZZ", "1F3E0-", "FFFFF"])
def test_only_real_pictures_are_served(client, hexcode):
    assert client.get(f"/pictures/openmoji/{hexcode}.svg").status_code == 404


# --- templates ----------------------------------------------------------------------------

OTHER_HOST = re.compile(r"^\s*(https?:)?//", re.IGNORECASE)


def _template_soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_templates_were_found():
    assert len(TEMPLATES) >= 10


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(PROJECT_ROOT)))
def test_template_has_no_inline_script(template):
    soup = _template_soup(template)
    for script in soup.find_all("script"):
        assert script.get("src"), f"inline <script> in {template.name}"
        assert not script.get_text(strip=True), f"<script src> with content in {template.name}"
    text = re.sub(r"\{#.*?#\}", "", template.read_text(encoding="utf-8"), flags=re.DOTALL)
    assert not re.search(r"<[a-zA-Z][^>]*\son[a-z]+\s*=", text), f"on*= handler in {template.name}"
    assert not re.search(r"=\s*[\"']?\s*javascript:", text, re.IGNORECASE), template.name


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(PROJECT_ROOT)))
def test_template_loads_nothing_from_another_host(template):
    soup = _template_soup(template)
    for tag, attribute in (
        ("script", "src"),
        ("link", "href"),
        ("img", "src"),
        ("img", "srcset"),
        ("source", "src"),
        ("audio", "src"),
        ("video", "src"),
        ("iframe", "src"),
    ):
        for element in soup.find_all(tag):
            value = element.get(attribute) or ""
            assert not OTHER_HOST.match(value), f"<{tag} {attribute}={value!r}> in {template.name}"


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(PROJECT_ROOT)))
def test_template_has_no_inline_style(template):
    # style-src 'self' would block it, so it would silently not apply.
    soup = _template_soup(template)
    assert soup.find("style") is None, template.name
    assert soup.find(attrs={"style": True}) is None, template.name


def test_stylesheet_loads_nothing_from_another_host():
    for css in (PROJECT_ROOT / "portal" / "static").rglob("*.css"):
        text = css.read_text(encoding="utf-8")
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", text), css.name
        assert "@import" not in text, css.name


def test_rendered_pages_load_only_from_this_site(login_as):
    client = login_as("admin")
    for path in ("/admin", "/about", "/settings"):
        soup = BeautifulSoup(client.get(path).get_data(as_text=True), "html.parser")
        for element in soup.find_all(["script", "link", "img"]):
            value = element.get("src") or element.get("href") or ""
            assert value.startswith("/") and not value.startswith("//"), (path, value)


# --- no caching of personal answers, whatever the status -------------------------------------


@pytest.mark.parametrize("role", DEMO_ROLES)
def test_every_signed_in_answer_is_not_stored(login_as, role):
    """Refusals, "not found" and redirects too: a shared tablet's cache keeps nothing."""
    client = login_as(role)
    for endpoint, (path, _expected) in ACCESS_MATRIX.items():
        if endpoint in PUBLIC_FILE_ENDPOINTS:
            continue
        response = client.get(path)
        assert "no-store" in response.headers.get("Cache-Control", ""), (role, path)
        assert_strict_csp(response)


def test_a_persons_own_pages_and_files_are_not_stored(app, login_as):
    from portal.content.store import load_content
    from tests.test_conversations import start

    with app.app_context():
        load_content()
        db.session.remove()
    person = login_as("person")
    conversation_id, question = start(person, "what-matters")
    for path in (question, f"/conversations/{conversation_id}/summary",
                 f"/conversations/{conversation_id}/summary.pdf", "/me/", "/me/circle"):
        response = person.get(path)
        assert response.status_code == 200, path
        assert "no-store" in response.headers["Cache-Control"], path
        assert_strict_csp(response)
        assert_basic_headers(response)


def test_stay_signed_in_is_not_stored(login_as):
    client = login_as("admin")
    token = csrf_token_in(client.get("/admin").get_data(as_text=True))
    response = client.post("/session/keep-alive", headers={"X-CSRFToken": token})
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]
    assert_strict_csp(response)


# --- the session cookie, every time it is set ----------------------------------------------------


def _session_cookie(response) -> str:
    found = [h for h in response.headers.getlist("Set-Cookie") if h.startswith("session=")]
    assert found, "no session cookie set"
    return found[0]


def test_the_refreshed_session_cookie_keeps_its_flags(login_as):
    """The session is written on every page (the idle clock): each time HttpOnly and Lax."""
    client = login_as("practitioner")
    cookie = _session_cookie(client.get("/practitioner"))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # testing runs on plain http


def test_the_session_cookie_is_secure_in_production(make_app):
    from tests.conftest import seeded

    production = seeded(make_app({"ENVIRONMENT": "production", "SECRET_KEY": "p" * 40,
                                  "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"}))
    client = production.test_client()
    https = {"base_url": "https://localhost"}
    token = csrf_token_in(client.get("/login", **https).get_data(as_text=True))
    response = client.post("/login", data={"csrf_token": token, "username": "demo-admin",
                                           "password": "demo-password"},
                           headers={"Referer": "https://localhost/login"}, **https)
    assert response.status_code == 302
    cookie = _session_cookie(response)  # half signed in: the session holds who is waiting
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    # An admin in production sets up the second step before reaching anything
    # (portal/second_step); the cookie that then signs them in has the same flags.
    assert response.headers["Location"].startswith("/sign-in/second-step/set-up")
    page = client.get("/sign-in/second-step/set-up", **https).get_data(as_text=True)
    secret = re.search(r'id="second-step-key">([^<]+)<', page)[1].replace(" ", "")
    response = client.post("/sign-in/second-step/set-up",
                           data={"csrf_token": csrf_token_in(page),
                                 "code": pyotp.TOTP(secret).now()},
                           headers={"Referer": "https://localhost/sign-in/second-step/set-up"},
                           **https)
    assert response.status_code == 200  # the backup codes, shown once
    cookie = _session_cookie(response)
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    admin_page = client.get("/admin", **https)
    assert admin_page.status_code == 200
    cookie = _session_cookie(admin_page)
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
