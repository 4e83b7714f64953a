"""The commissioner's results, trends and "you said, we did" pages with real (suppressed)
aggregates in them, and the admin's area pages: axe-core, 44 px targets and no sideways
scroll at 320 px, in Welsh and English. (The crawl in test_accessibility.py has no results
to show, so it sees these pages empty.)"""

from __future__ import annotations

from datetime import date

import pytest

from tests.browser.support import LANGUAGES, NARROW, PORTRAIT, Browser, Problem, report

pytestmark = pytest.mark.browser

COMMISSIONER_PAGES = ("/commissioner/you-said", "/commissioner/you-said/new",
                      "/commissioner/results?period=2024&area=la:cardiff&source=event",
                      "/commissioner/trends?period=2024", "/commissioner/results?period=2024")


@pytest.fixture(scope="module")
def results(live_server):
    from sqlalchemy import select

    from portal.core.extensions import db
    from portal.models import LocalAuthority, User, YouSaidWeDid
    from portal.ops.aggregate_demo import seed_results

    with live_server.app.app_context():
        if db.session.scalar(select(YouSaidWeDid)) is None:
            seed_results(people=200, la_codes=("cardiff", "vale-of-glamorgan"))
            user = db.session.scalar(select(User).where(User.username == "demo-commissioner"))
            cardiff = db.session.scalar(select(LocalAuthority).where(
                LocalAuthority.code == "cardiff"))
            db.session.add(YouSaidWeDid(
                commissioner_id=user.id, local_authority_id=cardiff.id, theme_key="friends",
                heard_en="You told us it is hard to see friends.",
                heard_cy="Dywedoch chi ei bod hi'n anodd gweld ffrindiau.",
                doing_en="We will pay for a weekly club.",
                doing_cy="Byddwn ni'n talu am glwb bob wythnos.", by_when=date(2027, 3, 31)))
            db.session.commit()
        db.session.remove()
    return live_server


def _check(browser: Browser, who: str, paths, needs) -> None:
    violations, problems = [], []
    browser.sign_in(who)
    for lang in LANGUAGES:
        browser.choose_language(lang, then=paths[0])
        for path in paths:
            for size in (PORTRAIT, NARROW):
                browser.size(size)
                assert browser.open(path) == 200, path
                if path == paths[-1]:
                    for needed in needs:
                        assert needed in browser.driver.page_source, (lang, needed)
                if size == PORTRAIT:
                    _raw, found = browser.check_axe(f"{who} {lang} {size}")
                    violations += found
                    small = browser.small_targets()
                    problems += [Problem(f"{who} {lang}", path, s) for s in small]
                else:
                    seen = browser.overflow()
                    if seen["scrollWidth"] > seen["width"] or seen["wide"]:
                        problems.append(Problem(f"{who} {lang}", path,
                                                "scrolls sideways at 320 px: "
                                                + "; ".join(seen["wide"])))
    if violations or problems:
        pytest.fail(report(violations, problems), pytrace=False)


def test_commissioner_pages_with_results(browser: Browser, results):
    _check(browser, "commissioner", COMMISSIONER_PAGES, ("<svg",))


def test_admin_area_pages(browser: Browser, results):
    from sqlalchemy import select

    from portal.core.extensions import db
    from portal.models import User

    with results.app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.username == "demo-commissioner"))
        db.session.remove()
    _check(browser, "admin",
           ("/admin/commissioner-areas/", f"/admin/commissioner-areas/{user_id}"),
           ('type="checkbox"',))


def test_people_see_you_said_we_did(browser: Browser, results):
    from sqlalchemy import select

    from portal.core.extensions import db
    from portal.models import LocalAuthority, Person

    with results.app.app_context():
        person = db.session.scalar(select(Person).where(Person.display_name == "Alex"))
        person.local_authority_id = db.session.scalar(select(LocalAuthority.id).where(
            LocalAuthority.code == "cardiff"))
        db.session.commit()
        db.session.remove()
    _check(browser, "person", ("/me/",), ('class="you-said"',))
