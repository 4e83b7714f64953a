"""Staff sign-in's second step (issue 15): a code app and backup codes; half signed in
until it passes; required for admins and commissioners in production only; an admin's
reset of a lost one is audited. In Welsh and English."""

from __future__ import annotations

import html as html_module
import re
import time
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pyotp
import pytest
from sqlalchemy import select

from portal.core.extensions import db
from portal.models import AuditEntry, BackupCode, SecondStep, User
from portal.second_step import codes, half_signed_in, store
from tests.conftest import seeded, sign_in
from tests.pages import csrf_token_in, heading
from tests.test_access import ACCESS_MATRIX, LOGIN, OK

REQUIRED = ("admin", "commissioner")
WELSH = {
    "code_page": "Teipiwch eich cod",
    "set_up": "Gosod ail gam i fewngofnodi",
    "wrong": "Dydy'r cod yna ddim yn iawn.",
    "backup": "Eich codau wrth gefn",
}
ENGLISH = {
    "code_page": "Type your code",
    "set_up": "Set up a second step to sign in",
    "wrong": "That code is not right.",
    "backup": "Your backup codes",
}
LANGUAGES = {"en": ENGLISH, "cy": WELSH}


# The portal's clock, held in the middle of a 30-second slot for each test: a code worked
# out here is for the slot the portal is in, however long the test takes.
NOW = datetime.fromtimestamp((int(time.time()) // 30) * 30 + 15, UTC)


@pytest.fixture(autouse=True)
def held_clock(monkeypatch):
    monkeypatch.setattr(store, "_now", lambda: NOW)


@pytest.fixture()
def strict(make_app):
    """A testing app where admins and commissioners must have a second step, as in
    production (the production settings themselves are tested below)."""
    return seeded(make_app({"SECOND_STEP_REQUIRED_ROLES": REQUIRED}))


def _client(app, language: str = "en"):
    client = app.test_client()
    client.set_cookie("portal_lang", language)
    return client


def _text(response) -> str:
    """The page's text with entities read, so a Welsh apostrophe matches either way."""
    return html_module.unescape(response.get_data(as_text=True))


def _key(html: str) -> str:
    return re.search(r'id="second-step-key">([^<]+)<', html)[1].replace(" ", "")


def _backup_codes(html: str) -> list[str]:
    return re.findall(r"<li><code>([a-z0-9-]+)</code></li>", html)


def _code_for(secret: str, step_offset: int = 0) -> str:
    return pyotp.TOTP(secret).at(NOW + timedelta(seconds=30 * step_offset))


def _enrol(client, username: str = "demo-admin") -> tuple[str, list[str]]:
    """Sign in with the password, set the app up; (secret, backup codes)."""
    response = sign_in(client, username)
    assert urlsplit(response.headers["Location"]).path == "/sign-in/second-step/set-up"
    secret = _key(client.get("/sign-in/second-step/set-up").get_data(as_text=True))
    response = client.post_form("/sign-in/second-step/set-up", {"code": _code_for(secret)})
    assert response.status_code == 200
    return secret, _backup_codes(response.get_data(as_text=True))


def _sign_out(client):
    client.post_form("/logout")


def _user(app, username: str) -> User:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        db.session.expunge(user)
        return user


# --- the rules, without Flask -------------------------------------------------------------


def test_a_code_is_right_in_its_slot_and_the_slots_either_side_only():
    secret = codes.new_secret()
    now = datetime.now(UTC)
    step = codes.time_step(now)
    totp = pyotp.TOTP(secret)
    assert codes.matching_step(secret, totp.at(now), now, 0) == step
    assert codes.matching_step(secret, totp.at(now - timedelta(seconds=30)), now, 0) == step - 1
    assert codes.matching_step(secret, totp.at(now - timedelta(seconds=90)), now, 0) is None
    assert codes.matching_step(secret, "12345x", now, 0) is None
    assert codes.matching_step(secret, "", now, 0) is None


def test_a_code_cannot_be_used_twice_in_its_window():
    secret = codes.new_secret()
    now = datetime.now(UTC)
    code = pyotp.TOTP(secret).at(now)
    used = codes.matching_step(secret, code, now, 0)
    assert codes.matching_step(secret, code, now, used) is None
    # ...nor an older code from the window once a newer one signed in.
    older = pyotp.TOTP(secret).at(now - timedelta(seconds=30))
    assert codes.matching_step(secret, older, now, used) is None


def test_backup_codes_are_random_readable_and_typed_any_way():
    made = codes.new_backup_codes()
    assert len(made) == 10 == len(set(made))
    for code in made:
        assert re.fullmatch(r"[a-z2-9]{4}(-[a-z2-9]{4}){3}", code)
        assert not set(code) & set("01ilo")
        assert codes.looks_like_backup_code(code.upper().replace("-", " "))
        assert codes.backup_code_hash(code.upper().replace("-", "")) == codes.backup_code_hash(code)
    assert not codes.looks_like_backup_code("123456")


# --- who must have one --------------------------------------------------------------------


def test_production_requires_it_for_admins_and_commissioners(make_app):
    production = make_app({"ENVIRONMENT": "production", "SECRET_KEY": "p" * 40})
    assert set(production.config["SECOND_STEP_REQUIRED_ROLES"]) == {"admin", "commissioner"}
    for environment in ("development", "testing"):
        assert make_app({"ENVIRONMENT": environment}).config["SECOND_STEP_REQUIRED_ROLES"] == ()


@pytest.mark.parametrize(("username", "goes_to"), [
    ("demo-admin", "/sign-in/second-step/set-up"),
    ("demo-commissioner", "/sign-in/second-step/set-up"),
    ("demo-practitioner", "/practitioner"),
    ("demo-facilitator", "/facilitator"),
    ("demo-supporter", "/supporter"),
    ("demo-person", "/me/"),
])
def test_in_production_admins_and_commissioners_set_it_up_first(make_app, username, goes_to):
    production = seeded(make_app({"ENVIRONMENT": "production", "SECRET_KEY": "p" * 40}))
    client = production.test_client()
    https = {"base_url": "https://localhost"}
    token = csrf_token_in(client.get("/login", **https).get_data(as_text=True))
    response = client.post("/login", data={"csrf_token": token, "username": username,
                                           "password": "demo-password"},
                           headers={"Referer": "https://localhost/login"}, **https)
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == goes_to


@pytest.mark.parametrize("role", ["admin", "commissioner", "practitioner"])
def test_in_development_and_testing_the_demo_accounts_need_only_their_password(client, role):
    response = sign_in(client, f"demo-{role}")
    assert response.status_code == 302
    assert not response.headers["Location"].startswith("/sign-in/second-step")
    assert client.get(response.headers["Location"]).status_code == 200


# --- setting up and signing in, in both languages -----------------------------------------


@pytest.mark.parametrize("language", ["en", "cy"])
def test_set_up_then_sign_in_with_the_apps_code(strict, language):
    words = LANGUAGES[language]
    client = _client(strict, language)
    sign_in(client, "demo-admin")
    page = client.get("/sign-in/second-step/set-up")
    html = page.get_data(as_text=True)
    assert heading(html) == words["set_up"]
    assert "<svg" in html  # the QR code for the phone's app
    secret = _key(html)
    wrong = client.post_form("/sign-in/second-step/set-up", {"code": "000000"})
    assert wrong.status_code == 401
    assert words["wrong"] in _text(wrong)
    assert _key(wrong.get_data(as_text=True)) == secret  # the same app key while setting up
    done = client.post_form("/sign-in/second-step/set-up", {"code": _code_for(secret)})
    assert done.status_code == 200
    assert "no-store" in done.headers["Cache-Control"]  # the codes are on this page only
    assert heading(done.get_data(as_text=True)) == words["backup"]
    assert len(_backup_codes(done.get_data(as_text=True))) == 10
    assert client.get("/admin").status_code == 200  # signed in now

    _sign_out(client)
    response = sign_in(client, "demo-admin")
    assert urlsplit(response.headers["Location"]).path == "/sign-in/second-step"
    page = client.get("/sign-in/second-step")
    assert heading(page.get_data(as_text=True)) == words["code_page"]
    assert client.get("/admin").status_code == 302  # not yet
    # The next slot's code: the set-up used this slot's, which cannot sign in twice.
    response = client.post_form("/sign-in/second-step", {"code": _code_for(secret, 1)})
    assert (response.status_code, response.headers["Location"]) == (302, "/admin")
    assert client.get("/admin").status_code == 200


def test_the_page_asked_for_is_reached_after_the_second_step(strict):
    client = _client(strict)
    secret, _made = _enrol(client)
    _sign_out(client)
    response = client.get("/admin/content")
    response = client.post_form(response.headers["Location"],
                                {"username": "demo-admin", "password": "demo-password"})
    assert urlsplit(response.headers["Location"]).path == "/sign-in/second-step"
    response = client.post_form(response.headers["Location"], {"code": _code_for(secret, 1)})
    assert (response.status_code, response.headers["Location"]) == (302, "/admin/content")


@pytest.mark.parametrize("language", ["en", "cy"])
def test_a_code_that_signed_in_does_not_sign_in_again(strict, language):
    client = _client(strict, language)
    secret, _made = _enrol(client)
    _sign_out(client)
    sign_in(client, "demo-admin")
    code = _code_for(secret, 1)
    assert client.post_form("/sign-in/second-step", {"code": code}).status_code == 302
    _sign_out(client)
    sign_in(client, "demo-admin")
    again = client.post_form("/sign-in/second-step", {"code": code})
    assert again.status_code == 401
    assert LANGUAGES[language]["wrong"] in _text(again)
    assert client.get("/admin").status_code == 302


@pytest.mark.parametrize("language", ["en", "cy"])
def test_a_backup_code_works_once(strict, language):
    client = _client(strict, language)
    _secret, made = _enrol(client)
    _sign_out(client)
    sign_in(client, "demo-admin")
    typed = made[3].upper().replace("-", " ")  # read off paper: case and spaces do not matter
    response = client.post_form("/sign-in/second-step", {"code": typed})
    assert (response.status_code, response.headers["Location"]) == (302, "/admin")
    _sign_out(client)
    sign_in(client, "demo-admin")
    again = client.post_form("/sign-in/second-step", {"code": made[3]})
    assert again.status_code == 401
    assert LANGUAGES[language]["wrong"] in _text(again)
    with strict.app_context():
        hashes = list(db.session.scalars(select(BackupCode.code_hash)))
        assert len(hashes) == 10
        assert not any(code.replace("-", "") in h or code in h for h in hashes for code in made)


def test_nothing_is_stored_in_the_clear_but_the_apps_secret(strict):
    client = _client(strict)
    secret, made = _enrol(client)
    with strict.app_context():
        stored = db.session.scalar(select(SecondStep))
        assert stored.totp_secret == secret  # needed to work the code out (RFC 6238)
        for code in made:
            assert db.session.scalar(select(BackupCode).where(
                BackupCode.code_hash == codes.backup_code_hash(code))) is not None


# --- half signed in -----------------------------------------------------------------------


def test_half_signed_in_reaches_no_page_a_visitor_cannot(strict):
    """Between the password and the code, every page answers as for a signed-out visitor."""
    client = _client(strict)
    _enrol(client)
    _sign_out(client)
    sign_in(client, "demo-admin")
    checked = 0
    for endpoint, (path, expected) in ACCESS_MATRIX.items():
        if endpoint.startswith("second_step.") or expected[None] != LOGIN:
            continue
        response = client.get(path)
        assert response.status_code == 302, path
        assert urlsplit(response.headers["Location"]).path == "/login", path
        checked += 1
    assert checked > 50
    # ...and the step itself is still waiting.
    assert client.get("/sign-in/second-step").status_code == OK


def test_half_signed_in_without_a_second_step_reaches_nothing_either(strict):
    client = _client(strict)
    sign_in(client, "demo-commissioner")
    for path in ("/commissioner", "/commissioner/results", "/account/second-step", "/admin"):
        response = client.get(path)
        assert urlsplit(response.headers["Location"]).path == "/login", path


@pytest.mark.parametrize("language", ["en", "cy"])
def test_half_signed_in_runs_out(strict, monkeypatch, language):
    client = _client(strict, language)
    secret, _made = _enrol(client)
    _sign_out(client)
    sign_in(client, "demo-admin")
    later = time.time() + half_signed_in.PENDING_SECONDS + 5
    monkeypatch.setattr(half_signed_in.time, "time", lambda: later)
    response = client.post_form("/sign-in/second-step", {"code": _code_for(secret, 1)})
    assert response.status_code == 200
    expected = {"en": "You took too long.", "cy": "Mae gormod o amser wedi mynd heibio."}
    assert expected[language] in _text(response)
    assert client.get("/admin").status_code == 302


def test_the_code_page_asks_for_the_password_first(strict):
    response = _client(strict).get("/sign-in/second-step")
    assert response.status_code == 200
    assert "Please type your username and password first." in _text(response)


@pytest.mark.parametrize("language", ["en", "cy"])
def test_wrong_codes_are_throttled_like_sign_in(strict, language):
    client = _client(strict, language)
    secret, _made = _enrol(client)
    _sign_out(client)
    sign_in(client, "demo-admin")
    free = strict.config["LOGIN_FREE_FAILURES"]
    for _ in range(free + 1):
        client.post_form("/sign-in/second-step", {"code": "000000"})
    response = client.post_form("/sign-in/second-step", {"code": _code_for(secret, 1)})
    assert response.status_code == 429
    expected = {"en": "You have tried many times.", "cy": "Rydych chi wedi ceisio lawer gwaith."}
    assert expected[language] in _text(response)
    assert client.get("/admin").status_code == 302


def test_a_wrong_code_is_a_failed_sign_in_in_the_audit_log(strict):
    client = _client(strict)
    _enrol(client)
    _sign_out(client)
    sign_in(client, "demo-admin")
    client.post_form("/sign-in/second-step", {"code": "000000"})
    with strict.app_context():
        entries = list(db.session.scalars(select(AuditEntry).where(
            AuditEntry.endpoint == "second_step.code")))
        assert [(e.action, e.user_id) for e in entries] == [("sign_in_failed", None)]


# --- optional for other staff: their own account page ----------------------------------------


@pytest.mark.parametrize("language", ["en", "cy"])
def test_a_practitioner_turns_it_on_and_a_wrong_code_does_not_turn_it_off(client, language):
    client.set_cookie("portal_lang", language)
    sign_in(client, "demo-practitioner")
    page = client.get("/account/second-step")
    titles = {"en": "Second step at sign-in", "cy": "Ail gam wrth fewngofnodi"}
    assert heading(page.get_data(as_text=True)) == titles[language]
    secret = _key(client.get("/account/second-step/set-up").get_data(as_text=True))
    done = client.post_form("/account/second-step/set-up", {"code": _code_for(secret)})
    assert len(_backup_codes(done.get_data(as_text=True))) == 10
    _sign_out(client)
    response = sign_in(client, "demo-practitioner")
    assert urlsplit(response.headers["Location"]).path == "/sign-in/second-step"
    client.post_form("/sign-in/second-step", {"code": _code_for(secret, 1)})
    assert client.get("/practitioner").status_code == 200
    wrong = client.post_form("/account/second-step/turn-off", {"code": "000000"})
    assert wrong.status_code == 401
    off = client.post_form("/account/second-step/turn-off", {"code": _code_for(secret, -1)})
    assert off.status_code == 401  # older than the code that signed in: never again
    _sign_out(client)
    assert sign_in(client, "demo-practitioner").headers["Location"] == "/sign-in/second-step"


def test_turning_off_needs_a_fresh_code_and_then_the_password_is_enough(client, app):
    sign_in(client, "demo-facilitator")
    secret = _key(client.get("/account/second-step/set-up").get_data(as_text=True))
    client.post_form("/account/second-step/set-up", {"code": _code_for(secret, -1)})
    off = client.post_form("/account/second-step/turn-off", {"code": _code_for(secret, 1)})
    assert (off.status_code, off.headers["Location"]) == (302, "/account/second-step?done=off")
    _sign_out(client)
    assert sign_in(client, "demo-facilitator").headers["Location"] == "/facilitator"


def test_a_required_second_step_cannot_be_turned_off(strict):
    client = _client(strict)
    secret, _made = _enrol(client)
    response = client.post_form("/account/second-step/turn-off", {"code": _code_for(secret, 1)})
    assert response.status_code == 403
    with strict.app_context():
        assert db.session.scalar(select(SecondStep)) is not None


def test_new_backup_codes_stop_the_old_ones(strict):
    client = _client(strict)
    _secret, old = _enrol(client)
    response = client.post_form("/account/second-step/backup-codes")
    new = _backup_codes(response.get_data(as_text=True))
    assert len(new) == 10 and not set(new) & set(old)
    _sign_out(client)
    sign_in(client, "demo-admin")
    assert client.post_form("/sign-in/second-step", {"code": old[0]}).status_code == 401
    assert client.post_form("/sign-in/second-step", {"code": new[0]}).status_code == 302


def test_a_person_has_no_second_step_page(login_as):
    assert login_as("person").get("/account/second-step").status_code == 403


# --- an admin resets a lost one --------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "cy"])
def test_an_admin_resets_a_lost_second_step_and_it_is_audited(strict, language):
    commissioner = _client(strict, language)
    _enrol(commissioner, "demo-commissioner")
    who = _user(strict, "demo-commissioner")
    admin = _client(strict, language)
    _enrol(admin, "demo-admin")
    listing = admin.get("/admin/second-step/")
    assert listing.status_code == 200
    assert f"/admin/second-step/{who.id}" in _text(listing)
    assert admin.get(f"/admin/second-step/{who.id}").status_code == 200
    done = admin.post_form(f"/admin/second-step/{who.id}")
    assert done.headers["Location"] == "/admin/second-step/?done=reset"
    notice = {"en": "The second step is reset.", "cy": "Mae'r ail gam wedi'i ailosod."}
    assert notice[language] in _text(admin.get(done.headers["Location"]))
    admin_id = _user(strict, "demo-admin").id
    with strict.app_context():
        assert db.session.get(SecondStep, who.id) is None
        assert db.session.scalar(select(BackupCode).where(BackupCode.user_id == who.id)) is None
        assert db.session.get(SecondStep, admin_id) is not None  # only theirs
        entries = [(e.action, e.user_id, e.role, e.endpoint, e.method) for e in db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "second_step_reset"))]
    assert entries == [("second_step_reset", admin_id, "admin", "second_step.reset", "POST")]
    shown = {"en": "Second step reset", "cy": "Ail gam wedi'i ailosod"}
    log = admin.get("/admin/audit?action=second_step_reset")
    assert log.status_code == 200
    assert re.search(rf'<td role="cell" data-label="[^"]*">{shown[language]}</td>', _text(log))
    # The commissioner must set it up again at their next sign-in.
    _sign_out(commissioner)
    response = sign_in(commissioner, "demo-commissioner")
    assert urlsplit(response.headers["Location"]).path == "/sign-in/second-step/set-up"


@pytest.mark.parametrize("role", ["practitioner", "commissioner", "supporter", "person"])
def test_only_an_admin_may_reset(client, login_as, app, role):
    target = _user(app, "demo-practitioner")
    login_as(role)
    assert client.get(f"/admin/second-step/{target.id}").status_code == 403
    assert client.post_form(f"/admin/second-step/{target.id}").status_code == 403
    with app.app_context():
        assert db.session.scalar(select(AuditEntry).where(
            AuditEntry.action == "second_step_reset")) is None


def test_a_persons_account_has_no_second_step_to_reset(login_as, app):
    person = _user(app, "demo-person")
    admin = login_as("admin")
    assert admin.get(f"/admin/second-step/{person.id}").status_code == 404
    assert admin.post_form(f"/admin/second-step/{person.id}").status_code == 404


def test_the_command_line_resets_a_locked_out_admin(strict):
    client = _client(strict)
    _enrol(client)
    runner = strict.test_cli_runner()
    result = runner.invoke(args=["second-step", "reset", "DEMO-ADMIN"])
    assert result.exit_code == 0, result.output
    with strict.app_context():
        assert db.session.scalar(select(SecondStep)) is None
        entry = db.session.scalar(select(AuditEntry).where(
            AuditEntry.action == "second_step_reset"))
        assert (entry.user_id, entry.endpoint, entry.method) == (
            None, "cli:second-step reset", "CLI")
    refused = runner.invoke(args=["second-step", "reset", "demo-person"])
    assert refused.exit_code != 0 and "No staff account" in refused.output
    _sign_out(client)
    response = sign_in(client, "demo-admin")
    assert urlsplit(response.headers["Location"]).path == "/sign-in/second-step/set-up"


# --- a passkey as the second step (the browser test uses a real one) ---------------------------


def _give_passkey(app, username: str) -> list[str]:
    """A stored passkey for the account (as the account page adds one), and backup codes."""
    from portal.models import PasskeyCredential

    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        db.session.add(PasskeyCredential(user_id=user.id, credential_id=f"cred-{user.id}",
                                         public_key=b"not-a-real-key", sign_count=0))
        made = store.new_backup_codes(user)
        db.session.commit()
        db.session.remove()
    return made


@pytest.mark.parametrize("language", ["en", "cy"])
def test_a_passkey_alone_is_a_second_step(client, app, language):
    client.set_cookie("portal_lang", language)
    made = _give_passkey(app, "demo-practitioner")
    response = sign_in(client, "demo-practitioner")
    assert urlsplit(response.headers["Location"]).path == "/sign-in/second-step"
    page = client.get("/sign-in/second-step")
    titles = {"en": "Use your passkey", "cy": "Defnyddiwch eich allwedd mynediad"}
    assert heading(page.get_data(as_text=True)) == titles[language]
    assert 'data-passkey="sign-in"' in page.get_data(as_text=True)
    # A made-up answer is refused, like a wrong code.
    refused = client.post_form("/sign-in/second-step/passkey", {"credential": '{"id": "x"}'})
    assert refused.status_code == 401
    failed = {"en": "The passkey did not work.", "cy": "Wnaeth yr allwedd mynediad ddim gweithio."}
    assert failed[language] in _text(refused)
    assert client.get("/practitioner").status_code == 302
    # Without the passkey, a backup code does.
    response = client.post_form("/sign-in/second-step", {"code": made[0]})
    assert (response.status_code, response.headers["Location"]) == (302, "/practitioner")


def test_passkey_options_only_for_someone_half_signed_in_with_a_passkey(client, app):
    assert client.post_form("/sign-in/second-step/passkey/options").status_code == 404
    _give_passkey(app, "demo-practitioner")
    sign_in(client, "demo-practitioner")
    response = client.post_form("/sign-in/second-step/passkey/options")
    assert response.status_code == 200
    allowed = [c["id"] for c in response.get_json()["allowCredentials"]]
    assert len(allowed) == 1  # this account's own passkey only


def test_a_staff_passkey_never_signs_in_from_the_tablet_button(client, app, monkeypatch):
    """"Sign in with my tablet" is a person's way in; a member of staff's passkey is only
    ever a second step, after the password."""
    from portal.signin import passkeys

    practitioner = _user(app, "demo-practitioner")
    monkeypatch.setattr(passkeys, "signed_in_user",
                        lambda _answer: db.session.get(User, practitioner.id))
    response = client.post_form("/sign-in/tablet", {"credential": "{}"})
    assert response.status_code == 401
    assert client.get("/practitioner").status_code == 302


def test_an_admins_reset_removes_staff_passkeys_too(login_as, app):
    from portal.models import PasskeyCredential

    _give_passkey(app, "demo-practitioner")
    target = _user(app, "demo-practitioner")
    admin = login_as("admin")
    assert "On" in _text(admin.get("/admin/second-step/"))
    admin.post_form(f"/admin/second-step/{target.id}")
    with app.app_context():
        assert db.session.scalar(select(PasskeyCredential).where(
            PasskeyCredential.user_id == target.id)) is None


def test_removing_the_only_required_passkey_is_refused(strict):
    from portal.models import PasskeyCredential

    made = _give_passkey(strict, "demo-commissioner")
    client = _client(strict)
    sign_in(client, "demo-commissioner")
    assert client.post_form("/sign-in/second-step", {"code": made[0]}).status_code == 302
    assert client.post_form("/account/second-step/passkeys/remove").status_code == 403
    with strict.app_context():
        assert db.session.scalar(select(PasskeyCredential)) is not None


def test_a_practitioner_removes_their_passkeys_and_signs_in_with_the_password(client, app):
    made = _give_passkey(app, "demo-practitioner")
    sign_in(client, "demo-practitioner")
    client.post_form("/sign-in/second-step", {"code": made[0]})
    response = client.post_form("/account/second-step/passkeys/remove")
    assert response.headers["Location"] == "/account/second-step?done=removed"
    with app.app_context():
        assert db.session.scalar(select(BackupCode)) is None  # no second step: no codes
    _sign_out(client)
    assert sign_in(client, "demo-practitioner").headers["Location"] == "/practitioner"


def test_the_same_code_sent_twice_at_once_signs_in_once(strict):
    """Two workers may both read the slot last used before either writes: the UPDATE that
    uses the code up checks again, so the second finds nothing to change."""
    client = _client(strict)
    secret, made = _enrol(client)
    code = _code_for(secret, 1)
    with strict.app_context():
        user = db.session.scalar(select(User).where(User.username == "demo-admin"))
        stale = store.second_step_of(user)
        assert stale.last_step < codes.time_step(NOW) + 1
        # Another worker signs in with this code now (outside this session's view).
        with db.engine.begin() as connection:
            connection.execute(SecondStep.__table__.update().values(
                last_step=codes.time_step(NOW) + 1))
        assert stale.last_step < codes.time_step(NOW) + 1  # this worker has not seen it
        assert store.check(user, code) is False
        db.session.rollback()  # SQLite: end this session's write before the next one
        with db.engine.begin() as connection:
            connection.execute(BackupCode.__table__.update().where(
                BackupCode.code_hash == codes.backup_code_hash(made[0])).values(used_at=NOW))
        assert store.check(user, made[0]) is False
        assert store.check(user, made[1]) is True
        db.session.rollback()


def test_a_refused_passkey_is_a_failed_sign_in_in_the_audit_log(client, app):
    _give_passkey(app, "demo-practitioner")
    sign_in(client, "demo-practitioner")
    client.post_form("/sign-in/second-step/passkey", {"credential": "{}"})
    with app.app_context():
        entries = [(e.action, e.endpoint) for e in db.session.scalars(select(AuditEntry))]
    assert entries == [("sign_in_failed", "second_step.passkey_sign_in")]
