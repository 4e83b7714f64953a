"""The whole way into service (issue 15), as the README's "Production" section walks it:
the first admin is made by the command line with PORTAL_ENV=production; the admin opens
their set-up link and chooses a password; signs in and makes a practitioner; the
practitioner chooses their password and signs in; the admin deactivates them, and the
practitioner's open session is refused on its next request. In Welsh and in English.

The command runs with the production configuration. The pages run with the testing one
on the same database: production cookies are Secure (HTTPS only) and production will ask
admins for a second step (another part of issue 15), neither of which the test client
has; the pages themselves are the same."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from portal.core.extensions import db
from tests.conftest import sign_in

BASE = "http://localhost:5000"
SECRET = "a-production-secret-of-more-than-32-characters"  # noqa: S105 - a test value
WORDS = {
    "en": {"choose": "Choose your password", "saved": "Your password is saved",
           "deactivated": "The account is deactivated"},
    "cy": {"choose": "Dewiswch eich cyfrinair", "saved": "Mae eich cyfrinair wedi'i gadw",
           "deactivated": "Mae'r cyfrif wedi'i analluogi"},
}


def words_of(response) -> str:
    return " ".join(BeautifulSoup(response.get_data(as_text=True), "html.parser")
                    .get_text(" ").split())


@pytest.fixture()
def production(make_app, tmp_path):
    url = f"sqlite:///{tmp_path / 'walk.sqlite3'}"
    app = make_app({"ENVIRONMENT": "production", "SECRET_KEY": SECRET, "DATABASE_URL": url})
    with app.app_context():
        db.create_all()
    return app, url


def test_create_admin_works_in_production_and_prints_a_link_not_a_password(production):
    app, _url = production
    assert app.config["ENV_NAME"] == "production"
    result = app.test_cli_runner().invoke(args=["users", "create-admin", "boss",
                                                "--name", "Bo Evans"])
    assert result.exit_code == 0, result.output
    links = re.findall(rf"{re.escape(BASE)}/set-up/\S+", result.output)
    assert len(links) == 1
    assert "password:" not in result.output.lower()


@pytest.mark.parametrize("language", ["en", "cy"])
def test_from_an_empty_database_to_a_leaver_signed_out(production, make_app, language):
    prod, url = production
    words = WORDS[language]
    out = prod.test_cli_runner().invoke(args=["users", "create-admin", "boss"]).output
    admin_link = re.search(rf"{re.escape(BASE)}(/set-up/\S+)", out).group(1)

    app = make_app({"DATABASE_URL": url})  # the pages, on the same database

    # The admin opens their link and chooses a password.
    admin = app.test_client()
    admin.get(f"/language/{language}?next=/about")
    assert words["choose"] in words_of(admin.get(admin_link))
    saved = admin.post_form(admin_link, {"password": "the boss has a long password"})
    assert saved.status_code == 200 and words["saved"] in words_of(saved)
    assert sign_in(admin, "boss", "the boss has a long password").headers["Location"] == "/admin"

    # The admin makes a practitioner; the link page shows the link once, with its QR code.
    made = admin.post_form("/admin/accounts/new", {
        "display_name": "Pat Hughes", "username": "pat", "role": "practitioner", "email": ""})
    assert made.status_code == 200
    soup = BeautifulSoup(made.get_data(as_text=True), "html.parser")
    assert soup.find("html")["lang"] == language
    practitioner_link = soup.select_one(".qr-link a")["href"].removeprefix(BASE)

    # The practitioner chooses a password and signs in.
    pat = app.test_client()
    pat.get(f"/language/{language}?next=/about")
    assert pat.post_form(practitioner_link, {"password": "pat likes long walks"}).status_code \
        == 200
    assert sign_in(pat, "pat", "pat likes long walks").headers["Location"] == "/practitioner"
    assert pat.get("/practitioner").status_code == 200

    # Pat leaves: the admin deactivates the account; Pat's open session is refused.
    with app.app_context():
        from sqlalchemy import select

        from portal.models import User
        pat_id = db.session.scalar(select(User.id).where(User.username == "pat"))
        db.session.remove()
    done = admin.post_form(f"/admin/accounts/{pat_id}/deactivate", follow_redirects=True)
    assert words["deactivated"] in words_of(done)
    refused = pat.get("/practitioner")
    assert refused.status_code == 302 and refused.headers["Location"].startswith("/login")
    assert sign_in(app.test_client(), "pat", "pat likes long walks").status_code == 401


def test_the_users_commands(production):
    app, _url = production
    runner = app.test_cli_runner()
    assert runner.invoke(args=["users", "create-admin", "boss"]).exit_code == 0
    twin = runner.invoke(args=["users", "create-admin", "BOSS"])
    assert twin.exit_code != 0 and "already an account" in twin.output
    assert runner.invoke(args=["users", "create-admin", "has space"]).exit_code != 0
    listed = runner.invoke(args=["users", "list"]).output
    assert "boss\tadmin\twaiting for a password" in listed
    # The only admin cannot be deactivated, even from the command line.
    last = runner.invoke(args=["users", "deactivate", "boss"])
    assert last.exit_code != 0 and "only active admin" in last.output
    assert runner.invoke(args=["users", "create-admin", "deputy"]).exit_code == 0
    reset = runner.invoke(args=["users", "reset", "boss"])
    assert reset.exit_code == 0 and f"{BASE}/set-up/" in reset.output
    gone = runner.invoke(args=["users", "deactivate", "boss"])
    assert gone.exit_code == 0 and "deactivated" in gone.output
    assert "boss\tadmin\tdeactivated" in runner.invoke(args=["users", "list"]).output
    assert runner.invoke(args=["users", "reset", "nobody"]).exit_code != 0
    with app.app_context():
        from sqlalchemy import select

        from portal.models import AuditEntry
        rows = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
        assert [(r.action, r.method, r.user_id) for r in rows] == [
            ("account_created", "CLI", None), ("account_created", "CLI", None),
            ("account_reset", "CLI", None), ("account_deactivated", "CLI", None)]
        assert rows[0].endpoint == "cli:users create-admin"
        db.session.remove()


def test_printed_links_use_the_public_address(make_app, tmp_path):
    app = make_app({"ENVIRONMENT": "production", "SECRET_KEY": SECRET,
                    "BASE_URL": "https://portal.example.gov.wales",
                    "DATABASE_URL": f"sqlite:///{tmp_path / 'public.sqlite3'}"})
    with app.app_context():
        db.create_all()
    output = app.test_cli_runner().invoke(args=["users", "create-admin", "boss"]).output
    assert re.search(r"^https://portal\.example\.gov\.wales/set-up/[A-Za-z0-9_-]{40,}$",
                     output, re.MULTILINE), output
