"""The warning before an idle sign-out (WCAG 2.2.1), in a real browser: it opens two
minutes before the end, "Stay signed in" keeps the session, and at the end the page goes to
the sign-in page with the kind message. The page's clock and the server's are moved on
rather than waited for."""

from __future__ import annotations

import time

import pytest
from flask_babel import force_locale
from selenium.webdriver.common.by import By

from portal.core import sessions
from portal.core.messages import SIGNED_OUT_IDLE
from tests.browser.support import Browser

pytestmark = pytest.mark.browser

# Date.now() in the page runs `window.portalTimeShift` milliseconds ahead.
SHIFT_TIME = """
(function () {
  var realNow = Date.now.bind(Date);
  window.portalTimeShift = 0;
  Date.now = function () { return realNow() + window.portalTimeShift; };
})();
"""


@pytest.fixture()
def shifted(browser: Browser):
    added = browser.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument",
                                           {"source": SHIFT_TIME})
    yield browser
    browser.driver.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument",
                                   {"identifier": added["identifier"]})


def move_page_clock(browser: Browser, minutes: float) -> None:
    browser.driver.execute_script("window.portalTimeShift = arguments[0];", minutes * 60_000)


def warning_open(browser: Browser) -> bool:
    return browser.driver.execute_script(
        "var d = document.getElementById('idle-warning'); return !!(d && d.open);")


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_the_warning_opens_and_stay_signed_in_keeps_the_session(shifted, live_server, lang):
    browser = shifted
    browser.sign_in("practitioner")
    browser.choose_language(lang, then="/practitioner")
    assert not warning_open(browser)

    move_page_clock(browser, 28.5)  # 90 seconds left
    browser.wait_until(lambda: warning_open(browser), "the warning did not open", timeout=15)
    dialog = browser.driver.find_element(By.ID, "idle-warning")
    stay = dialog.find_element(By.CSS_SELECTOR, "[data-stay-signed-in]")
    assert browser.driver.switch_to.active_element == stay, "focus is not on Stay signed in"
    _result, violations = browser.check_axe(f"practitioner, {lang}, idle warning")
    assert violations == [], violations

    stay.click()
    browser.wait_until(lambda: not warning_open(browser), "the warning did not close")
    assert browser.path() == "/practitioner"
    # The keep-alive reached the server: the page's clock is kept from the answer on.
    assert browser.driver.execute_script(
        "return Number(localStorage.getItem('portal-last-activity')) > Date.now() - 5000")


def test_at_the_end_the_sign_in_page_says_why(shifted, live_server, monkeypatch):
    browser = shifted
    browser.sign_in("admin")
    browser.choose_language("en", then="/admin/content")
    later = time.time() + 31 * 60
    monkeypatch.setattr(sessions, "_now", lambda: later)  # the server's clock too
    move_page_clock(browser, 31)
    browser.wait_until(lambda: browser.path().startswith("/login"),
                       "the page did not go to the sign-in page", timeout=15)
    browser.wait_for_page()
    assert browser.path() == "/login?next=/admin/content"
    with live_server.app.test_request_context(), force_locale("en"):
        expected = str(SIGNED_OUT_IDLE)
    notice = browser.driver.find_element(By.CSS_SELECTOR, "main .notice").text
    assert expected in " ".join(notice.split())
