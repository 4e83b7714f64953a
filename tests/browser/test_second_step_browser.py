"""Staff sign-in's second step in a real browser (issue 15), in Welsh and English, with
axe-core at both tablet sizes on every page on the way: the commissioner must have one
(as in production), sets the code app up from the QR page's key, gets the backup codes,
and next time types the app's code after the password; a practitioner adds a passkey
(Chromium's virtual authenticator, on localhost) and uses it after the password."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.virtual_authenticator import (
    Protocol,
    Transport,
    VirtualAuthenticatorOptions,
)
from sqlalchemy import delete, select

from portal.auth import throttling
from portal.core.extensions import db
from portal.models import BackupCode, PasskeyCredential, SecondStep, User
from tests.browser.support import DEMO_PASSWORD, Browser
from tests.browser.test_signin_browser import axe_here, heading, localhost  # noqa: F401 (a fixture)

pytestmark = pytest.mark.browser

WORDS = {
    "en": {"set_up": "Set up a second step to sign in", "codes": "Your backup codes",
           "code": "Type your code", "wrong": "That code is not right. Please try again.",
           "use_passkey": "Use your passkey"},
    "cy": {"set_up": "Gosod ail gam i fewngofnodi", "codes": "Eich codau wrth gefn",
           "code": "Teipiwch eich cod",
           "wrong": "Dydy'r cod yna ddim yn iawn. Ceisiwch eto, os gwelwch yn dda.",
           "use_passkey": "Defnyddiwch eich allwedd mynediad"},
}


@pytest.fixture()
def commissioner_must(live_server):
    """The shared live server requires a second step of commissioners, as production
    does, for this test only; the commissioner's second step goes afterwards."""
    app = live_server.app
    before = app.config["SECOND_STEP_REQUIRED_ROLES"]
    with app.app_context():
        locale = db.session.scalar(select(User.locale).where(User.username == "demo-commissioner"))
        db.session.remove()
    app.config["SECOND_STEP_REQUIRED_ROLES"] = ("admin", "commissioner")
    try:
        yield app
    finally:
        app.config["SECOND_STEP_REQUIRED_ROLES"] = before
        with app.app_context():
            user_id = db.session.scalar(select(User.id).where(
                User.username == "demo-commissioner"))
            db.session.execute(delete(BackupCode).where(BackupCode.user_id == user_id))
            db.session.execute(delete(SecondStep).where(SecondStep.user_id == user_id))
            db.session.get(User, user_id).locale = locale  # signing in saved this test's
            db.session.commit()
            throttling.clear("demo-commissioner")
            db.session.remove()


def _password(tab: Browser) -> None:
    tab.open("/login")
    form = tab.driver.find_element(By.CSS_SELECTOR, "main form")
    form.find_element(By.NAME, "username").send_keys("demo-commissioner")
    form.find_element(By.NAME, "password").send_keys(DEMO_PASSWORD)
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    tab.wait_until(lambda: tab.path().startswith("/sign-in/second-step"), "no second step")
    tab.wait_for_page()


def _type_code(tab: Browser, code: str) -> None:
    field = tab.driver.find_element(By.NAME, "code")
    field.clear()
    field.send_keys(code)
    before = tab.driver.current_url, tab.driver.find_element(By.TAG_NAME, "html").id
    tab.driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    tab.wait_until(lambda: tab.driver.find_element(By.TAG_NAME, "html").id != before[1],
                   "the form was not sent")
    tab.wait_for_page()


def _no_sideways_scroll(tab: Browser) -> list[str]:
    seen = tab.overflow()
    if seen["scrollWidth"] > seen["width"] or seen["wide"]:
        return [f"{tab.path()}: scrolls sideways {seen}"]
    return []


@pytest.mark.parametrize("lang", ["cy", "en"])
def test_setting_up_and_typing_the_code(browser: Browser, commissioner_must, lang):
    tab, words, problems = browser, WORDS[lang], []
    tab.choose_language(lang, then="/login")
    _password(tab)
    assert tab.path().startswith("/sign-in/second-step/set-up")
    assert heading(tab) == words["set_up"]
    assert tab.driver.find_elements(By.CSS_SELECTOR, ".qr svg")
    problems += axe_here(tab, "commissioner", lang) + _no_sideways_scroll(tab)
    secret = tab.driver.find_element(By.ID, "second-step-key").text.replace(" ", "")

    _type_code(tab, "000000")
    assert words["wrong"] in tab.driver.find_element(By.CSS_SELECTOR, ".error-summary").text
    problems += axe_here(tab, "commissioner", lang, status=401)

    _type_code(tab, pyotp.TOTP(secret).now())
    assert heading(tab) == words["codes"]
    assert len(tab.driver.find_elements(By.CSS_SELECTOR, ".backup-codes li")) == 10
    problems += axe_here(tab, "commissioner", lang) + _no_sideways_scroll(tab)
    tab.driver.find_element(By.CSS_SELECTOR, "main a.button").click()
    tab.wait_until(lambda: tab.path() == "/commissioner", "not signed in after setting up")

    # Next time: the password, then the app's code (of the next slot: one code signs in once).
    tab.forget_everyone()
    tab.choose_language(lang, then="/login")
    _password(tab)
    assert tab.path() == "/sign-in/second-step"
    assert heading(tab) == words["code"]
    problems += axe_here(tab, "commissioner", lang) + _no_sideways_scroll(tab)
    _type_code(tab, pyotp.TOTP(secret).at(datetime.now(UTC) + timedelta(seconds=30)))
    tab.wait_until(lambda: tab.path() == "/commissioner", "the code did not sign in")
    assert problems == [], "\n".join(problems)


@pytest.fixture()
def practitioner_passkey_cleanup(live_server):
    app = live_server.app
    with app.app_context():
        locale = db.session.scalar(select(User.locale).where(User.username == "demo-practitioner"))
        db.session.remove()
    yield app
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.username == "demo-practitioner"))
        db.session.execute(delete(PasskeyCredential).where(PasskeyCredential.user_id == user_id))
        db.session.execute(delete(BackupCode).where(BackupCode.user_id == user_id))
        db.session.get(User, user_id).locale = locale
        db.session.commit()
        throttling.clear("demo-practitioner")
        db.session.remove()


@pytest.mark.parametrize("lang", ["cy", "en"])
def test_a_passkey_as_the_second_step(localhost: Browser, practitioner_passkey_cleanup,  # noqa: F811
                                      lang):
    """Added on the account page with Chromium's virtual authenticator; then, after the
    password, "Use my passkey" signs the practitioner in."""
    tab, driver, problems = localhost, localhost.driver, []
    driver.add_virtual_authenticator(VirtualAuthenticatorOptions(
        protocol=Protocol.CTAP2, transport=Transport.INTERNAL, has_resident_key=True,
        has_user_verification=True, is_user_consenting=True, is_user_verified=True))
    try:
        tab.sign_in("practitioner")
        tab.choose_language(lang, then="/account/second-step")
        tab.wait_until(lambda: driver.find_element(
            By.CSS_SELECTOR, "form[data-passkey='register']").is_displayed(), "no Add a passkey")
        problems += axe_here(tab, "practitioner", lang) + _no_sideways_scroll(tab)
        driver.find_element(By.CSS_SELECTOR, "form[data-passkey='register'] button").click()
        tab.wait_until(lambda: heading(tab) == WORDS[lang]["codes"], "the passkey was not added")
        assert len(driver.get_credentials()) == 1
        problems += axe_here(tab, "practitioner", lang)

        tab.forget_everyone()
        tab.choose_language(lang, then="/login")
        form = driver.find_element(By.CSS_SELECTOR, "main form")
        form.find_element(By.NAME, "username").send_keys("demo-practitioner")
        form.find_element(By.NAME, "password").send_keys(DEMO_PASSWORD)
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        tab.wait_until(lambda: tab.path() == "/sign-in/second-step", "no second step")
        tab.wait_until(lambda: driver.find_element(
            By.CSS_SELECTOR, "form[data-passkey='sign-in']").is_displayed(), "no Use my passkey")
        assert heading(tab) == WORDS[lang]["use_passkey"]
        problems += axe_here(tab, "practitioner", lang) + _no_sideways_scroll(tab)
        driver.find_element(By.CSS_SELECTOR, "form[data-passkey='sign-in'] button").click()
        tab.wait_until(lambda: tab.path() == "/practitioner", "the passkey did not sign in")
    finally:
        driver.remove_virtual_authenticator()
    assert problems == [], "\n".join(problems)
