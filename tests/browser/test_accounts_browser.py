"""Staff accounts in a real browser (issue 15), in Welsh and English at both tablet sizes,
with axe-core on every page on the way: the admin's list, the new-account form (with a
duplicate username refused and kept), the set-up link page with its QR code, the account
page, and then, signed out, the set-up page (a weak password refused, show password, a
good one saved) and the kind page of a used link."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from tests.browser.support import PORTRAIT, TABLET_SIZES, Browser, report, size_name

pytestmark = pytest.mark.browser

WORDS = {
    "en": {"taken": "That username is taken",
           "short": "at least 10 characters", "saved": "Your password is saved",
           "show": "Show password", "used": "This set-up link does not work"},
    "cy": {"taken": "Mae'r enw defnyddiwr yma wedi'i gymryd",
           "short": "o leiaf 10 nod", "saved": "Mae eich cyfrinair wedi'i gadw",
           "show": "Dangos y cyfrinair", "used": "Dydy'r ddolen osod yma ddim yn gweithio"},
}


def axe_here(tab: Browser, who: str, lang: str, status: int = 200) -> list[str]:
    """axe-core, touch targets and the console on this page, at both tablet sizes."""
    assert tab.lang() == lang, tab.path()
    found, problems = [], []
    for size in TABLET_SIZES:
        tab.size(size)
        _result, violations = tab.check_axe(f"{who} {lang} {size_name(size)}")
        found += violations
        problems += [f"{tab.path()}: small target {t}" for t in tab.small_targets()]
        problems += [f"{tab.path()}: console {m}" for m in tab.console_errors(status)]
    tab.size(PORTRAIT)
    return ([report(found, [])] if found else []) + problems


def page_text(tab: Browser) -> str:
    return tab.driver.execute_script("return document.querySelector('main').innerText")


def fill(tab: Browser, values: dict[str, str]) -> None:
    form = tab.driver.find_element(By.CSS_SELECTOR, "main form")
    for name, value in values.items():
        field = form.find_element(By.NAME, name)
        if field.tag_name == "select":
            field.find_element(By.CSS_SELECTOR, f"option[value='{value}']").click()
        else:
            field.clear()
            field.send_keys(value)
    tab.press_and_wait(form.find_element(By.CSS_SELECTOR, "button[type=submit]"), "submit")


@pytest.mark.parametrize("lang", ["cy", "en"])
def test_the_admin_makes_an_account_and_its_holder_sets_a_password(browser: Browser, lang):
    tab, words = browser, WORDS[lang]
    problems: list[str] = []
    tab.size(PORTRAIT)
    tab.sign_in("admin")
    tab.choose_language(lang, then="/admin/accounts/")
    problems += axe_here(tab, "admin", lang)

    tab.open("/admin/accounts/new")
    problems += axe_here(tab, "admin", lang)
    fill(tab, {"display_name": "Rhys Morgan", "username": "DEMO-practitioner",
               "role": "practitioner", "email": "rhys@example.org"})
    assert tab.status() == 400 and words["taken"] in page_text(tab)
    assert tab.driver.find_element(By.ID, "display_name").get_attribute("value") == "Rhys Morgan"
    problems += axe_here(tab, "admin", lang, status=400)

    fill(tab, {"username": f"rhys-{lang}"})
    assert tab.status() == 200
    link = tab.driver.find_element(By.CSS_SELECTOR, ".qr-link a").get_attribute("href")
    assert tab.driver.find_element(By.CSS_SELECTOR, ".qr svg").is_displayed()
    assert tab.driver.find_element(By.CSS_SELECTOR, "[data-print]").is_displayed()
    problems += axe_here(tab, "admin", lang)
    tab.press_and_wait(tab.driver.find_element(By.CSS_SELECTOR, "main .no-print a"), "the link")
    assert tab.path().startswith("/admin/accounts/")
    problems += axe_here(tab, "admin", lang)

    # The account holder, on their own device.
    path = "/set-up/" + link.rsplit("/set-up/", 1)[1]
    tab.forget_everyone()
    tab.choose_language(lang, then="/about")
    assert tab.open(path) == 200
    problems += axe_here(tab, "anonymous", lang)
    fill(tab, {"password": "short"})
    assert tab.status() == 400 and words["short"] in page_text(tab)
    problems += axe_here(tab, "anonymous", lang, status=400)
    show = tab.driver.find_element(By.CSS_SELECTOR, ".show-password__button")
    assert show.text == words["show"]
    fill(tab, {"password": "rhys keeps a long password"})
    assert words["saved"] in page_text(tab)
    problems += axe_here(tab, "anonymous", lang)

    assert tab.open(path) == 410
    assert words["used"] in page_text(tab)
    problems += axe_here(tab, "anonymous", lang, status=410)
    tab.forget_everyone()
    assert problems == [], "\n".join(problems)
