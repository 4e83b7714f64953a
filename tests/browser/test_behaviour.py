"""Behaviour that needs a real browser: scripts, layout, sizes and where requests go."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from tests.browser.support import (
    LANGUAGES,
    NARROW,
    ROLE_HOMES,
    ROLES,
    TABLET_SIZES,
    TARGET_MIN,
    Browser,
    size_name,
)

pytestmark = pytest.mark.browser

OTHER = {"cy": "en", "en": "cy"}


def submit_empty_sign_in(browser: Browser) -> None:
    browser.open("/login")
    browser.driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    browser.wait_until(
        lambda: browser.driver.find_elements(By.CSS_SELECTOR, ".error-summary"),
        "the empty sign-in form showed no error summary",
    )
    browser.wait_for_page()


# (a) ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", LANGUAGES)
def test_switching_language_keeps_what_was_typed(browser: Browser, lang: str):
    browser.choose_language(lang, then="/login")
    form = browser.driver.find_element(By.CSS_SELECTOR, "main form")
    form.find_element(By.NAME, "username").send_keys("Siân ŵyr")
    form.find_element(By.NAME, "password").send_keys("not kept")

    browser.driver.find_element(By.CSS_SELECTOR, "a.language-switch").click()
    browser.wait_until(lambda: browser.lang() == OTHER[lang], "the page did not change language")
    browser.wait_for_page()

    assert browser.path() == "/login", "the switch should come back to the same page"
    form = browser.driver.find_element(By.CSS_SELECTOR, "main form")
    assert form.find_element(By.NAME, "username").get_property("value") == "Siân ŵyr"
    assert form.find_element(By.NAME, "password").get_property("value") == "", (
        "a password must never be saved in the browser"
    )


# (b) ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", LANGUAGES)
def test_empty_sign_in_shows_error_summary_with_focus(browser: Browser, lang: str):
    browser.choose_language(lang, then="/login")
    submit_empty_sign_in(browser)

    summary = browser.driver.find_element(By.CSS_SELECTOR, ".error-summary")
    assert summary.is_displayed()
    links = summary.find_elements(By.CSS_SELECTOR, "a[href^='#']")
    assert {link.get_attribute("hash") for link in links} == {"#username", "#password"}
    focused = browser.driver.switch_to.active_element
    assert focused == summary, (
        f"focus is on <{focused.tag_name} class={focused.get_attribute('class')!r}>, "
        "not the error summary"
    )
    assert browser.driver.title.startswith({"en": "Error:", "cy": "Gwall:"}[lang])


# (c) ---------------------------------------------------------------------------------------
def touch_target_pages(browser: Browser, lang: str):
    """Show each page in turn and yield its name while `browser` is on it.

    The start and sign-in pages (also with errors), then what one link leads to from
    there, then a person's pages (picture cards, the sign-out button, picture choices).
    """
    browser.forget_everyone()
    browser.open("/")
    yield "first-visit language offer"
    browser.choose_language(lang, then="/")
    yield "start"
    browser.open("/login")
    yield "sign-in"
    submit_empty_sign_in(browser)
    yield "sign-in with errors"
    for path in browser.page_links():
        browser.open(path)
        yield "linked from sign-in"
    browser.sign_in("person")
    browser.choose_language(lang, then=ROLE_HOMES["person"])
    yield "person's home"
    for path in browser.page_links():
        browser.open(path)
        yield "linked from the person's home"


@pytest.mark.parametrize("size", TABLET_SIZES, ids=size_name)
def test_touch_targets_are_at_least_44px(browser: Browser, size):
    browser.size(size)
    too_small = []
    for lang in LANGUAGES:
        for page in touch_target_pages(browser, lang):
            for problem in browser.small_targets():
                too_small.append(f"{lang} {page} ({browser.path()}): {problem}")
    assert not too_small, f"touch targets under {TARGET_MIN}×{TARGET_MIN} px:\n" + "\n".join(
        too_small
    )


# (d) ---------------------------------------------------------------------------------------
def pages_around_home(browser: Browser, who: str, lang: str):
    """Yield while `browser` shows each page: the home of `who`, then every page it links to.
    Anonymous visitors also see the first-visit offer and the sign-in page with errors."""
    if who == "anonymous":
        browser.open("/")
        yield
        home = "/"
    else:
        browser.sign_in(who)
        home = ROLE_HOMES[who]
    browser.choose_language(lang, then=home)
    yield
    for path in browser.page_links():
        browser.open(path)
        yield
    if who == "anonymous":
        submit_empty_sign_in(browser)
        yield


@pytest.mark.parametrize("who", ("anonymous",) + ROLES)
def test_no_horizontal_scroll_at_320px(browser: Browser, who: str):
    browser.size(NARROW)
    overflowing = []
    for lang in LANGUAGES:
        browser.forget_everyone()
        for _ in pages_around_home(browser, who, lang):
            seen = browser.overflow()
            if seen["scrollWidth"] > seen["width"] or seen["wide"]:
                overflowing.append(
                    f"{lang} {browser.path()}: {seen['scrollWidth']} px wide in a "
                    f"{seen['width']} px viewport; widest: {'; '.join(seen['wide'])}"
                )
    assert not overflowing, "pages scroll sideways at 320 px:\n" + "\n".join(overflowing)


# (e) ---------------------------------------------------------------------------------------
# The crawl in test_accessibility.py checks this on every page too.
@pytest.mark.parametrize("who", ("anonymous", "person", "admin"))
def test_every_request_stays_on_the_portal(browser: Browser, who: str):
    elsewhere = []
    resources = 0
    for lang in LANGUAGES:
        browser.forget_everyone()
        for _ in pages_around_home(browser, who, lang):
            browser.wait_for_page()
            urls = browser.fetched()
            resources += len(urls) - 1
            elsewhere += [
                f"{lang} {browser.path()}: {url}" for url in urls if not browser.same_origin(url)
            ]
    assert resources > 0, "no resources were recorded: the check saw nothing"
    assert not elsewhere, "requests to another host:\n" + "\n".join(elsewhere)
