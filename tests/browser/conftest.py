"""Fixtures for the browser tests: the portal on a live server, one headless Chromium.

Without Chromium, ChromeDriver or node_modules/axe-core these tests are skipped with the
reason, except in CI (CI=true), where a missing tool fails the run: the accessibility
checks block a release and must not vanish quietly.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import threading

import pytest
from werkzeug.serving import make_server

from portal import create_app
from portal.core.extensions import db
from tests.browser.support import (
    AXE_CHECKS,
    AXE_SCRIPT,
    CHROMEDRIVER,
    CHROMIUM,
    PORTRAIT,
    Browser,
)

IN_CI = os.environ.get("CI", "").lower() == "true"
HEADLESS_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
)


def _cannot_run(reason: str):
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: browser tests must run in CI)", pytrace=False)
    pytest.skip(reason)


def _missing_tools() -> list[str]:
    missing = []
    if not CHROMIUM.is_file():
        missing.append(
            f"Chromium not found at {CHROMIUM} (apt-get install chromium, "
            "or set PORTAL_TEST_CHROMIUM)"
        )
    if not CHROMEDRIVER.is_file():
        missing.append(
            f"ChromeDriver not found at {CHROMEDRIVER} (apt-get install chromium-driver, "
            "or set PORTAL_TEST_CHROMEDRIVER)"
        )
    if not AXE_SCRIPT.is_file():
        missing.append(f"axe-core not found at {AXE_SCRIPT} (run npm ci)")
    return missing


class LiveServer:
    def __init__(self, app, server):
        self.app = app
        self.server = server
        self.url = f"http://{server.host}:{server.port}"


def seed_conversations() -> None:
    """Give demo-person one conversation under way and one finished, so that the crawl
    reaches the question, summary and tagging screens (starting one is a POST, which a
    crawl of links never makes)."""
    from sqlalchemy import select

    from portal.conversations import store
    from portal.conversations.flow import Decision
    from portal.models import Person

    person = db.session.scalar(select(Person).where(Person.display_name == "Alex"))
    for key, finished in (("what-matters", False), ("journey", True)):
        conversation, _ = store.start_or_resume(
            person.id, key, started_by_id=person.user_id, language="en"
        )
        db.session.flush()
        for question in store.questions_for(key)[:2]:
            decision = Decision("answered", "I like going to the park with my friends.",
                                question.cards[:2])
            store.save_answer(conversation, question, decision, item_id=question.item_id,
                              typed_by_user_id=person.user_id, typed_for_person=False)
        # A yes/no question too: its picture scale on the summary, and (where "Carry on"
        # leads) on the question screen.
        scaled = next(q for q in reversed(store.questions_for(key)) if q.points)
        store.save_answer(conversation, scaled, Decision("answered", None, scaled.cards[:1],
                                                         "no"),
                          item_id=scaled.item_id, typed_by_user_id=person.user_id,
                          typed_for_person=False)
        conversation.current_position = scaled.key
        if finished:
            store.finish(conversation)
    db.session.commit()
    seed_events()


def seed_events() -> None:
    """One open and one closed event for demo-facilitator, so the crawl reaches the event,
    live view, group mode, invite and report pages."""
    from datetime import date

    from sqlalchemy import select

    from portal.events import store as events
    from portal.models import LocalAuthority, User

    facilitator = db.session.scalar(select(User).where(User.username == "demo-facilitator"))
    cardiff = db.session.scalar(select(LocalAuthority).where(LocalAuthority.code == "cardiff"))
    for title_en, title_cy, closed in (("Our voices", "Ein lleisiau", False),
                                       ("Spring meeting", "Cyfarfod y gwanwyn", True)):
        event = events.create_event(
            facilitator_id=facilitator.id, title_en=title_en, title_cy=title_cy,
            description_en="Tell us what matters.", description_cy="Dywedwch beth sy'n bwysig.",
            event_date=date(2026, 11, 24), venue="Canolfan y Ddinas",
            local_authority_id=cardiff.id, conversation_key="what-matters",
            mat_keys="home", use_ratings=True,  # the live view and report show their counts
        )
        if closed:
            events.close_event(event)
    db.session.commit()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The portal served from a background thread, on its own database with the demo data
    and the easy-read content loaded (as `make run` does)."""
    from portal.content.store import load_content
    from portal.ops.demo import seed_demo

    database = tmp_path_factory.mktemp("browser-db") / "portal.sqlite3"
    app = create_app(
        {
            "ENVIRONMENT": "testing",
            "DATABASE_URL": f"sqlite:///{database}",
            "TESTING": True,
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        }
    )
    with app.app_context():
        db.create_all()
        seed_demo()
        load_content()
        seed_conversations()
    # One log line per request would bury a failure report; warnings still show.
    werkzeug_log = logging.getLogger("werkzeug")
    old_level = werkzeug_log.level
    werkzeug_log.setLevel(logging.WARNING)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(app, server)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        werkzeug_log.setLevel(old_level)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture(scope="session")
def chromium_driver():
    """One headless Chromium for the whole session (it takes 1–2.5 s to start)."""
    missing = _missing_tools()
    if missing:
        _cannot_run("; ".join(missing))
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="portal-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in HEADLESS_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.add_argument("--lang=en-GB")
    # Keep the console, so a script error or a blocked resource is seen (Browser.console_errors).
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # Passing the driver explicitly stops Selenium Manager from looking on the internet.
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture()
def browser(chromium_driver, live_server) -> Browser:
    """The shared tab, signed out, with no language chosen, at tablet portrait size."""
    tab = Browser(chromium_driver, live_server.url)
    tab.forget_everyone()
    tab.size(PORTRAIT)
    return tab


def pytest_terminal_summary(terminalreporter):
    checked = terminalreporter.config.stash.get(AXE_CHECKS, [])
    if checked:
        pages = {(who, path) for who, path, _lang, _size in checked}
        terminalreporter.write_line(
            f"axe-core checked {len(checked)} page views: {len(pages)} pages "
            f"(who × path) × languages × tablet sizes"
        )
