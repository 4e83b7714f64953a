"""A whole listening event in real browsers: demo-facilitator sets it up with a mat and the
ratings, two tablets (separate Chromium sessions, one Welsh, one English) join with the
code, use the menu, the mat (a tap on a card, then a tap on a place) and the questions,
and press "I've finished"; the live view counts them without a reload; the facilitator
closes the event and the report comes out in both languages. The participant pages,
which a crawl of links cannot reach, are checked with axe-core on the way."""

from __future__ import annotations

import shutil
import tempfile

import pytest
from selenium.webdriver.common.by import By

from tests.browser.conftest import HEADLESS_FLAGS
from tests.browser.support import CHROMEDRIVER, CHROMIUM, PORTRAIT, Browser, report
from tests.browser.test_mat_browser import press_start

pytestmark = pytest.mark.browser


@pytest.fixture()
def tablets(chromium_driver, live_server):
    """Two more Chromium sessions, each with its own cookies: two tablets in the room."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    made = []
    for _ in range(2):
        profile = tempfile.mkdtemp(prefix="portal-tablet-")
        options = webdriver.ChromeOptions()
        options.binary_location = str(CHROMIUM)
        for flag in HEADLESS_FLAGS:
            options.add_argument(flag)
        options.add_argument(f"--user-data-dir={profile}")
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
        driver.set_page_load_timeout(30)
        tab = Browser(driver, live_server.url)
        tab.size(PORTRAIT)
        made.append((tab, profile))
    try:
        yield [tab for tab, _profile in made]
    finally:
        for tab, profile in made:
            tab.driver.quit()
            shutil.rmtree(profile, ignore_errors=True)


def _to_next_page(browser: Browser, element) -> None:
    """Press a link or button that leads to another page, and wait for that page."""
    before = browser.driver.current_url
    element.click()
    browser.wait_until(lambda: browser.driver.current_url != before, "the page did not change")
    browser.wait_for_page()


def _click(browser: Browser, css: str) -> None:
    _to_next_page(browser, browser.driver.find_element(By.CSS_SELECTOR, css))


def _submit_with(browser: Browser, form_css: str) -> None:
    _click(browser, f"{form_css} button[type=submit]")


def _join(tablet: Browser, code: str, language: str, violations: list) -> None:
    tablet.open(f"/join/{code}")
    _click(tablet, f'a.language-offer__choice[lang="{language}"]')
    assert tablet.path() == f"/join/{code}/agree" and tablet.lang() == language
    _submit_with(tablet, "main form")
    assert tablet.path() == "/join/menu", tablet.path()
    violations += tablet.check_axe(f"participant {language}")[1]


def _do_mat(tablet: Browser, violations: list) -> None:
    _click(tablet, 'a[href="/join/mats/home"]')
    violations += tablet.check_axe(f"participant mat start {tablet.lang()}")[1]
    press_start(tablet)
    tablet.wait_until(lambda: tablet.driver.execute_script(
        "var b = document.querySelector('[data-mat-board]'); return b && !b.hidden;"),
        "mat.js did not show the mat")
    violations += tablet.check_axe(f"participant mat {tablet.lang()}")[1]
    tablet.driver.find_element(
        By.CSS_SELECTOR, '.mat-card[data-card="home.bedroom"] .mat-card__pick').click()
    tablet.driver.find_element(By.CSS_SELECTOR, '.mat-drop[data-drop="good"]').click()
    tablet.wait_until(lambda: tablet.driver.execute_script(
        "var c = document.querySelector('.mat-card[data-card=\"home.bedroom\"]');"
        "return c && c.closest('.mat-target').dataset.target === 'good';"),
        "the card did not move")
    _click(tablet, "[data-mat-board] a.button")  # "Check my mat"
    _submit_with(tablet, 'form[action$="/save"]')
    assert tablet.path() == "/join/menu"


def _answer_first_question(tablet: Browser) -> None:
    _click(tablet, 'a[href^="/join/answer/"]')
    assert "/q/" in tablet.path()
    tablet.driver.find_element(By.CSS_SELECTOR, "label[for='cards-1']").click()
    _click(tablet, "button[value='next']")
    _click(tablet, "button[value='stop']")
    assert tablet.path() == "/join/menu", tablet.path()


def test_a_full_event_in_welsh_and_english(browser, tablets, live_server):
    violations: list = []
    browser.sign_in("facilitator")
    browser.open("/facilitator/events/new")
    form = browser.driver.find_element(By.CSS_SELECTOR, "main form")
    for name, value in (("title_en", "Browser event"), ("title_cy", "Digwyddiad porwr"),
                        ("venue", "Neuadd y Dref")):
        form.find_element(By.NAME, name).send_keys(value)
    browser.driver.execute_script(
        "document.getElementById('event_date').value = '2026-11-24';")
    browser.driver.find_element(By.CSS_SELECTOR, 'label[for="mats-1"]').click()
    browser.driver.find_element(By.ID, "use_ratings").click()
    _submit_with(browser, "main form")
    event_path = browser.path().split("?")[0]
    code = browser.driver.find_element(By.CSS_SELECTOR, "dd.event-code").text.replace(" ", "")
    assert len(code) == 6

    # The live view is open while people join: its counts change without a reload.
    browser.open(f"{event_path}/live")
    welsh, english = tablets
    _join(welsh, code, "cy", violations)
    _join(english, code, "en", violations)
    _do_mat(welsh, violations)
    _answer_first_question(english)
    for tablet in (welsh, english):
        _submit_with(tablet, 'form[action$="/reset"]')  # "I've finished"
        assert tablet.path() == f"/join/{code}/thanks"
        tablet.driver.back()  # Back shows nothing of the last person's
        tablet.wait_for_page()
        assert tablet.status() == 404
    browser.wait_until(lambda: browser.driver.find_element(
        By.CSS_SELECTOR, '[data-count="finished"]').text == "2",
        "the live view did not count 2 finished", timeout=20)
    assert browser.driver.find_element(
        By.CSS_SELECTOR, '[data-count="joined"]').text == "2"
    assert browser.driver.find_element(
        By.CSS_SELECTOR, '[data-count="m:home:home.bedroom:good"]').text == "1"

    # Close; the report comes out with both languages on one sheet.
    browser.open(event_path)
    _submit_with(browser, 'form[action$="/close"]')
    browser.open(f"{event_path}/report")
    assert browser.status() == 200
    languages = browser.driver.execute_script(
        "return Array.from(document.querySelectorAll('.event-report__language'),"
        " function (s) { return s.lang; });")
    assert languages == ["cy", "en"]
    violations += browser.check_axe("facilitator report")[1]
    assert not violations, report(violations, [])
