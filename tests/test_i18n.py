"""Welsh and English: locale order, the active offer, the switch, plurals."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from flask_babel import force_locale, ngettext
from sqlalchemy import delete, select

from portal.core.extensions import db
from portal.core.i18n import COOKIE, select_locale
from portal.models import CircleMember, Person, User
from tests.conftest import sign_in


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def html_lang(response) -> str:
    return soup_of(response).html["lang"]


def the_switch(response):
    return soup_of(response).find("a", class_="language-switch")


def _user(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


@pytest.mark.parametrize(
    ("cookie", "accept", "expected"),
    [
        (None, None, "en"),
        (None, "cy", "cy"),
        (None, "cy-GB,cy;q=0.9,en;q=0.5", "cy"),
        (None, "fr,de", "en"),
        (None, "en-GB,cy;q=0.5", "en"),
        (None, "cy-GB,en;q=0.5", "cy"),
        (None, "fr,cy-GB;q=0.4,en;q=0.3", "cy"),
        (None, "cy;q=0,en;q=0.1", "en"),
        (None, "*", "en"),
        ("cy", "en", "cy"),
        ("en", "cy", "en"),
        ("fr", "cy", "cy"),  # a cookie that is not one of ours is ignored
    ],
)
def test_locale_order_for_visitors(app, cookie, accept, expected):
    headers = {}
    if cookie:
        headers["Cookie"] = f"{COOKIE}={cookie}"
    if accept:
        headers["Accept-Language"] = accept
    with app.test_request_context("/", headers=headers):
        assert select_locale() == expected


def test_a_saved_choice_beats_the_cookie_and_the_browser(client, app):
    with app.app_context():
        _user("demo-admin").locale = "cy"
        db.session.commit()
    sign_in(client, "demo-admin")
    client.set_cookie(COOKIE, "en")
    response = client.get("/admin", headers={"Accept-Language": "en"})
    assert html_lang(response) == "cy"


def test_first_visit_offers_both_languages(client):
    response = client.get("/", headers={"Accept-Language": "en"})
    assert response.status_code == 200
    choices = soup_of(response).find_all("a", class_="language-offer__choice")
    assert [(a.get_text(strip=True), a["lang"]) for a in choices] == [
        ("Cymraeg", "cy"),
        ("English", "en"),
    ]
    targets = [urlsplit(a["href"]) for a in choices]
    assert [t.path for t in targets] == ["/language/cy", "/language/en"]
    assert all(parse_qs(t.query)["next"] == ["/"] for t in targets)


def test_the_offer_is_made_even_when_the_browser_prefers_welsh(client):
    response = client.get("/", headers={"Accept-Language": "cy"})
    assert soup_of(response).find(class_="language-offer") is not None


@pytest.mark.parametrize("code", ["cy", "en"])
def test_choosing_a_language_remembers_it_and_goes_back(client, code):
    response = client.get(f"/language/{code}?next=/about")
    assert (response.status_code, response.headers["Location"]) == (302, "/about")
    cookie = client.get_cookie(COOKIE)
    assert cookie is not None and cookie.value == code
    assert html_lang(client.get("/about")) == code
    # Once chosen, the start page no longer asks.
    start = client.get("/")
    assert soup_of(start).find(class_="language-offer") is None
    assert html_lang(start) == code


def test_the_language_cookie_lasts_and_is_not_readable_by_scripts(client):
    response = client.get("/language/cy?next=/")
    header = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith(COOKIE))
    assert "HttpOnly" in header and "SameSite=Lax" in header
    assert "Max-Age=31536000" in header


def test_an_unknown_language_is_not_found(client):
    assert client.get("/language/fr?next=/").status_code == 404
    assert client.get_cookie(COOKIE) is None


def test_choosing_a_language_never_leaves_the_site(client):
    response = client.get("/language/cy", query_string={"next": "//evil.example/"})
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize(
    ("here", "other", "name"), [("en", "cy", "Cymraeg"), ("cy", "en", "English")]
)
def test_the_switch_names_the_other_language_in_that_language(client, here, other, name):
    client.set_cookie(COOKIE, here)
    switch = the_switch(client.get("/about"))
    assert switch.get_text(strip=True) == name
    assert switch["lang"] == other and switch["hreflang"] == other


@pytest.mark.parametrize("page", ["/login?next=%2Fadmin", "/about", "/settings"])
def test_the_switch_leads_to_the_same_page_in_the_other_language(client, page):
    client.set_cookie(COOKIE, "en")
    href = the_switch(client.get(page))["href"]
    target = urlsplit(href)
    assert target.path == "/language/cy"
    assert parse_qs(target.query)["next"] == [page]
    response = client.get(href)
    assert (response.status_code, response.headers["Location"]) == (302, page)
    assert html_lang(client.get(page)) == "cy"


def test_the_switch_on_a_not_found_page_keeps_the_address(client):
    client.set_cookie(COOKIE, "en")
    href = the_switch(client.get("/no/such/page?x=1"))["href"]
    assert parse_qs(urlsplit(href).query)["next"] == ["/no/such/page?x=1"]
    assert client.get(href).headers["Location"] == "/no/such/page?x=1"
    response = client.get("/no/such/page?x=1")
    assert (response.status_code, html_lang(response)) == (404, "cy")


def test_the_switch_on_a_signed_in_page(login_as):
    client = login_as("practitioner")
    client.set_cookie(COOKIE, "en")
    href = the_switch(client.get("/practitioner"))["href"]
    assert client.get(href).headers["Location"] == "/practitioner"
    assert html_lang(client.get("/practitioner")) == "cy"


@pytest.mark.parametrize("code", ["cy", "en"])
@pytest.mark.parametrize("page", ["/", "/login", "/about", "/settings", "/no-such-page"])
def test_html_lang_is_right(client, code, page):
    client.set_cookie(COOKIE, code)
    assert html_lang(client.get(page)) == code


def test_signing_in_saves_the_language_already_chosen(client, app):
    client.set_cookie(COOKIE, "cy")
    sign_in(client, "demo-practitioner")
    with app.app_context():
        assert _user("demo-practitioner").locale == "cy"
    client.set_cookie(COOKIE, "en")  # e.g. a shared tablet
    assert html_lang(client.get("/practitioner")) == "cy"


def test_signing_in_keeps_an_earlier_saved_choice(client, app):
    with app.app_context():
        _user("demo-supporter").locale = "en"
        db.session.commit()
    client.set_cookie(COOKIE, "cy")
    response = sign_in(client, "demo-supporter")
    with app.app_context():
        assert _user("demo-supporter").locale == "en"
    assert client.get_cookie(COOKIE).value == "en"
    assert response.headers["Location"] == "/supporter"


def test_switching_while_signed_in_saves_the_choice(login_as, app):
    client = login_as("facilitator")
    client.get("/language/cy?next=/facilitator")
    with app.app_context():
        assert _user("demo-facilitator").locale == "cy"


def test_sign_in_page_in_welsh(client):
    client.set_cookie(COOKIE, "cy")
    soup = soup_of(client.get("/login"))
    assert soup.h1.get_text(strip=True) == "Mewngofnodi"
    assert soup.title.get_text().startswith("Mewngofnodi – Beth sy'n Bwysig")
    assert soup.find("label", attrs={"for": "username"}).get_text(strip=True) == "Enw defnyddiwr"
    assert soup.find("label", attrs={"for": "password"}).get_text(strip=True) == "Cyfrinair"


def test_sign_in_errors_in_welsh(client):
    client.set_cookie(COOKIE, "cy")
    response = sign_in(client, "demo-admin", "wrong")
    soup = soup_of(response)
    assert soup.title.get_text().startswith("Gwall: Mewngofnodi")
    assert "Mae eich enw defnyddiwr neu eich cyfrinair yn anghywir." in soup.get_text()
    assert soup.find(class_="error-summary__title").get_text(strip=True) == "Mae problem"


WELSH_LIST = {
    0: "Does neb ar eich rhestr.",
    1: "Mae 1 person ar eich rhestr.",
    2: "Mae 2 berson ar eich rhestr.",
    3: "Mae 3 pherson ar eich rhestr.",
    6: "Mae 6 pherson ar eich rhestr.",
    7: "Mae 7 o bobl ar eich rhestr.",
}
ENGLISH_LIST = {
    0: "There are 0 people on your list.",
    1: "There is 1 person on your list.",
    2: "There are 2 people on your list.",
}


@pytest.mark.parametrize("n", sorted(WELSH_LIST))
def test_welsh_uses_all_six_plural_forms(app, n):
    with app.test_request_context("/"), force_locale("cy"):
        text = ngettext(
            "There is %(num)d person on your list.", "There are %(num)d people on your list.", n
        )
    assert text == WELSH_LIST[n]


@pytest.mark.parametrize("n", sorted(ENGLISH_LIST))
def test_english_plurals(app, n):
    with app.test_request_context("/"), force_locale("en"):
        text = ngettext(
            "There is %(num)d person on your list.", "There are %(num)d people on your list.", n
        )
    assert text == ENGLISH_LIST[n]


def _practitioner_list_of(app, size: int) -> None:
    """Give demo-practitioner exactly `size` people on their list."""
    with app.app_context():
        practitioner = _user("demo-practitioner")
        db.session.execute(delete(CircleMember).where(CircleMember.user_id == practitioner.id))
        for i in range(size):
            person = Person(display_name=f"Person {i}")
            db.session.add(person)
            db.session.flush()
            db.session.add(
                CircleMember(person_id=person.id, user_id=practitioner.id, relation="professional")
            )
        db.session.commit()


@pytest.mark.parametrize("n", sorted(WELSH_LIST))
def test_a_rendered_welsh_plural(client, app, n):
    _practitioner_list_of(app, n)
    client.set_cookie(COOKIE, "cy")
    sign_in(client, "demo-practitioner")
    lead = soup_of(client.get("/practitioner")).find("p", class_="lead")
    assert lead.get_text(strip=True) == WELSH_LIST[n]


def test_the_demo_practitioner_list_in_both_languages(login_as):
    client = login_as("practitioner")
    client.set_cookie(COOKIE, "en")
    assert "There is 1 person on your list." in client.get("/practitioner").get_data(as_text=True)
    client.get("/language/cy?next=/practitioner")
    assert "Mae 1 person ar eich rhestr." in client.get("/practitioner").get_data(as_text=True)


def test_area_names_follow_the_language(login_as):
    client = login_as("admin")
    client.get("/language/cy?next=/admin")
    page = client.get("/admin").get_data(as_text=True)
    assert "Caerdydd" in page and "Ynys Môn" in page and "Gogledd Cymru" in page
    assert "7 bwrdd partneriaeth rhanbarthol" in page
    client.get("/language/en?next=/admin")
    page = client.get("/admin").get_data(as_text=True)
    assert "Cardiff" in page and "Isle of Anglesey" in page and "North Wales" in page
    assert "7 regional partnership boards" in page
