"""A person's sign-in with no memory test, in a real browser (issue 15), in Welsh and
English at a tablet size, with axe-core on every page on the way:

- a passkey: the practitioner makes a set-up code; on the person's tablet (Chromium's
  virtual authenticator, with resident keys and user verification) the code's page sets up
  the passkey, and "Sign in with my tablet" signs the person in. WebAuthn needs a real
  domain, so this runs on http://localhost:PORT (Chromium refuses 127.0.0.1);
- a card: its page, picking the three pictures by touch and by keyboard; a wrong try, the
  locked card and a card that does not work;
- "Show password" on the ordinary sign-in page.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.common.virtual_authenticator import (
    Protocol,
    Transport,
    VirtualAuthenticatorOptions,
)
from sqlalchemy import select

from portal.core.extensions import db
from portal.models import Person, SignInCard, User
from tests.browser.support import PORTRAIT, TABLET_SIZES, Browser, report, size_name

pytestmark = pytest.mark.browser

THREE = ["bus", "heart", "wales"]
WORDS = {
    "en": {"ready": "Your tablet is ready", "tablet": "Sign in with my tablet",
           "wrong": "Those pictures are not right. Please try again.",
           "show": "Show password", "hide": "Hide password"},
    "cy": {"ready": "Mae eich tabled yn barod", "tablet": "Mewngofnodi gyda fy nhabled",
           "wrong": "Dydy'r lluniau yna ddim yn iawn. Ceisiwch eto, os gwelwch yn dda.",
           "show": "Dangos y cyfrinair", "hide": "Cuddio'r cyfrinair"},
}


@pytest.fixture()
def localhost(chromium_driver, live_server):
    """The tab on http://localhost:PORT, with the portal's public address there too (the
    passkey's relying party is that address's host)."""
    port = urlsplit(live_server.url).port
    address = f"http://localhost:{port}"
    before = live_server.app.config["BASE_URL"]
    live_server.app.config["BASE_URL"] = address
    tab = Browser(chromium_driver, address)
    tab.forget_everyone()
    tab.size(PORTRAIT)
    try:
        yield tab
    finally:
        tab.forget_everyone()
        live_server.app.config["BASE_URL"] = before


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


def heading(tab: Browser) -> str:
    """The h1's words, read in one step (no element held across a page load)."""
    return tab.driver.execute_script(
        "var h = document.querySelector('h1'); return h ? h.textContent : '';")


def click_button(tab: Browser, words: str) -> None:
    buttons = [b for b in tab.driver.find_elements(By.CSS_SELECTOR, "main button")
               if b.is_displayed() and words in b.text]
    assert buttons, f"no button {words!r} on {tab.path()}"
    buttons[0].click()


def alex_id(app) -> int:
    with app.app_context():
        found = db.session.scalar(select(Person.id).where(Person.display_name == "Alex"))
        db.session.remove()
    return found


@pytest.mark.parametrize("lang", ["cy", "en"])
def test_a_passkey_on_the_persons_own_tablet(localhost: Browser, live_server, lang):
    tab, driver = localhost, localhost.driver
    person_id = alex_id(live_server.app)
    problems: list[str] = []

    # The practitioner makes the set-up code.
    tab.sign_in("practitioner")
    tab.choose_language(lang, then="/practitioner")  # after: their own language is kept
    tab.open(f"/sign-in/people/{person_id}")
    problems += axe_here(tab, "practitioner", lang)
    driver.find_element(By.CSS_SELECTOR, "form[action$='/setup-code'] button").click()
    tab.wait_until(lambda: driver.find_elements(By.CSS_SELECTOR, ".qr svg"), "no QR code")
    problems += axe_here(tab, "practitioner", lang)
    link = driver.find_element(By.CSS_SELECTOR, ".qr-link a").get_attribute("href")
    assert link.startswith(f"{tab.base_url}/tablet/setup/")

    # The person's tablet: a new, signed-out browser with its own authenticator.
    tab.forget_everyone()
    driver.add_virtual_authenticator(VirtualAuthenticatorOptions(
        protocol=Protocol.CTAP2, transport=Transport.INTERNAL, has_resident_key=True,
        has_user_verification=True, is_user_consenting=True, is_user_verified=True))
    try:
        tab.choose_language(lang, then="/about")
        tab.open(link)
        tab.wait_for_page()
        problems += axe_here(tab, "person", lang)
        click_button(tab, "")  # the one big button: "Set up my tablet"
        tab.wait_until(lambda: WORDS[lang]["ready"] in heading(tab),
                       "the tablet was not set up")
        problems += axe_here(tab, "person", lang)
        assert len(driver.get_credentials()) == 1
        # The code was used once: it does not work again.
        assert tab.open(link) == 404

        tab.open("/login")
        tab.wait_until(lambda: driver.find_element(
            By.CSS_SELECTOR, "form[data-passkey='sign-in']").is_displayed(),
            "no Sign in with my tablet")
        problems += axe_here(tab, "anonymous", lang)
        click_button(tab, WORDS[lang]["tablet"])
        tab.wait_until(lambda: tab.path() == "/me/", "the passkey did not sign the person in")
        tab.wait_for_page()
        assert "Alex" in heading(tab)
    finally:
        driver.remove_virtual_authenticator()
    assert problems == [], "\n".join(problems)


def make_card_for_alex(app) -> str:
    """A card made as the practitioner's page makes it; its token (as in its QR code)."""
    from portal.signin import cards

    with app.app_context():
        person = db.session.scalar(select(Person).where(Person.display_name == "Alex"))
        practitioner = db.session.scalar(select(User.id).where(
            User.username == "demo-practitioner"))
        _card, token = cards.make_card(person, THREE, practitioner)
        db.session.commit()
        db.session.remove()
    return token


def pick(tab: Browser, names: list[str], *, keyboard: bool) -> None:
    driver = tab.driver
    for name in names:
        box = driver.find_element(By.CSS_SELECTOR, f"input[name=pictures][value='{name}']")
        if keyboard:
            driver.execute_script("arguments[0].focus()", box)
            box.send_keys(Keys.SPACE)
        else:
            label = driver.find_element(By.CSS_SELECTOR, f"label[for='{box.get_attribute('id')}']")
            label.click()
        assert box.is_selected(), name


@pytest.mark.parametrize(("lang", "keyboard"), [("cy", False), ("en", True)])
def test_a_card_and_three_pictures_on_a_shared_tablet(localhost: Browser, live_server, lang,
                                                      keyboard):
    tab, driver = localhost, localhost.driver
    problems: list[str] = []
    person_id = alex_id(live_server.app)

    # The practitioner's page where the person picks their own pictures.
    tab.sign_in("practitioner")
    tab.choose_language(lang, then="/practitioner")  # after: their own language is kept
    tab.open(f"/sign-in/people/{person_id}/card/new")
    problems += axe_here(tab, "practitioner", lang)
    tab.forget_everyone()

    token = make_card_for_alex(live_server.app)
    tab.choose_language(lang, then="/about")
    tab.open(f"/card/{token}")
    problems += axe_here(tab, "person", lang)
    shown = [b.get_attribute("value") for b in
             driver.find_elements(By.CSS_SELECTOR, "input[name=pictures]")]
    assert len(shown) == 9 and set(THREE) <= set(shown)
    for box in driver.find_elements(By.CSS_SELECTOR, ".picture-choice__label"):
        assert box.size["width"] >= 44 and box.size["height"] >= 44

    others = [name for name in shown if name not in THREE]
    pick(tab, [THREE[0], THREE[1], others[0]], keyboard=keyboard)
    click_button(tab, "")
    tab.wait_until(lambda: driver.find_elements(By.CSS_SELECTOR, ".error-summary"),
                   "no message after wrong pictures")
    assert WORDS[lang]["wrong"] in driver.find_element(By.TAG_NAME, "main").text
    problems += axe_here(tab, "person", lang, status=401)

    pick(tab, list(reversed(THREE)), keyboard=keyboard)
    driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    tab.wait_until(lambda: tab.path() == "/me/", "card and pictures did not sign in")
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("lang", ["cy", "en"])
def test_the_locked_and_the_stopped_card_pages(localhost: Browser, live_server, lang):
    tab = localhost
    token = make_card_for_alex(live_server.app)
    with live_server.app.app_context():
        card = db.session.scalars(select(SignInCard).order_by(SignInCard.id.desc())).first()
        from portal.core.clock import utcnow

        card.locked_at = utcnow()
        db.session.commit()
        db.session.remove()
    tab.choose_language(lang, then="/about")
    assert tab.open(f"/card/{token}") == 403
    problems = axe_here(tab, "person", lang, status=403)
    make_card_for_alex(live_server.app)  # a new card: the old one stops working
    assert tab.open(f"/card/{token}") == 404
    problems += axe_here(tab, "person", lang, status=404)
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("lang", ["cy", "en"])
def test_show_password(localhost: Browser, lang):
    tab, driver = localhost, localhost.driver
    tab.choose_language(lang, then="/login")
    password = driver.find_element(By.ID, "password")
    password.send_keys("demo-password")
    button = driver.find_element(By.CSS_SELECTOR, ".show-password__button")
    assert button.text == WORDS[lang]["show"]
    button.click()
    assert password.get_attribute("type") == "text"
    assert button.get_attribute("aria-pressed") == "true"
    assert button.text == WORDS[lang]["hide"]
    problems = axe_here(tab, "anonymous", lang)
    button.click()
    assert password.get_attribute("type") == "password"
    assert problems == [], "\n".join(problems)
