"""Driving the portal in headless Chromium: sizes, signing in, languages, axe-core.

The fixtures in conftest.py hand tests a `Browser`; this module holds what it can do.
"""

from __future__ import annotations

import json
import mimetypes
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urldefrag, urljoin, urlsplit

import pytest
from axe_selenium_python import Axe
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.expected_conditions import staleness_of
from selenium.webdriver.support.ui import WebDriverWait

PROJECT_ROOT = Path(__file__).resolve().parents[2]
# A current axe-core from npm (package.json); the copy bundled with axe-selenium-python
# 2.1.6 is axe-core 3.1.1, too old for the WCAG 2.1 and 2.2 rules.
AXE_SCRIPT = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = Path(os.environ.get("PORTAL_TEST_CHROMIUM", "/usr/bin/chromium"))
CHROMEDRIVER = Path(os.environ.get("PORTAL_TEST_CHROMEDRIVER", "/usr/bin/chromedriver"))

PORTRAIT = (768, 1024)
LANDSCAPE = (1024, 768)
TABLET_SIZES = (PORTRAIT, LANDSCAPE)
NARROW = (320, 640)

LANGUAGES = ("cy", "en")
ROLES = ("person", "supporter", "practitioner", "facilitator", "commissioner", "admin")
DEMO_PASSWORD = "demo-password"
# Where each demo role lands after signing in.
ROLE_HOMES = {
    "person": "/me/",
    "supporter": "/supporter",
    "practitioner": "/practitioner",
    "facilitator": "/facilitator",
    "commissioner": "/commissioner",
    "admin": "/admin",
}

# Links the crawl does not follow: actions, language switches, files.
NOT_PAGES = ("/logout", "/language/", "/static/", "/pictures/")

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = json.dumps(
    {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
)


# Every page view axe-core checked in this run: (who, path, language, size).
AXE_CHECKS = pytest.StashKey[list]()


TARGET_MIN = 44  # CSS px, both ways (WCAG 2.5.5; the AA floor in 2.5.8 is 24)
MEASURE_TARGETS = """
const min = arguments[0];
const small = [];
const letters = /\\p{L}/u;
function isInSentence(el) {
  // WCAG 2.5.8 "inline": a text link inside a sentence, sized by the line of text.
  if (el.tagName !== "A" || getComputedStyle(el).display !== "inline") return false;
  let block = el.parentElement;
  while (block && getComputedStyle(block).display === "inline") block = block.parentElement;
  if (!block || block.tagName !== "P") return false;
  const copy = block.cloneNode(true);
  copy.querySelectorAll("a").forEach((a) => a.remove());
  return letters.test(copy.textContent);
}
function describe(el) {
  const text = (el.innerText || el.value || el.getAttribute("aria-label") || "").trim();
  return `<${el.tagName.toLowerCase()}${el.id ? " id=" + el.id : ""}` +
    `${el.className ? " class=" + el.className : ""}> ${JSON.stringify(text.slice(0, 40))}`;
}
function offPage(rect) {
  return rect.bottom + scrollY <= 0 || rect.right + scrollX <= 0;
}
const selector = "a[href], button, input, select, textarea, label.picture-choice__label";
for (const el of document.querySelectorAll(selector)) {
  const style = getComputedStyle(el);
  if (el.type === "hidden" || style.display === "none" || style.visibility === "hidden") continue;
  // A visually hidden radio or checkbox: its picture label is the target (checked too).
  if (style.opacity === "0" && el.labels && el.labels.length) continue;
  let rect = el.getBoundingClientRect();
  if (offPage(rect)) {
    // Shown only when focused, like the skip link: measure it as it appears.
    el.focus();
    rect = el.getBoundingClientRect();
    el.blur();
    if (offPage(rect)) continue;
  }
  if (rect.width === 0 && rect.height === 0) continue;
  if (isInSentence(el)) continue;
  if (rect.width < min - 0.01 || rect.height < min - 0.01) {
    small.push(`${describe(el)} is ${rect.width.toFixed(1)}×${rect.height.toFixed(1)}`);
  }
}
return small;
"""

OVERFLOW = """
// Anything drawn beyond the viewport's sides, after clipping by the boxes it sits in
// (a visually hidden table head is clipped to 1 px), but never by <html> or <body>:
// content cut off there is lost, not reflowed.
const width = document.documentElement.clientWidth;
function clippers(el) {
  const boxes = [];
  for (let box = el.parentElement; box && box !== document.body; box = box.parentElement) {
    const style = getComputedStyle(box);
    if (style.overflowX !== "visible" || style.clipPath !== "none" || style.clip !== "auto") {
      boxes.push(box.getBoundingClientRect());
    }
  }
  return boxes;
}
const wide = [];
for (const el of document.body.querySelectorAll("*")) {
  const rect = el.getBoundingClientRect();
  if (!rect.width || !rect.height) continue;
  let left = rect.left, right = rect.right;
  for (const box of clippers(el)) {
    left = Math.max(left, box.left);
    right = Math.min(right, box.right);
  }
  if (right > left && (right > width + 0.5 || left < -0.5)) {
    wide.push(`<${el.tagName.toLowerCase()} class="${el.className}"> ` +
      `${left.toFixed(0)}–${right.toFixed(0)}`);
  }
}
return {scrollWidth: document.documentElement.scrollWidth, width: width, wide: wide.slice(0, 5)};
"""

# Every URL the page has fetched: the page itself, then its styles, scripts, fonts, pictures.
RESOURCES = """
return performance.getEntriesByType("navigation")
  .concat(performance.getEntriesByType("resource")).map((entry) => entry.name);
"""


def size_name(size: tuple[int, int]) -> str:
    return f"{size[0]}x{size[1]}"


def is_page_link(browser: Browser, url: str) -> bool:
    """Whether a link leads to a page of this portal (not another site, an action or a file)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not browser.same_origin(url):
        return False
    if any(parts.path.startswith(prefix) for prefix in NOT_PAGES):
        return False
    # A file (picture, sound, PDF, licence text), not a page: known by its name.
    return mimetypes.guess_type(parts.path)[0] in (None, "text/html")


class PortalAxe(Axe):
    """axe-selenium-python with the current axe-core, read once, and errors reported.

    The wrapper's own `run` has no error handler, so an axe error would only show as a
    script timeout; this one hands the error back. It returns only what the report
    needs, which keeps each check fast.
    """

    _sources: dict[str, str] = {}

    def inject(self) -> None:
        source = self._sources.get(self.script_url)
        if source is None:
            source = Path(self.script_url).read_text(encoding="utf8")
            self._sources[self.script_url] = source
        self.selenium.execute_script(source)

    def run(self, context=None, options=None) -> dict:
        script = (
            "var callback = arguments[arguments.length - 1];"
            "axe.run(document, %s).then(function (results) {"
            "  callback({"
            "    version: axe.version, url: location.href, lang: document.documentElement.lang,"
            "    width: window.innerWidth, height: window.innerHeight,"
            "    violations: results.violations.map(function (v) {"
            "      return {id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,"
            "        nodes: v.nodes.map(function (n) {"
            "          return {target: n.target, summary: n.failureSummary}; })};"
            "    })"
            "  });"
            "}, function (error) { callback({error: String((error && error.stack) || error)}); });"
        ) % (options if options is not None else "{}")
        result = self.selenium.execute_async_script(script)
        if "error" in result:
            url = self.selenium.current_url
            raise AssertionError(f"axe-core failed on {url}: {result['error']}")
        return result


@dataclass(frozen=True)
class Violation:
    context: str  # who, language, size: "person cy 768x1024"
    path: str
    rule: str
    impact: str
    help: str
    help_url: str
    targets: tuple[str, ...]  # each: CSS selector — what axe says to fix


class Browser:
    """One Chromium tab pointed at the live server."""

    def __init__(self, driver, base_url: str):
        self.driver = driver
        self.base_url = base_url.rstrip("/")
        self.origin = "{0.scheme}://{0.netloc}".format(urlsplit(self.base_url))
        self.axe = PortalAxe(driver, script_url=str(AXE_SCRIPT))
        self.current_size: tuple[int, int] | None = None

    # Where the tab is -----------------------------------------------------------------
    def url(self, path: str) -> str:
        if path.startswith(("http://", "https://")):
            return path
        return urljoin(self.base_url + "/", path)

    def path(self, url: str | None = None) -> str:
        """The path and query of a URL (the current one by default), without the fragment."""
        parts = urlsplit(urldefrag(url or self.driver.current_url).url)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def same_origin(self, url: str) -> bool:
        parts = urlsplit(url)
        return f"{parts.scheme}://{parts.netloc}" == self.origin

    def size(self, size: tuple[int, int]) -> None:
        """An exact viewport in CSS pixels (the window size flag is not exact headless)."""
        width, height = size
        self.driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
        )
        self.current_size = size

    def open(self, path: str) -> int:
        """Load a page (following redirects) and return the HTTP status of the last response."""
        self.driver.get_log("browser")  # empty the console: what comes next is this page's
        self.driver.get(self.url(path))
        return self.status()

    def status(self) -> int:
        return int(
            self.driver.execute_script(
                "var n = performance.getEntriesByType('navigation');"
                "return n.length ? n[n.length - 1].responseStatus : 0;"
            )
        )

    def is_html(self) -> bool:
        return self.driver.execute_script("return document.contentType") == "text/html"

    def lang(self) -> str:
        return self.driver.execute_script("return document.documentElement.lang")

    def wait_until(self, condition, message: str, timeout: float = 10):
        return WebDriverWait(self.driver, timeout).until(lambda _d: condition(), message)

    def wait_for_new_page(self, old_page, message: str) -> None:
        """Wait until `old_page` (an element of the page pressed on) has gone. Chromium may
        answer mid-navigation that the node "does not belong to the document" instead of
        calling it stale; under load that came up in CI: it means the same."""

        def gone() -> bool:
            try:
                return staleness_of(old_page)(self.driver)
            except WebDriverException as problem:
                if "does not belong to the document" in str(problem):
                    return True
                raise

        self.wait_until(gone, message)
        self.wait_for_page()

    def press_and_wait(self, element, what: str = "the button") -> None:
        """Click something that loads a new page, and wait for *that* page: waiting only for
        a loaded document can see the old one, still complete, under load."""
        old_page = self.driver.find_element(By.TAG_NAME, "html")
        element.click()
        self.wait_for_new_page(old_page, f"pressing {what} did not lead to a new page")

    def wait_for_page(self) -> None:
        self.wait_until(
            lambda: self.driver.execute_script("return document.readyState") == "complete",
            "the page did not finish loading",
        )

    def links(self) -> list[str]:
        """Every <a href> on the page, as absolute URLs (fragment removed)."""
        hrefs = self.driver.execute_script(
            "return Array.from(document.querySelectorAll('a[href]'), function (a) {"
            "  return a.hasAttribute('download') ? '' : a.href; });"
        )
        return [urldefrag(href).url for href in hrefs if href]

    def page_links(self) -> list[str]:
        """The paths of the portal's pages this page links to, in order, once each."""
        paths = [self.path(url) for url in self.links() if is_page_link(self, url)]
        return list(dict.fromkeys(paths))

    # People and languages ----------------------------------------------------------------
    def forget_everyone(self) -> None:
        """Sign out the blunt way: no cookies, nothing saved in the tab."""
        if not self.driver.current_url.startswith(self.origin):
            self.driver.get(self.url("/healthz"))
        self.driver.delete_all_cookies()
        self.driver.execute_script("try { sessionStorage.clear(); } catch (e) {}")

    def choose_language(self, lang: str, then: str = "/") -> None:
        self.open(f"/language/{lang}?next={quote(then)}")
        assert self.lang() == lang, f"asked for {lang}, the page is in {self.lang()!r}"

    def sign_in(self, role: str) -> None:
        self.open("/login")
        form = self.driver.find_element(By.CSS_SELECTOR, "main form")
        form.find_element(By.NAME, "username").send_keys(f"demo-{role}")
        form.find_element(By.NAME, "password").send_keys(DEMO_PASSWORD)
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        self.wait_until(lambda: self.path() != "/login", f"demo-{role} could not sign in")
        self.wait_for_page()
        assert self.path() == ROLE_HOMES[role], f"demo-{role} landed on {self.path()}"

    def console_errors(self, status: int = 200) -> list[str]:
        """Errors in the console since the page was opened: a script error, a file that is
        missing or blocked by the Content-Security-Policy. The page's own status (a 404 page
        answering 404) is not an error, nor is the browser's own request for a favicon."""
        own = f"{self.driver.current_url} - Failed to load resource: the server responded with"
        return [
            entry["message"]
            for entry in self.driver.get_log("browser")
            if entry["level"] == "SEVERE"
            and "/favicon.ico - " not in entry["message"]
            and not (status != 200 and entry["message"].startswith(f"{own} a status of {status}"))
        ]

    def fetched(self) -> list[str]:
        """Every URL this page has fetched (see RESOURCES)."""
        return self.driver.execute_script(RESOURCES)

    def small_targets(self) -> list[str]:
        """Visible controls smaller than TARGET_MIN both ways (links in a sentence excepted)."""
        return self.driver.execute_script(MEASURE_TARGETS, TARGET_MIN)

    def overflow(self) -> dict:
        """scrollWidth, the viewport width and up to 5 boxes that stick out at the sides."""
        return self.driver.execute_script(OVERFLOW)

    # Checks ------------------------------------------------------------------------------------
    def check_axe(self, context: str) -> tuple[dict, list[Violation]]:
        """Run axe-core on the page as it is now; return the raw result and its violations."""
        self.axe.inject()
        result = self.axe.run(options=AXE_OPTIONS)
        if self.current_size is not None:
            seen = (result["width"], result["height"])
            assert seen == self.current_size, f"viewport is {seen}, wanted {self.current_size}"
        path = self.path(result["url"])
        violations = [
            Violation(
                context=context,
                path=path,
                rule=v["id"],
                impact=v["impact"] or "unknown",
                help=v["help"],
                help_url=v["helpUrl"],
                targets=tuple(
                    " ".join(map(str, node["target"]))
                    + (" — " + " ".join(node["summary"].split()) if node["summary"] else "")
                    for node in v["nodes"]
                ),
            )
            for v in result["violations"]
        ]
        return result, violations


@dataclass(frozen=True)
class Problem:
    context: str  # who, language, size
    path: str
    message: str


def report(violations: list[Violation], problems: list[Problem]) -> str:
    """Everything found, one block per rule (or problem) and page, naming every context
    (who, language, size) it was seen in."""
    grouped: dict[tuple, list[str]] = {}
    for v in violations:
        key = (v.rule, v.impact, v.help, v.help_url, v.path, v.targets)
        grouped.setdefault(key, []).append(v.context)
    lines = []
    if grouped:
        lines.append(f"{len(violations)} axe violations ({len(grouped)} distinct):")
    for (rule, impact, help_text, help_url, path, targets), contexts in sorted(grouped.items()):
        lines.append(f"- {rule} ({impact}) on {path}: {help_text}")
        lines.append(f"    seen as: {', '.join(contexts)}")
        lines.extend(f"    target: {target}" for target in targets)
        lines.append(f"    how to fix: {help_url}")
    other: dict[tuple[str, str], list[str]] = {}
    for problem in problems:
        other.setdefault((problem.path, problem.message), []).append(problem.context)
    if other:
        lines.append(f"{len(problems)} other problems ({len(other)} distinct):")
    for (path, message), contexts in sorted(other.items()):
        lines.append(f"- {path}: {message}")
        lines.append(f"    seen as: {', '.join(contexts)}")
    return "\n".join(lines)
