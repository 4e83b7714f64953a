"""Staff sign-in's second step in a real browser (issue 15), in Welsh and English, with
axe-core at both tablet sizes on every page on the way: the commissioner must have one
(as in production), sets the code app up from the QR page's key, gets the backup codes,
and next time types the app's code after the password."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from selenium.webdriver.common.by import By
from sqlalchemy import delete, select

from portal.auth import throttling
from portal.extensions import db
from portal.models import BackupCode, SecondStep, User
from tests.browser.support import DEMO_PASSWORD, Browser
from tests.browser.test_signin_browser import axe_here, heading

pytestmark = pytest.mark.browser

WORDS = {
    "en": {"set_up": "Set up a second step to sign in", "codes": "Your backup codes",
           "code": "Type your code", "wrong": "That code is not right. Please try again."},
    "cy": {"set_up": "Gosod ail gam i fewngofnodi", "codes": "Eich codau wrth gefn",
           "code": "Teipiwch eich cod",
           "wrong": "Dydy'r cod yna ddim yn iawn. Ceisiwch eto, os gwelwch yn dda."},
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
