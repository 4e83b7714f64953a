"""Staff accounts (issue 15): the admin's pages, set-up links, the password rule, the
session version, the last admin, and the audit entry of every action."""

from __future__ import annotations

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from portal.accounts.passwords import common_passwords, password_problem
from portal.core.clock import utcnow
from portal.core.extensions import db
from portal.core.tokens import token_hash
from portal.models import (
    AuditEntry,
    CommissionerArea,
    LoginThrottle,
    Role,
    SetupLink,
    User,
)
from tests.conftest import sign_in

BASE = "http://localhost:5000"
GOOD_PASSWORD = "walrus tea under the bridge"  # noqa: S105 - a test value


def text(html: str) -> str:
    return " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())


def admin_client(app):
    client = app.test_client()
    assert sign_in(client, "demo-admin").status_code == 302
    return client


def link_in(html: str) -> str:
    soup = BeautifulSoup(html, "html.parser")
    link = soup.select_one(".qr-link a")["href"]
    assert soup.select_one(".qr[role=img] svg") is not None
    assert soup.select_one("[data-print]") is not None  # printable
    assert link.startswith(f"{BASE}/set-up/")
    return link.removeprefix(BASE)


def make_account(app, username="sam", role="practitioner", **extra):
    admin = admin_client(app)
    data = {"display_name": "Sam Jones", "username": username, "role": role, "email": ""}
    data.update(extra)
    response = admin.post_form("/admin/accounts/new", data)
    assert response.status_code == 200, text(response.get_data(as_text=True))
    return admin, link_in(response.get_data(as_text=True))


def user(app, username: str) -> User:
    with app.app_context():
        found = db.session.scalar(select(User).where(User.username == username))
        db.session.expunge_all()
        db.session.remove()
    return found


def audit(app, action: str) -> list[AuditEntry]:
    with app.app_context():
        rows = db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)).all()
        db.session.expunge_all()
        db.session.remove()
    return rows


def set_password(app, path: str, password: str = GOOD_PASSWORD):
    holder = app.test_client()
    return holder, holder.post_form(path, {"password": password})


# --- The password rule (pure) ---------------------------------------------------------------


@pytest.mark.parametrize(("password", "problem"), [
    ("short", "at least 10"),
    ("123456789", "at least 10"),
    ("1234567890", "most common"),
    ("PASSWORD12", "most common"),  # any letter case
    ("iloveyou12", "most common"),
    ("sunflower42", None),
    ("qwertyuiop", "most common"),
    ("QwertyUiop", "most common"),
    ("sam-jones-1", "same as your username"),
    (GOOD_PASSWORD, None),
    ("x" * 201, "too long"),
])
def test_the_password_rule(app, password, problem):
    with app.test_request_context():
        found = password_problem(password, "Sam-Jones-1")
        if problem is None:
            assert found is None
        else:
            assert problem in str(found)


def test_no_composition_rules_and_a_real_common_list():
    assert password_problem("all lower case words here") is None  # NCSC: no composition rules
    assert len(common_passwords()) > 10_000
    assert {"password1234", "1234567890"} <= common_passwords()


# --- Creating an account ----------------------------------------------------------------------


@pytest.mark.parametrize("role", ["practitioner", "facilitator", "commissioner", "supporter",
                                  "admin"])
def test_an_admin_creates_each_kind_of_staff_account(app, demo, role):
    _admin, path = make_account(app, f"new-{role}", role)
    made = user(app, f"new-{role}")
    assert made.role == role and made.active and not made.has_password
    token = path.rsplit("/", 1)[1]
    with app.app_context():
        link = db.session.scalar(select(SetupLink).where(SetupLink.user_id == made.id))
        assert link.token_hash == token_hash(token) and token not in link.token_hash
        assert timedelta(hours=71) < link.expires_at - link.created_at <= timedelta(hours=72)
        db.session.remove()
    [entry] = audit(app, "account_created")
    assert entry.account_id == made.id and entry.role == "admin" and entry.person_id is None


def test_a_commissioner_is_made_with_their_areas(app, demo):
    with app.app_context():
        from portal.models import Region
        region = db.session.scalar(select(Region).order_by(Region.id))
        region_id, la_id = region.id, region.local_authorities[0].id
        db.session.remove()
    make_account(app, "comm", "commissioner", areas=[f"region:{region_id}", f"la:{la_id}",
                                                        "la:999999"])
    made = user(app, "comm")
    with app.app_context():
        areas = db.session.scalars(select(CommissionerArea).where(
            CommissionerArea.user_id == made.id)).all()
        assert {(a.region_id, a.local_authority_id) for a in areas} == {
            (region_id, None), (None, la_id)}
        db.session.remove()


@pytest.mark.parametrize(("language", "words"), [
    ("en", "That username is taken"),
    ("cy", "Mae'r enw defnyddiwr yma wedi'i gymryd")])
def test_a_duplicate_username_in_any_case_is_refused_and_nothing_typed_is_lost(
        app, demo, language, words):
    admin = admin_client(app)
    admin.get(f"/language/{language}?next=/about")
    response = admin.post_form("/admin/accounts/new", {
        "display_name": "Another Practitioner", "username": "DEMO-Practitioner",
        "role": "facilitator", "email": "another@example.org"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert words in text(html)
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select_one("#display_name")["value"] == "Another Practitioner"
    assert soup.select_one("#username")["value"] == "DEMO-Practitioner"
    assert soup.select_one("#email")["value"] == "another@example.org"
    assert soup.select_one("#role option[selected]")["value"] == "facilitator"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User).where(
            func.lower(User.username) == "demo-practitioner")) == 1
        db.session.remove()


def test_the_database_refuses_a_username_differing_only_in_case(app, demo):
    with app.app_context():
        twin = User(username="Demo-Admin", role=Role.ADMIN, display_name="Twin")
        twin.clear_password()
        db.session.add(twin)
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()
        db.session.remove()


@pytest.mark.parametrize(("data", "field"), [
    ({"username": "has space"}, "username"),
    ({"username": "x"}, "username"),
    ({"role": "person"}, "role"),  # a person's account comes with adding the person
    ({"role": "emperor"}, "role"),
    ({"email": "not an email"}, "email"),
    ({"display_name": ""}, "display_name"),
])
def test_bad_input_is_explained_field_by_field(app, demo, data, field):
    admin = admin_client(app)
    sent = {"display_name": "Sam", "username": "sam", "role": "practitioner", "email": ""}
    sent.update(data)
    response = admin.post_form("/admin/accounts/new", sent)
    assert response.status_code == 400
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert soup.select_one(f".error-summary a[href='#{field}']") is not None
    assert user(app, "sam") is None


# --- The set-up link ------------------------------------------------------------------------


@pytest.mark.parametrize(("language", "words"), [
    ("en", "Choose your password"), ("cy", "Dewiswch eich cyfrinair")])
def test_the_set_up_page_has_show_password_and_allows_paste(app, demo, language, words):
    _admin, path = make_account(app)
    holder = app.test_client()
    holder.get(f"/language/{language}?next=/about")
    response = holder.get(path)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert words in text(html)
    assert 'data-show-password="password"' in html
    assert 'autocomplete="new-password"' in html
    assert "onpaste" not in html.lower()


@pytest.mark.parametrize(("password", "language", "words"), [
    ("short", "en", "at least 10 characters"),
    ("short", "cy", "o leiaf 10 nod"),
    ("1234567890", "en", "one of the most common passwords"),
    ("1234567890", "cy", "un o'r cyfrineiriau mwyaf cyffredin"),
])
def test_a_weak_password_is_refused_and_the_link_still_works(app, demo, password, language,
                                                              words):
    _admin, path = make_account(app)
    holder = app.test_client()
    holder.get(f"/language/{language}?next=/about")
    response = holder.post_form(path, {"password": password})
    assert response.status_code == 400
    assert words in text(response.get_data(as_text=True))
    assert not user(app, "sam").has_password
    assert holder.get(path).status_code == 200


def test_the_holder_chooses_a_password_once_and_signs_in(app, demo):
    _admin, path = make_account(app)
    holder, response = set_password(app, path)
    assert response.status_code == 200
    assert "Your password is saved" in text(response.get_data(as_text=True))
    assert sign_in(holder, "sam", GOOD_PASSWORD).headers["Location"] == "/practitioner"
    [entry] = audit(app, "password_set")
    assert entry.account_id == user(app, "sam").id
    # Used: the same link changes nothing now.
    again = app.test_client().post_form(path, {"password": "another long password"})
    assert again.status_code == 410
    assert sign_in(app.test_client(), "sam", "another long password").status_code == 401


@pytest.mark.parametrize(("language", "words"), [
    ("en", "Ask the admin who runs the portal for you"),
    ("cy", "Gofynnwch i'r gweinyddwr sy'n rhedeg y porth i chi")])
def test_unknown_expired_and_used_links_get_a_kind_page(app, demo, language, words):
    _admin, path = make_account(app)
    visitor = app.test_client()
    visitor.get(f"/language/{language}?next=/about")
    unknown = visitor.get("/set-up/not-a-real-token")
    assert unknown.status_code == 404 and words in text(unknown.get_data(as_text=True))
    with app.app_context():
        link = db.session.scalar(select(SetupLink))
        link.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
        db.session.remove()
    expired = visitor.post_form(path, {"password": GOOD_PASSWORD})
    assert expired.status_code == 410 and words in text(expired.get_data(as_text=True))
    assert not user(app, "sam").has_password
    assert audit(app, "password_set") == []


# --- Reset, deactivate, reactivate, unlock --------------------------------------------------


def test_a_reset_ends_the_old_password_and_every_session(app, demo):
    _admin, path = make_account(app)
    holder, _ = set_password(app, path)
    sign_in(holder, "sam", GOOD_PASSWORD)
    assert holder.get("/practitioner").status_code == 200
    sam = user(app, "sam")
    admin = admin_client(app)
    response = admin.post_form(f"/admin/accounts/{sam.id}/reset")
    assert response.status_code == 200
    new_path = link_in(response.get_data(as_text=True))
    # The open session is refused on its next request; the old password no longer works.
    refused = holder.get("/practitioner")
    assert refused.status_code == 302 and refused.headers["Location"].startswith("/login")
    assert sign_in(app.test_client(), "sam", GOOD_PASSWORD).status_code == 401
    # The new link works; the old one (used) does not.
    assert app.test_client().get(path).status_code == 410
    fresh, response = set_password(app, new_path, "a brand new long password")
    assert response.status_code == 200
    assert sign_in(fresh, "sam", "a brand new long password").status_code == 302
    [entry] = audit(app, "account_reset")
    assert entry.account_id == sam.id


def test_a_new_link_stops_the_earlier_unused_one(app, demo):
    _admin, first = make_account(app)
    sam = user(app, "sam")
    response = admin_client(app).post_form(f"/admin/accounts/{sam.id}/reset")
    second = link_in(response.get_data(as_text=True))
    assert app.test_client().get(first).status_code == 410
    assert app.test_client().get(second).status_code == 200


def practitioner_id(app) -> int:
    return user(app, "demo-practitioner").id


def test_deactivating_signs_out_everywhere_and_shows_what_they_held(app, demo):
    device_one, device_two = app.test_client(), app.test_client()
    for device in (device_one, device_two):
        sign_in(device, "demo-practitioner")
        assert device.get("/practitioner").status_code == 200
    admin = admin_client(app)
    uid = practitioner_id(app)
    response = admin.post_form(f"/admin/accounts/{uid}/deactivate", follow_redirects=True)
    page = text(response.get_data(as_text=True))
    assert "The account is deactivated" in page
    assert "1 person on their list" in page and "Alex" in page  # to hand over
    for device in (device_one, device_two):
        refused = device.get("/practitioner")
        assert refused.status_code == 302 and refused.headers["Location"].startswith("/login")
    # Signing in: the same message as a wrong password; the records stay.
    tried = sign_in(app.test_client(), "demo-practitioner")
    assert tried.status_code == 401
    assert "Your username or password is not right" in text(tried.get_data(as_text=True))
    assert user(app, "demo-practitioner") is not None
    [entry] = audit(app, "account_deactivated")
    assert entry.account_id == uid and entry.role == "admin"


def test_a_deactivated_accounts_link_does_not_work(app, demo):
    _admin, path = make_account(app)
    sam = user(app, "sam")
    admin_client(app).post_form(f"/admin/accounts/{sam.id}/deactivate")
    assert app.test_client().get(path).status_code == 410


def test_reactivating_lets_the_account_sign_in_again(app, demo):
    old_device = app.test_client()
    sign_in(old_device, "demo-practitioner")
    admin = admin_client(app)
    uid = practitioner_id(app)
    admin.post_form(f"/admin/accounts/{uid}/deactivate")
    response = admin.post_form(f"/admin/accounts/{uid}/reactivate", follow_redirects=True)
    assert "The account works again" in text(response.get_data(as_text=True))
    assert sign_in(app.test_client(), "demo-practitioner").status_code == 302
    # A session from before the deactivation does not come back with the account.
    assert old_device.get("/practitioner").status_code == 302
    [entry] = audit(app, "account_reactivated")
    assert entry.account_id == uid


def test_an_admin_unlocks_a_throttled_sign_in(app, demo):
    with app.app_context():
        db.session.add(LoginThrottle(username="demo-practitioner", failures=9))
        db.session.commit()
        db.session.remove()
    assert sign_in(app.test_client(), "demo-practitioner").status_code == 429
    admin = admin_client(app)
    uid = practitioner_id(app)
    page = admin.get(f"/admin/accounts/{uid}").get_data(as_text=True)
    assert "Unlock sign-in" in text(page)
    response = admin.post_form(f"/admin/accounts/{uid}/unlock", follow_redirects=True)
    assert "Sign-in is unlocked" in text(response.get_data(as_text=True))
    assert sign_in(app.test_client(), "demo-practitioner").status_code == 302
    [entry] = audit(app, "sign_in_unlocked")
    assert entry.account_id == uid


@pytest.mark.parametrize(("language", "words"), [
    ("en", "This is the only active admin account"),
    ("cy", "Dyma'r unig gyfrif gweinyddwr gweithredol")])
def test_the_last_active_admin_cannot_be_deactivated_or_demoted(app, demo, language, words):
    admin = admin_client(app)
    admin.get(f"/language/{language}?next=/about")
    uid = user(app, "demo-admin").id
    refused = admin.post_form(f"/admin/accounts/{uid}/deactivate")
    assert refused.status_code == 409 and words in text(refused.get_data(as_text=True))
    demoted = admin.post_form(f"/admin/accounts/{uid}/edit", {
        "display_name": "Admin", "role": "practitioner", "email": ""})
    assert demoted.status_code == 400 and words in text(demoted.get_data(as_text=True))
    still = user(app, "demo-admin")
    assert still.active and still.role == "admin"
    assert audit(app, "account_deactivated") == [] and audit(app, "account_changed") == []


def test_with_a_second_admin_one_can_leave(app, demo):
    _admin, path = make_account(app, "second-admin", "admin")
    set_password(app, path)
    second = app.test_client()
    sign_in(second, "second-admin", GOOD_PASSWORD)
    uid = user(app, "demo-admin").id
    assert second.post_form(f"/admin/accounts/{uid}/deactivate").status_code == 302
    assert not user(app, "demo-admin").active
    # And now the second admin is the last one.
    own = user(app, "second-admin").id
    assert second.post_form(f"/admin/accounts/{own}/deactivate").status_code == 409


def test_an_admin_changes_name_role_and_email(app, demo):
    admin = admin_client(app)
    uid = practitioner_id(app)
    response = admin.post_form(f"/admin/accounts/{uid}/edit", {
        "display_name": "Dr Practitioner", "role": "facilitator", "email": "dr@example.org"})
    assert response.status_code == 302
    changed = user(app, "demo-practitioner")
    assert (changed.display_name, changed.role, changed.email) == (
        "Dr Practitioner", "facilitator", "dr@example.org")
    [entry] = audit(app, "account_changed")
    assert entry.account_id == uid


def test_the_list_and_account_pages(app, demo):
    admin = admin_client(app)
    page = text(admin.get("/admin/accounts/").get_data(as_text=True))
    assert "demo-practitioner" in page and "demo-person" not in page  # staff only
    person = user(app, "demo-person")
    assert admin.get(f"/admin/accounts/{person.id}").status_code == 404
    assert admin.get("/admin").get_data(as_text=True).count("/admin/accounts/") >= 1


def test_account_pages_in_welsh(app, demo):
    admin = admin_client(app)
    admin.get("/language/cy?next=/about")
    assert "Cyfrifon staff" in text(admin.get("/admin/accounts/").get_data(as_text=True))
    assert "Gwneud cyfrif newydd" in text(admin.get("/admin/accounts/new").get_data(as_text=True))
    uid = practitioner_id(app)
    page = text(admin.get(f"/admin/accounts/{uid}").get_data(as_text=True))
    assert "Analluogi'r cyfrif" in page and "1 person ar eu rhestr" in page


def test_the_audit_log_page_names_the_account_acted_on(app, demo):
    admin = admin_client(app)
    uid = practitioner_id(app)
    admin.post_form(f"/admin/accounts/{uid}/deactivate")
    page = admin.get("/admin/audit?action=account_deactivated")
    soup = BeautifulSoup(page.get_data(as_text=True), "html.parser")
    cells = [td.get_text(strip=True) for td in soup.select("tbody tr td")]
    assert "Account deactivated" in cells and "demo-practitioner" in cells
    assert "demo-admin" in cells


def test_a_deactivated_account_gets_no_new_link_until_reactivated(app, demo):
    admin = admin_client(app)
    uid = practitioner_id(app)
    admin.post_form(f"/admin/accounts/{uid}/deactivate")
    response = admin.post_form(f"/admin/accounts/{uid}/reset")
    assert response.status_code == 302
    assert user(app, "demo-practitioner").has_password  # nothing changed
    assert audit(app, "account_reset") == []


def test_the_link_pages_are_never_cached(app, demo):
    admin = admin_client(app)
    made = admin.post_form("/admin/accounts/new", {
        "display_name": "Sam", "username": "sam", "role": "supporter", "email": ""})
    assert made.headers["Cache-Control"] == "no-store"
    path = link_in(made.get_data(as_text=True))
    opened = app.test_client().get(path)
    assert opened.headers["Cache-Control"] == "no-store"
    assert opened.headers["Referrer-Policy"] == "same-origin"  # the token stays on this site
