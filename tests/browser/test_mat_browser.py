"""The mat and the outcome ratings in a real browser at tablet size: dragging by touch and by
mouse, tapping a card then a place, and keyboard alone (WCAG 2.5.7 and 2.1.1), in Welsh and
English; each move saved at once and announced."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from sqlalchemy import select

from portal.core.extensions import db
from portal.models import MatSession, Person, Rating, RatingSession, User
from tests.browser.support import LANGUAGES, TABLET_SIZES, Browser, report, size_name

pytestmark = pytest.mark.browser


# --- Helpers ----------------------------------------------------------------------------------


def press_start(browser: Browser) -> None:
    """ "Start", when the mat is not open yet (a GET opens nothing). The answer comes back to
    the same address, so wait for the mat itself rather than for a new address."""
    found = browser.driver.find_elements(By.CSS_SELECTOR, "form[action$='/start'] button")
    if not found:
        return
    found[0].click()
    browser.wait_until(lambda: browser.driver.execute_script(
        "return !document.querySelector(\"form[action$='/start']\")"
        " && !!document.querySelector('[data-mat-board]');"), "Start did not open the mat")
    browser.wait_for_page()


def open_mat(browser: Browser, mat: str, lang: str) -> None:
    browser.sign_in("person")
    browser.choose_language(lang, then=f"/me/mats/{mat}")
    press_start(browser)
    browser.wait_until(
        lambda: browser.driver.execute_script(
            "var b = document.querySelector('[data-mat-board]');"
            "var f = document.querySelector('[data-mat-form]');"
            "return b && !b.hidden && f.hidden;"),
        "mat.js did not show the mat",
    )


def pick_button(browser: Browser, card: str):
    return browser.driver.find_element(
        By.CSS_SELECTOR, f'.mat-card[data-card="{card}"] .mat-card__pick')


def target(browser: Browser, point: str):
    return browser.driver.find_element(By.CSS_SELECTOR, f'.mat-target[data-target="{point}"]')


def place_in_page(browser: Browser, card: str) -> str | None:
    """Where the card is on the page: the point's key, "" for the cards to place."""
    return browser.driver.execute_script(
        "var c = document.querySelector('.mat-card[data-card=\"' + arguments[0] + '\"]');"
        "return c ? c.closest('.mat-target').dataset.target : null;", card)


def tray_cards(browser: Browser) -> list[str]:
    return browser.driver.execute_script(
        "return Array.from(document.querySelectorAll('.mat-tray .mat-card'),"
        " function (c) { return c.dataset.card; });")


def stored(app, mat: str, card: str) -> tuple[str, str | None] | None:
    """(status, point key) of the card in demo-person's newest session of this mat."""
    with app.app_context():
        person = db.session.scalar(
            select(Person).join(User, Person.user_id == User.id)
            .where(User.username == "demo-person"))
        session = db.session.scalar(
            select(MatSession).where(MatSession.person_id == person.id,
                                     MatSession.mat_key == mat)
            .order_by(MatSession.id.desc()).limit(1))
        result = None
        for row in session.placements if session else ():
            if row.card_key == card:
                result = (row.status, row.point_item.key.rsplit(".", 1)[1]
                          if row.point_item else None)
        db.session.remove()
        return result


def wait_stored(browser: Browser, app, mat: str, card: str, expected) -> None:
    browser.wait_until(lambda: stored(app, mat, card) == expected,
                       f"{card} was not saved as {expected}: {stored(app, mat, card)}")


def announced(browser: Browser) -> str:
    browser.wait_until(
        lambda: browser.driver.execute_script(
            "return document.querySelector('[data-mat-status]').textContent"),
        "nothing was announced")
    return browser.driver.execute_script(
        "return document.querySelector('[data-mat-status]').textContent")


def center(browser: Browser, element) -> tuple[float, float]:
    return tuple(browser.driver.execute_script(
        "var r = arguments[0].getBoundingClientRect();"
        "return [r.left + r.width / 2, r.top + Math.min(r.height / 2, 40)];", element))


def show_both(browser: Browser, first, second) -> None:
    """Scroll so that both elements are on the screen (the columns above the tray)."""
    browser.driver.execute_script(
        "arguments[0].scrollIntoView({block: 'start'});"
        "window.scrollBy(0, -10);", first)
    bottom = browser.driver.execute_script(
        "return arguments[0].getBoundingClientRect().bottom;", second)
    assert bottom < browser.driver.execute_script("return window.innerHeight"), (
        "the card and the place do not fit on the screen together")


def touch(browser: Browser, kind: str, point: tuple[float, float] | None = None) -> None:
    points = [] if point is None else [{"x": point[0], "y": point[1]}]
    browser.driver.execute_cdp_cmd("Input.dispatchTouchEvent",
                                   {"type": kind, "touchPoints": points})


def touch_drag(browser: Browser, start, end, steps: int = 12) -> None:
    touch(browser, "touchStart", start)
    for step in range(1, steps + 1):
        x = start[0] + (end[0] - start[0]) * step / steps
        y = start[1] + (end[1] - start[1]) * step / steps
        touch(browser, "touchMove", (x, y))
    touch(browser, "touchEnd")


def touch_tap(browser: Browser, element) -> None:
    browser.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
    point = center(browser, element)
    touch(browser, "touchStart", point)
    touch(browser, "touchEnd")


@pytest.fixture()
def touch_screen(browser: Browser):
    browser.driver.execute_cdp_cmd("Emulation.setTouchEmulationEnabled",
                                   {"enabled": True, "maxTouchPoints": 5})
    yield browser
    browser.driver.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": False})


def keys(browser: Browser, *sequence) -> None:
    ActionChains(browser.driver).send_keys(*sequence).perform()


def focused(browser: Browser):
    return browser.driver.switch_to.active_element


def tab_to(browser: Browser, matches, what: str, limit: int = 80) -> None:
    """Press Tab (only Tab) until the focused element matches."""
    for _ in range(limit):
        keys(browser, Keys.TAB)
        if matches(focused(browser)):
            return
    raise AssertionError(f"Tab never reached {what}")


def is_pick(card: str):
    return lambda element: (element.get_attribute("class") == "mat-card__pick"
                            and element.find_element(By.XPATH, "..").get_attribute("data-card")
                            == card)


# --- Dragging ---------------------------------------------------------------------------------


def test_drag_with_the_mouse_and_move_again(browser: Browser, live_server):
    open_mat(browser, "health", "en")
    card = tray_cards(browser)[0]
    show_both(browser, target(browser, "good"), pick_button(browser, card))
    ActionChains(browser.driver).click_and_hold(pick_button(browser, card)) \
        .move_by_offset(0, -15).move_to_element(target(browser, "good")) \
        .move_by_offset(0, 30).release().perform()
    browser.wait_until(lambda: place_in_page(browser, card) == "good", "the card did not move")
    wait_stored(browser, live_server.app, "health", card, ("placed", "good"))
    assert "is under" in announced(browser)
    assert not browser.driver.find_elements(By.CSS_SELECTOR, ".mat-ghost")

    # Moved again, then put back with the cards to place.
    ActionChains(browser.driver).click_and_hold(pick_button(browser, card)) \
        .move_by_offset(15, 0).move_to_element(target(browser, "not-sure")) \
        .move_by_offset(0, 30).release().perform()
    wait_stored(browser, live_server.app, "health", card, ("placed", "not-sure"))
    tray = browser.driver.find_element(By.CSS_SELECTOR, ".mat-tray")
    ActionChains(browser.driver).click_and_hold(pick_button(browser, card)) \
        .move_by_offset(0, 20).move_to_element(tray).release().perform()
    wait_stored(browser, live_server.app, "health", card, ("unplaced", None))
    assert place_in_page(browser, card) == ""


@pytest.mark.parametrize("lang", LANGUAGES)
def test_drag_by_touch(touch_screen: Browser, live_server, lang: str):
    browser = touch_screen
    open_mat(browser, "safety", lang)
    assert browser.lang() == lang
    card = tray_cards(browser)[1]
    show_both(browser, target(browser, "not-good"), pick_button(browser, card))
    start = center(browser, pick_button(browser, card))
    end = center(browser, target(browser, "not-good"))
    touch_drag(browser, start, (end[0], end[1] + 60))
    browser.wait_until(lambda: place_in_page(browser, card) == "not-good",
                       "the card did not move by touch")
    wait_stored(browser, live_server.app, "safety", card, ("placed", "not-good"))
    assert announced(browser)


# --- Tap a card, then tap a place (the single-pointer way, WCAG 2.5.7) -------------------------


def test_tap_a_card_then_a_place_by_touch(touch_screen: Browser, live_server):
    browser = touch_screen
    open_mat(browser, "learning", "cy")
    card = tray_cards(browser)[0]
    touch_tap(browser, pick_button(browser, card))
    browser.wait_until(lambda: pick_button(browser, card).get_attribute("aria-pressed") == "true",
                       "tapping the card did not pick it up")
    touch_tap(browser, target(browser, "good").find_element(By.CSS_SELECTOR, ".mat-drop"))
    browser.wait_until(lambda: place_in_page(browser, card) == "good", "the tap did not place it")
    wait_stored(browser, live_server.app, "learning", card, ("placed", "good"))
    assert pick_button(browser, card).get_attribute("aria-pressed") == "false"


def test_tap_a_card_then_a_place_with_the_mouse(browser: Browser, live_server):
    open_mat(browser, "learning", "en")
    card = tray_cards(browser)[0]
    pick_button(browser, card).click()
    assert pick_button(browser, card).get_attribute("aria-pressed") == "true"
    assert "You picked up" in announced(browser)
    target(browser, "not-sure").find_element(By.CSS_SELECTOR, ".mat-drop").click()
    browser.wait_until(lambda: place_in_page(browser, card) == "not-sure", "not placed")
    wait_stored(browser, live_server.app, "learning", card, ("placed", "not-sure"))
    # Tapping a place with no card picked moves nothing.
    target(browser, "good").find_element(By.CSS_SELECTOR, ".mat-drop").click()
    assert place_in_page(browser, card) == "not-sure"


# --- Keyboard alone ---------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_complete_a_mat_by_keyboard_alone(browser: Browser, live_server, lang: str):
    mat = "contributing" if lang == "en" else "money-work"
    open_mat(browser, mat, lang)
    browser.driver.execute_script("document.activeElement.blur(); window.scrollTo(0, 0);")
    cards = tray_cards(browser)
    first = cards[0]

    # Escape puts the card down where it was.
    tab_to(browser, is_pick(first), f"the card {first}")
    keys(browser, Keys.ENTER)
    assert pick_button(browser, first).get_attribute("aria-pressed") == "true"
    keys(browser, Keys.ARROW_RIGHT)
    assert "is-target" in target(browser, "good").get_attribute("class")
    keys(browser, Keys.ESCAPE)
    assert pick_button(browser, first).get_attribute("aria-pressed") == "false"
    assert place_in_page(browser, first) == ""

    # Each card: Enter picks it up, the arrows choose a place, Enter puts it down.
    steps = {"good": 1, "not-sure": 2, "not-good": 3}  # from the tray, Right wraps to "good"
    wanted = {}
    for index, card in enumerate(cards):
        point = list(steps)[index % 3]
        wanted[card] = point
        if not is_pick(card)(focused(browser)):
            tab_to(browser, is_pick(card), f"the card {card}")
        keys(browser, Keys.ENTER)
        keys(browser, *([Keys.ARROW_RIGHT] * steps[point]))
        keys(browser, Keys.ENTER)
        browser.wait_until(lambda c=card, p=point: place_in_page(browser, c) == p,
                           f"{card} did not move to {point}")
        assert is_pick(card)(focused(browser)), "focus should stay on the card moved"
        wait_stored(browser, live_server.app, mat, card, ("placed", point))
    assert announced(browser)

    # Then "Check my mat", "Is this right?", "Yes, save it": still by keyboard.
    tab_to(browser, lambda e: e.tag_name == "a" and "/check" in (e.get_attribute("href") or ""),
           "Check my mat")
    keys(browser, Keys.ENTER)
    browser.wait_until(lambda: browser.path().endswith("/check"), "did not reach the check")
    browser.wait_for_page()
    tab_to(browser, lambda e: e.tag_name == "button" and e.get_attribute("type") == "submit"
           and "/save" in e.find_element(By.XPATH, "ancestor::form").get_attribute("action"),
           "Yes, save it")
    keys(browser, Keys.ENTER)
    browser.wait_until(lambda: "/me/mats/saved/" in browser.path(), "the mat was not saved")
    browser.wait_for_page()
    image = browser.driver.find_element(By.CSS_SELECTOR, ".mat-saved__picture img")
    browser.wait_until(lambda: browser.driver.execute_script(
        "return arguments[0].complete && arguments[0].naturalWidth", image) == 1600,
        "the mat picture did not load")
    for card, point in wanted.items():
        assert stored(live_server.app, mat, card) == ("placed", point)
    print_button = browser.driver.find_element(By.CSS_SELECTOR, "[data-print]")
    assert print_button.is_displayed()


# --- Outcome ratings by keyboard and by touch -------------------------------------------------


def ratings_of(app) -> dict[str, tuple[str, float | None]]:
    with app.app_context():
        session = db.session.scalar(
            select(RatingSession).join(Person, RatingSession.person_id == Person.id)
            .join(User, Person.user_id == User.id).where(User.username == "demo-person")
            .order_by(RatingSession.id.desc()).limit(1))
        rows = {r.statement_key: (r.status, r.score)
                for r in db.session.scalars(select(Rating).where(Rating.session_id == session.id))}
        db.session.remove()
        return rows


@pytest.mark.parametrize("lang", LANGUAGES)
def test_rate_every_statement_by_keyboard_then_by_touch(touch_screen: Browser, live_server,
                                                          lang: str):
    browser = touch_screen
    browser.sign_in("person")
    browser.choose_language(lang, then="/me/how-true/1")
    total = 24
    for number in range(1, total + 1):
        browser.wait_until(lambda n=number: browser.path() == f"/me/how-true/{n}",
                           f"not on statement {number}")
        browser.wait_for_page()
        if number <= total // 2:
            # Keyboard: Tab into the answers, the arrow keys choose, Tab to Next, Enter.
            browser.driver.execute_script("document.activeElement.blur(); window.scrollTo(0, 0);")
            tab_to(browser, lambda e: e.get_attribute("name") == "answer", "the answers")
            keys(browser, Keys.SPACE)
            keys(browser, *([Keys.ARROW_RIGHT] * (number % 5)))
            tab_to(browser, lambda e: e.get_attribute("value") == "next", "Next")
            keys(browser, Keys.ENTER)
        else:
            # Touch: tap a picture, then tap Next.
            labels = browser.driver.find_elements(By.CSS_SELECTOR, ".picture-choice__label")
            touch_tap(browser, labels[number % 5])
            touch_tap(browser, browser.driver.find_element(By.CSS_SELECTOR,
                                                           "button[value=next]"))
    browser.wait_until(lambda: browser.path() == "/me/how-true/check", "no check page")
    browser.wait_for_page()
    touch_tap(browser, browser.driver.find_element(
        By.CSS_SELECTOR, "form[action='/me/how-true/save'] button[type=submit]"))
    browser.wait_until(lambda: "/me/how-true/saved/" in browser.path(), "not saved")
    rows = ratings_of(live_server.app)
    assert len(rows) == total
    # Choice n % 5 of: always, mostly, sometimes, not true, I don't know.
    expected = {0: 100.0, 1: 200 / 3, 2: 100 / 3, 3: 0.0, 4: None}
    scores = [score for _status, score in rows.values()]
    assert sorted(s for s in scores if s is not None) == pytest.approx(sorted(
        expected[n % 5] for n in range(1, total + 1) if expected[n % 5] is not None))
    assert sum(1 for status, _ in rows.values() if status == "dont_know") == sum(
        1 for n in range(1, total + 1) if n % 5 == 4)


# --- Accessibility of every mat and rating page, in both languages -----------------------------


def test_mat_and_rating_pages_pass_axe(browser: Browser, live_server):
    """axe-core over each state of the pages (a card picked up, an error shown, a saved mat
    and what changed), in Welsh and English, at both tablet sizes; every violation is
    collected, then the test fails."""
    violations = []
    browser.sign_in("person")

    def check(what: str) -> None:
        for size in TABLET_SIZES:
            browser.size(size)
            violations.extend(browser.check_axe(f"person {lang} {size_name(size)} {what}")[1])
        browser.size(TABLET_SIZES[0])

    def press(selector: str) -> None:
        # Wait for the next page, not just a loaded one: the page pressed on is loaded too.
        old_page = browser.driver.find_element(By.TAG_NAME, "html")
        browser.driver.find_element(By.CSS_SELECTOR, selector).click()
        browser.wait_for_new_page(old_page, f"pressing {selector} did not lead to a new page")

    for lang in LANGUAGES:
        browser.choose_language(lang, then="/me/mats/")
        check("mats")
        for _ in range(2):  # saved twice, so that "what changed" has two mats
            browser.open("/me/mats/rights")
            check("mat, before start")
            press_start(browser)
            check("mat")
            card = tray_cards(browser)[0]
            pick_button(browser, card).click()
            check("mat, a card picked up")
            target(browser, "good").find_element(By.CSS_SELECTOR, ".mat-drop").click()
            wait_stored(browser, live_server.app, "rights", card, ("placed", "good"))
            press(".mat-board a.button")  # Check my mat
            check("is this right?")
            press("form[action$='/save'] button[type=submit]")
            check("saved mat")
        browser.open("/me/mats/rights/over-time")
        check("what changed")
        for _ in range(2):
            browser.open("/me/how-true/1")
            press("button[value=next]")  # no answer: the error
            check("statement with an error")
            press("button[value=skip]")  # the first answer opens the ratings
            browser.open("/me/how-true/check")
            check("ratings check")
            press("form[action='/me/how-true/save'] button[type=submit]")
            check("saved ratings")
        browser.open("/me/how-true/over-time")
        check("ratings: what changed")
    if violations:
        pytest.fail(report(violations, []), pytrace=False)
