"""The add-person page and a hand-over of the tablet (issue 15), in a real browser, in
Welsh and English at both tablet sizes, with axe-core on every page on the way:

- a practitioner adds a person: the form, a refused future date of birth (the message and
  everything typed stay), then the person's page;
- the practitioner gives the tablet to Alex: the person's own screens while handed over
  (the take-back link in the header), a wrong password kindly refused with "Show
  password", then the right one takes the tablet back.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from selenium.webdriver.common.by import By
from sqlalchemy import delete, select

from portal.core.extensions import db
from portal.models import Person, Role, User
from portal.rights.erase import erase_person
from tests.browser.support import PORTRAIT, TABLET_SIZES, Browser, report, size_name

pytestmark = pytest.mark.browser

WORDS = {
    "en": {"future": "The date of birth cannot be in the future.",
           "give": "Give the tablet to Alex", "back": "Take the tablet back",
           "wrong": "That password is not right.", "show": "Show password"},
    "cy": {"future": "Dydy'r dyddiad geni ddim yn gallu bod yn y dyfodol.",
           "give": "Rhowch y dabled i Alex", "back": "Cymryd y dabled yn ôl",
           "wrong": "Dydy'r cyfrinair yna ddim yn iawn.", "show": "Dangos y cyfrinair"},
}


def axe_here(tab: Browser, who: str, lang: str, status: int = 200) -> list[str]:
    """axe-core, touch targets and the console on this page, at both tablet sizes."""
    assert tab.lang() == lang
    found, problems = [], []
    for size in TABLET_SIZES:
        tab.size(size)
        _result, violations = tab.check_axe(f"{who} {lang} {size_name(size)}")
        found += violations
        problems += [f"{tab.path()}: small target {t}" for t in tab.small_targets()]
        problems += [f"{tab.path()}: console {m}" for m in tab.console_errors(status)]
    tab.size(PORTRAIT)
    return ([report(found, [])] if found else []) + problems


def main_text(tab: Browser) -> str:
    return tab.driver.execute_script("return document.querySelector('main').innerText;")


def submit(tab: Browser) -> None:
    tab.press_and_wait(tab.driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]"),
                       "submit")


def person_id(app, name: str) -> int | None:
    with app.app_context():
        found = db.session.scalar(select(Person.id).where(Person.display_name == name))
        db.session.remove()
    return found


@pytest.mark.parametrize("lang", ["cy", "en"])
def test_a_practitioner_adds_a_person(browser: Browser, live_server, lang):
    tab, driver = browser, browser.driver
    name = f"Gwen Browser {lang}"
    problems: list[str] = []
    tab.sign_in("practitioner")
    tab.choose_language(lang, then="/people/new")
    problems += axe_here(tab, "practitioner", lang)
    try:
        driver.find_element(By.ID, "name").send_keys(name)
        driver.find_element(By.ID, "preferred_name").send_keys("Gwen")
        driver.find_element(By.CSS_SELECTOR, "label[for='language-1']").click()
        council = driver.find_element(By.ID, "local_authority")
        council.find_elements(By.TAG_NAME, "option")[3].click()
        tomorrow = (date.today() + timedelta(days=1)).isoformat()
        # A date box takes typing in the browser's own order: set the value as a picker does.
        driver.execute_script("document.getElementById('date_of_birth').removeAttribute('max');"
                              "document.getElementById('date_of_birth').value = arguments[0];",
                              tomorrow)
        submit(tab)
        tab.wait_until(lambda: driver.find_elements(By.CSS_SELECTOR, ".error-summary"),
                       "no message for a future date of birth")
        assert WORDS[lang]["future"] in main_text(tab)
        assert driver.find_element(By.ID, "name").get_attribute("value") == name
        assert driver.find_element(By.ID, "date_of_birth").get_attribute("value") == tomorrow
        assert driver.find_element(By.ID, "language-1").is_selected()
        problems += axe_here(tab, "practitioner", lang, status=400)
        driver.execute_script("document.getElementById('date_of_birth').value = '1988-11-05';")
        submit(tab)
        tab.wait_until(lambda: tab.path().startswith("/conversations/people/"),
                       "the person was not added")
        problems += axe_here(tab, "practitioner", lang)
        assert name in main_text(tab)
    finally:
        added = person_id(live_server.app, name)
        if added is not None:  # the shared demo data stays as the other tests expect it
            with live_server.app.app_context():
                erase_person(db.session.get(Person, added))
                db.session.commit()
                db.session.remove()
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("lang", ["cy", "en"])
def test_handing_the_tablet_over_and_taking_it_back(browser: Browser, live_server, lang):
    tab, driver = browser, browser.driver
    problems: list[str] = []
    alex = person_id(live_server.app, "Alex")
    tab.sign_in("practitioner")
    tab.choose_language(lang, then=f"/conversations/people/{alex}")
    give = [b for b in driver.find_elements(By.CSS_SELECTOR, "form.give-tablet button")
            if WORDS[lang]["give"] in b.text]
    assert give, "no Give the tablet button"
    give[0].click()
    tab.wait_until(lambda: tab.path() == "/me/", "the tablet was not handed over")
    tab.wait_for_page()
    # Alex's own screens, in Alex's own language (or, before Alex chose one, the page's).
    theirs = tab.lang()
    problems += axe_here(tab, "person (handed over)", theirs)
    assert tab.open("/me/how-true/1") == 200
    problems += axe_here(tab, "person (handed over)", theirs)
    assert tab.open("/practitioner") == 403
    tab.open("/me/")
    link = driver.find_element(By.CSS_SELECTOR, "a.take-back")
    assert link.is_displayed()
    link.click()
    tab.wait_until(lambda: tab.path() == "/tablet/take-back", "no take-back page")
    tab.wait_for_page()
    problems += axe_here(tab, "person (handed over)", theirs)
    box = driver.find_element(By.ID, "password")
    box.send_keys("not-the-password")
    submit(tab)
    tab.wait_until(lambda: driver.find_elements(By.CSS_SELECTOR, ".error-summary"),
                   "no message for a wrong password")
    problems += axe_here(tab, "person (handed over)", theirs, status=401)
    show = driver.find_element(By.CSS_SELECTOR, ".show-password button")
    show.click()
    assert driver.find_element(By.ID, "password").get_attribute("type") == "text"
    driver.find_element(By.ID, "password").send_keys("demo-password")
    submit(tab)
    tab.wait_until(lambda: tab.path().startswith(f"/conversations/people/{alex}"),
                   f"the tablet was not taken back: {tab.path()} {main_text(tab)[:300]}")
    assert tab.lang() == lang  # the practitioner's own language again
    problems += axe_here(tab, "practitioner", lang)
    assert not driver.find_elements(By.CSS_SELECTOR, "a.take-back")
    assert problems == [], "\n".join(problems)


@pytest.fixture()
def second_practitioner(live_server):
    """Another practitioner for a while (removed after: the demo data stays as it was)."""
    app = live_server.app
    with app.app_context():
        user = User(username="browser-practitioner", role=Role.PRACTITIONER,
                    display_name="Nia Browser")
        user.set_password("demo-password")
        db.session.add(user)
        db.session.commit()
        db.session.remove()
    yield
    with app.app_context():
        db.session.execute(delete(User).where(User.username == "browser-practitioner"))
        db.session.commit()
        db.session.remove()


@pytest.mark.parametrize("lang", ["cy", "en"])
def test_caseloads_and_moving_a_person(browser: Browser, live_server, second_practitioner, lang):
    tab, driver = browser, browser.driver
    problems: list[str] = []
    alex = person_id(live_server.app, "Alex")
    tab.sign_in("admin")
    tab.choose_language(lang, then="/admin/caseloads")
    problems += axe_here(tab, "admin", lang)
    assert "Alex" in main_text(tab) and "Nia Browser" in main_text(tab)
    tab.open(f"/admin/caseloads/people/{alex}")
    problems += axe_here(tab, "admin", lang)
    # Pressing the button without choosing: the kind message, and nothing moves.
    submit(tab)
    tab.wait_until(lambda: driver.find_elements(By.CSS_SELECTOR, ".error-summary"),
                   "no message when no practitioner was chosen")
    problems += axe_here(tab, "admin", lang, status=400)
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("lang", ["cy", "en"])
def test_changing_a_persons_details(browser: Browser, live_server, lang):
    tab = browser
    alex = person_id(live_server.app, "Alex")
    tab.sign_in("practitioner")
    tab.choose_language(lang, then=f"/people/{alex}/details")
    problems = axe_here(tab, "practitioner", lang)
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("lang", ["cy", "en"])
def test_the_supporters_list_with_its_give_the_tablet_button(browser: Browser, live_server,
                                                            lang):
    tab, driver = browser, browser.driver
    tab.sign_in("supporter")
    tab.choose_language(lang, then="/supporter")
    assert [b for b in driver.find_elements(By.CSS_SELECTOR, "form.give-tablet button")
            if WORDS[lang]["give"] in b.text]
    problems = axe_here(tab, "supporter", lang)
    assert problems == [], "\n".join(problems)
