"""Every page each role can reach passes axe-core's WCAG 2.2 AA rules, in both languages;
every control on it is a touch target of at least 44×44 px; nothing on it fails in the
console or is fetched from another host.

For anonymous visitors and each demo role the test follows every same-origin link from
the start page or the role's home, and adds pages no link leads to: the first-visit
language offer, the sign-in page showing its errors, the 404 page and (signed in) the
403 page. Each page is checked in Welsh and in English, on a tablet held upright
(768×1024) and sideways (1024×768). Every violation is collected and reported at the
end, so one run shows all there is to fix.
"""

from __future__ import annotations

import warnings
from collections import Counter, deque
from urllib.parse import urlsplit

import pytest
from selenium.webdriver.common.by import By
from werkzeug.exceptions import HTTPException

from tests.browser.support import (
    AXE_CHECKS,
    LANGUAGES,
    NARROW,
    ROLE_HOMES,
    ROLES,
    TABLET_SIZES,
    TARGET_MIN,
    Browser,
    Problem,
    Violation,
    is_page_link,
    report,
    size_name,
)

pytestmark = pytest.mark.browser

MAX_PAGES_PER_LANGUAGE = 60
# Pages of one view that differ only in their data (one per content item, say) share a
# template: a few of each are checked, so that every kind of page fits under the cap.
MAX_PAGES_PER_VIEW = 3
MIN_AXE_VERSION = (4, 10)
MISSING_PAGE = "/no-such-page-for-the-browser-tests"
# A page each signed-in role may not see, to check the 403 page as that role.
FORBIDDEN = {role: ("/admin" if role != "admin" else "/me/") for role in ROLES}


class Run:
    """What one role's run has checked and found."""

    def __init__(self, browser: Browser, who: str, record: list, url_map):
        self.browser = browser
        self.routes = url_map.bind("localhost")
        self.who = who
        self.violations: list[Violation] = []
        self.problems: list[Problem] = []
        self.record = record
        self.axe_versions: set[str] = set()

    def check_here(self, lang: str, size: tuple[int, int], status: int = 200) -> None:
        """axe-core, touch targets, the console and where requests went, on this page now."""
        context = f"{self.who} {lang} {size_name(size)}"
        result, found = self.browser.check_axe(context)
        self.axe_versions.add(result["version"])
        path = self.browser.path()
        if lang in LANGUAGES and result["lang"] != lang:
            self.problems.append(Problem(context, path, f"<html lang={result['lang']!r}>"))
        self.violations.extend(found)
        self.problems += [
            Problem(context, path, f"touch target under {TARGET_MIN}×{TARGET_MIN} px: {target}")
            for target in self.browser.small_targets()
        ]
        self.problems += [
            Problem(context, path, f"console: {message}")
            for message in self.browser.console_errors(status)
        ]
        self.problems += [
            Problem(context, path, f"fetched from another host: {url}")
            for url in self.browser.fetched()
            if not self.browser.same_origin(url)
        ]
        self.record.append((self.who, self.browser.path(), lang, size_name(size)))

    def check_page(self, path: str, lang: str, expected_status: int = 200) -> list[str]:
        """Load the page at each tablet size and check it; return the links on it."""
        links: list[str] = []
        for size in TABLET_SIZES:
            self.browser.size(size)
            status = self.browser.open(path)
            if status != expected_status:
                self.problems.append(
                    Problem(
                        f"{self.who} {lang} {size_name(size)}",
                        path,
                        f"answered {status}, expected {expected_status}",
                    )
                )
                return []
            if not self.browser.is_html():
                return []
            self.check_here(lang, size, status)
            links = links or self.browser.links()
        return links

    def view_of(self, path: str) -> str:
        parts = urlsplit(path)
        try:
            endpoint, _args = self.routes.match(parts.path, method="GET", query_args=parts.query)
        except HTTPException:  # not found, or a redirect (a trailing slash): count it alone
            return path
        return endpoint

    def crawl(self, start: str, lang: str) -> None:
        """Check every page reachable by links from `start`, breadth first."""
        seen = {start}
        queue = deque([start])
        per_view = Counter([self.view_of(start)])
        checked = 0
        while queue:
            if checked >= MAX_PAGES_PER_LANGUAGE:
                warnings.warn(
                    f"{self.who} {lang}: stopped after {checked} pages; "
                    f"{len(queue)} more not checked (raise MAX_PAGES_PER_LANGUAGE)",
                    stacklevel=1,
                )
                break
            path = queue.popleft()
            links = self.check_page(path, lang)
            checked += 1
            seen.add(self.browser.path())  # where a redirect ended
            for url in links:
                if is_page_link(self.browser, url):
                    target = self.browser.path(url)
                    if target in seen:
                        continue
                    seen.add(target)
                    view = self.view_of(target)
                    if per_view[view] < MAX_PAGES_PER_VIEW:
                        per_view[view] += 1
                        queue.append(target)

    def check_sign_in_errors(self, lang: str) -> None:
        """The sign-in form sent empty: the page with its error summary and field errors."""
        self.browser.size(TABLET_SIZES[0])
        self.browser.open("/login")
        self.browser.driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
        self.browser.wait_until(
            lambda: self.browser.driver.find_elements(By.CSS_SELECTOR, ".error-summary"),
            "the empty sign-in form showed no error summary",
        )
        self.browser.wait_for_page()
        for size in TABLET_SIZES:  # the same page resized: reloading would send it again
            self.browser.size(size)
            self.check_here(lang, size, status=400)


@pytest.mark.parametrize("who", ("anonymous",) + ROLES)
def test_every_reachable_page_passes_axe(browser: Browser, live_server, who: str, request):
    record = request.config.stash.setdefault(AXE_CHECKS, [])
    run = Run(browser, who, record, live_server.app.url_map)

    if who == "anonymous":
        # The very first visit: Welsh and English offered as equals, no language chosen yet.
        for size in TABLET_SIZES:
            browser.size(size)
            browser.open("/")
            run.check_here("offer", size)
    else:
        browser.sign_in(who)

    home = "/" if who == "anonymous" else ROLE_HOMES[who]
    for lang in LANGUAGES:
        browser.choose_language(lang, then=home)
        run.crawl(home, lang)
        run.check_page(MISSING_PAGE, lang, expected_status=404)
        if who == "anonymous":
            run.check_sign_in_errors(lang)
        else:
            run.check_page(FORBIDDEN[who], lang, expected_status=403)

    assert run.axe_versions, "axe-core never ran"
    for version in run.axe_versions:
        major_minor = tuple(int(part) for part in version.split(".")[:2])
        assert major_minor >= MIN_AXE_VERSION, (
            f"axe-core {version} was injected; the WCAG 2.1/2.2 rules need >= 4.10 "
            "(use node_modules/axe-core, not the copy bundled with axe-selenium-python)"
        )
    if run.violations or run.problems:
        pytest.fail(report(run.violations, run.problems), pytrace=False)


STRONG_AND_VERY_BIG = {"high_contrast": "yes", "text_size": "very-large"}
DEFAULTS = {
    "pictures": "yes",
    "text_size": "normal",
    "speech_rate": "normal",
    "high_contrast": "no",
}


def choose_settings(browser: Browser, choices: dict[str, str]) -> None:
    """Press the picture choices on the settings page and save, as a person would."""
    browser.open("/settings")
    form = browser.driver.find_element(By.CSS_SELECTOR, "main form")
    for name, value in choices.items():
        choice = form.find_element(By.CSS_SELECTOR, f"input[name='{name}'][value='{value}']")
        form.find_element(By.CSS_SELECTOR, f"label[for='{choice.get_attribute('id')}']").click()
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    browser.wait_until(lambda: "saved=1" in browser.driver.current_url, "settings not saved")
    browser.wait_for_page()


@pytest.mark.parametrize("who", ("anonymous", "person"))
def test_strong_colours_and_very_big_words_pass_too(
    browser: Browser, live_server, who: str, request
):
    """The person's own settings change every page: strong colours (a black page) and words
    at 150 %. The home and every page it links to pass axe-core and the touch-target check
    at tablet sizes, and do not scroll sideways at 320 px."""
    record = request.config.stash.setdefault(AXE_CHECKS, [])
    run = Run(browser, f"{who} (strong colours, very big words)", record, live_server.app.url_map)
    if who != "anonymous":
        browser.sign_in(who)
    home = ROLE_HOMES.get(who, "/")
    try:
        choose_settings(browser, STRONG_AND_VERY_BIG)
        classes = browser.driver.execute_script("return document.documentElement.className")
        assert {"high-contrast", "text-very-large"} <= set(classes.split()), classes
        for lang in LANGUAGES:
            browser.choose_language(lang, then=home)
            pages = list(dict.fromkeys([home, *browser.page_links()]))
            for path in pages:
                run.check_page(path, lang)
            browser.size(NARROW)
            for path in pages:
                browser.open(path)
                seen = browser.overflow()
                if seen["scrollWidth"] > seen["width"] or seen["wide"]:
                    run.problems.append(
                        Problem(
                            f"{run.who} {lang} {size_name(NARROW)}",
                            path,
                            f"scrolls sideways: {seen['scrollWidth']} px wide in "
                            f"{seen['width']} px; {'; '.join(seen['wide'])}",
                        )
                    )
    finally:
        if who != "anonymous":  # the demo account keeps its settings: put them back
            browser.size(TABLET_SIZES[0])
            choose_settings(browser, DEFAULTS)
    if run.violations or run.problems:
        pytest.fail(report(run.violations, run.problems), pytrace=False)
