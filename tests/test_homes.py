"""Each role's home after signing in: what it shows, and no dead links."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import delete, select

from portal.core.extensions import db
from portal.models import CircleMember, Person, User
from tests.conftest import DEMO_ROLES, sign_in
from tests.test_access import HOMES


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def main_text(response) -> str:
    return soup_of(response).find("main").get_text(" ", strip=True)


def test_person_home_greets_them_with_picture_buttons(login_as):
    response = login_as("person").get("/me/")
    soup = soup_of(response)
    assert soup.h1.get_text(strip=True) == "Hello Alex"
    cards = soup.find_all("a", class_="picture-card")
    assert cards, "a person's home offers big picture buttons"
    assert "/me/circle" in [card["href"] for card in cards]
    for card in cards:
        picture = card.find("img")
        assert picture is not None and picture["src"].startswith("/pictures/")
        assert card.get_text(strip=True), "every picture button has words too"


def test_person_sees_their_circle(login_as):
    text = main_text(login_as("person").get("/me/circle"))
    assert "Siân Jones – Family" in text
    assert "Rhys Evans – Professional" in text


def test_person_sees_their_circle_in_welsh(login_as):
    client = login_as("person")
    client.get("/language/cy?next=/me/circle")
    text = main_text(client.get("/me/circle"))
    assert "Fy nghylch cymorth" in text
    assert "Siân Jones – Teulu" in text
    assert "Rhys Evans – Gweithiwr proffesiynol" in text


def test_an_empty_circle_says_so(login_as, app):
    with app.app_context():
        db.session.execute(delete(CircleMember))
        db.session.commit()
    text = main_text(login_as("person").get("/me/circle"))
    assert "Nobody is in your circle yet." in text


def test_a_person_account_without_a_person_record_is_not_found(client, app):
    with app.app_context():
        person = db.session.scalar(select(Person))
        db.session.delete(person)
        db.session.commit()
    sign_in(client, "demo-person")
    assert client.get("/me/").status_code == 404


def test_practitioner_sees_alex_on_their_list(login_as):
    response = login_as("practitioner").get("/practitioner")
    soup = soup_of(response)
    items = [li.get_text(" ", strip=True) for li in soup.find_all("li", class_="work-list__item")]
    assert items == ["Alex – Cardiff"]
    assert "There is 1 person on your list." in main_text(response)


def test_supporter_sees_alex(login_as):
    response = login_as("supporter").get("/supporter")
    soup = soup_of(response)
    items = [li.get_text(" ", strip=True) for li in soup.find_all("li", class_="work-list__item")]
    assert items == ["Alex – Cardiff"]
    assert "You are in the circle of support of 1 person." in main_text(response)


def test_supporter_with_nobody_to_support(login_as, app):
    with app.app_context():
        supporter = db.session.scalar(select(User).where(User.username == "demo-supporter"))
        db.session.execute(delete(CircleMember).where(CircleMember.user_id == supporter.id))
        db.session.commit()
    text = main_text(login_as("supporter").get("/supporter"))
    assert "You are not in anyone's circle of support yet." in text
    assert "Alex" not in text


def test_staff_only_see_people_in_their_own_circles(login_as, app):
    with app.app_context():
        db.session.add(Person(display_name="Someone Else"))
        db.session.commit()
    for role in ("supporter", "practitioner"):
        assert "Someone Else" not in main_text(login_as(role).get(HOMES[role]))


def test_admin_sees_the_accounts_and_the_22_councils(login_as):
    response = login_as("admin").get("/admin")
    soup = soup_of(response)
    councils = [li.get_text(strip=True) for ul in soup.find_all("ul", class_="area-list")
                for li in ul.find_all("li")]
    assert len(councils) == 22
    assert "Cardiff" in councils and "Isle of Anglesey" in councils
    regions = [h3.get_text(strip=True) for h3 in soup.find_all("h3")]
    assert len(regions) == 7
    assert "7 regional partnership boards" in main_text(response)
    usernames = [row.find("td").get_text(strip=True) for row in soup.find("tbody").find_all("tr")]
    assert sorted(usernames) == sorted(f"demo-{r}" for r in DEMO_ROLES)


def test_facilitator_and_commissioner_homes_say_there_is_nothing_yet(login_as):
    client = login_as("facilitator")
    assert "You have no listening events yet." in main_text(client.get("/facilitator"))
    client.post_form("/logout")
    client = login_as("commissioner")
    assert "There are no results for your areas yet." in main_text(client.get("/commissioner"))


@pytest.mark.parametrize("role", [r for r in DEMO_ROLES if r != "person"])
def test_person_pages_are_refused_to_other_roles(login_as, role):
    client = login_as(role)
    for path in ("/me/", "/me/circle"):
        response = client.get(path)
        assert response.status_code == 403
        assert "Alex" not in response.get_data(as_text=True)


@pytest.mark.parametrize("role", DEMO_ROLES)
def test_home_has_no_dead_links(login_as, role):
    client = login_as(role)
    response = client.get(HOMES[role])
    links = {a["href"] for a in soup_of(response).find_all("a", href=True)}
    for href in sorted(links):
        target = urlsplit(href)
        if target.scheme or target.netloc or href.startswith("#"):
            continue
        if target.path.startswith("/language/"):
            continue  # switches language: checked in test_i18n
        answer = client.get(href)
        assert answer.status_code in (200, 302), f"{role}: {href} answers {answer.status_code}"


@pytest.mark.parametrize("role", DEMO_ROLES)
def test_the_site_name_leads_home(login_as, role):
    soup = soup_of(login_as(role).get(HOMES[role]))
    assert soup.find("a", class_="site-header__name")["href"] == HOMES[role]
