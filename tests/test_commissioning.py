"""The commissioner's results: real aggregates from demo-like data in both languages, only
their areas, bad filters answered clearly, exports that match the screen, and nobody's
name or row anywhere."""

from __future__ import annotations

import csv
import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from portal.content.store import load_content
from portal.core.extensions import db
from portal.models import Person
from portal.ops.aggregate_demo import seed_results


def main_text(response) -> str:
    from bs4 import BeautifulSoup

    return BeautifulSoup(response.get_data(as_text=True), "html.parser").main.get_text(" ")


@pytest.fixture()
def results(app, demo):
    with app.app_context():
        load_content()
        seed_results(people=60, la_codes=("cardiff", "vale-of-glamorgan", "swansea"))
        names = [p.display_name for p in db.session.scalars(select(Person))]
        ids = [p.id for p in db.session.scalars(select(Person))]
        db.session.remove()
    return names, ids


def _numbers(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"\b\d+\b", text)]


def test_commissioner_sees_scores_for_their_region_in_english_and_welsh(login_as, results):
    client = login_as("commissioner")
    page = client.get("/commissioner/results?period=2024")
    assert page.status_code == 200
    text = main_text(page)
    assert "Scores by statement" in text
    assert "<svg" in page.get_data(as_text=True)
    assert "I am safe" in text or "safe" in text.lower()
    client.get("/language/cy?next=/commissioner/results")
    welsh = client.get("/commissioner/results?period=2024")
    assert welsh.status_code == 200
    assert 'lang="cy"' in welsh.get_data(as_text=True)


def test_no_small_number_is_ever_published(login_as, results):
    client = login_as("commissioner")
    for area in ("region:cardiff-and-vale", "la:cardiff", "la:vale-of-glamorgan"):
        for period in ("2024", "2024-Q1", "2025-Q4"):
            response = client.get(f"/commissioner/results.csv?period={period}&area={area}")
            assert response.status_code == 200
            rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
            in_tables = False
            for row in rows:
                if row and row[0] == "Scores by statement":
                    in_tables = True
                    continue
                if in_tables and len(row) > 2:
                    counts = row[1:-1]
                    for value in counts:
                        if value.isdigit():
                            assert int(value) == 0 or int(value) >= 10, (area, period, row)


def test_an_area_outside_theirs_is_refused(login_as, results):
    client = login_as("commissioner")
    assert client.get("/commissioner/results?area=la:swansea").status_code == 403
    assert client.get("/commissioner/results.csv?area=region:west-glamorgan").status_code == 403


@pytest.mark.parametrize(("query", "english"), [
    ("period=1999-Q9", "We do not know that period."),
    ("respondent=x", "We do not know those people."),
    ("source=post", "We do not know where those answers came from."),
    ("age=old", "We do not know that age band."),
])
def test_an_unknown_filter_is_refused_in_the_page_language(login_as, results, query, english):
    """Refused with 400, never swapped for another choice (issue 16), in both languages;
    the downloads refuse it too."""
    client = login_as("commissioner")
    page = client.get(f"/commissioner/results?{query}")
    assert page.status_code == 400
    assert english in main_text(page)
    for path in ("results.csv", "results.xlsx", "trends", "trends.csv"):
        assert client.get(f"/commissioner/{path}?{query}").status_code == 400
    client.get("/language/cy?next=/commissioner/results")
    welsh = client.get(f"/commissioner/results?{query}")
    assert welsh.status_code == 400
    assert 'lang="cy"' in welsh.get_data(as_text=True)
    assert english not in main_text(welsh)
    assert "Dydyn ni ddim yn" in main_text(welsh)


def test_where_every_number_is_hidden_the_page_says_hidden_not_no_results(app, login_as,
                                                                         results):
    """A threshold above every count: the tables are there, every number "Hidden", and the
    page never says there are no results (there are; they are hidden)."""
    app.config["DISCLOSURE_THRESHOLD"] = 100000
    try:
        client = login_as("commissioner")
        text = main_text(client.get("/commissioner/results?period=2024"))
        csv_text = client.get("/commissioner/results.csv?period=2024").get_data(as_text=True)
    finally:
        app.config.pop("DISCLOSURE_THRESHOLD")
    assert "no results" not in text
    assert "Hidden" in text and "Hidden" in csv_text
    statements = text.split("Scores by statement", 1)[1].split("Mean score (0 to 100)", 1)[1]
    assert not _numbers(statements.split("Themes")[0])


def test_with_no_data_the_page_says_so(login_as):
    client = login_as("commissioner")
    page = client.get("/commissioner/results")
    assert page.status_code == 200
    assert "There are no results for these choices yet." in main_text(page)


def test_exports_match_the_screen_and_name_nobody(login_as, results):
    names, ids = results
    client = login_as("commissioner")
    query = "period=2024&area=region:cardiff-and-vale"
    screen = client.get(f"/commissioner/results?{query}").get_data(as_text=True)
    csv_text = client.get(f"/commissioner/results.csv?{query}").get_data(as_text=True)
    book = load_workbook(io.BytesIO(client.get(f"/commissioner/results.xlsx?{query}").data))
    sheet_rows = []
    for row in book.active.iter_rows(values_only=True):
        cells = ["" if v is None else str(v) for v in row]
        while cells and cells[-1] == "":
            cells.pop()
        sheet_rows.append(cells)
    csv_rows = list(csv.reader(io.StringIO(csv_text.lstrip("\ufeff"))))
    assert [r for r in csv_rows if r] == [[c for c in r] for r in sheet_rows if any(r)]
    assert any("fewer than 10 people" in " ".join(r) for r in csv_rows)
    assert any("even with every download put together" in " ".join(r) for r in csv_rows)
    assert any(r[:1] == ["Period"] for r in csv_rows)
    statement_rows = [r for r in csv_rows if len(r) == 7 and r[0] != "Statement"]
    assert statement_rows
    for row in statement_rows:
        assert f"<th scope=\"row\">{row[0]}</th>" in screen.replace("&#39;", "'")
        for value in row[1:]:
            assert f"<td>{value}</td>" in screen
    for name in [*names, "Alex"]:
        assert name not in screen and name not in csv_text
