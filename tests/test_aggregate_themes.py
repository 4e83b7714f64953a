"""Themes, event answers, trends, the self-versus-proxy gap and quotes on the commissioner's
dashboard: counted in people, suppressed like the scores, in both languages."""

from __future__ import annotations

import csv
import io
import re

import pytest
from sqlalchemy import select

from portal.commissioning import aggregate
from portal.content.store import load_content
from portal.core.extensions import db
from portal.models import Person
from portal.ops.aggregate_demo import seed_results
from tests.test_commissioning import main_text


def _fact(person=1, la=1, purpose="matters", theme="friends", source="review", age="unknown"):
    return aggregate.ThemeFact(aggregate.person(person), la, source, age, purpose, theme)


def test_a_person_counts_once_per_theme_and_purpose():
    facts = [_fact(), _fact(), _fact(purpose="helps"), _fact(person=2),
             _fact(person=3, purpose="about"), _fact(person=4, la=None)]
    assert aggregate.theme_people(facts) == {
        (1, "review", "unknown", "matters", "friends"): 2,
        (1, "review", "unknown", "helps", "friends"): 1,
    }


def test_period_bounds_cover_quarters_and_years():
    start, end = aggregate.period_bounds("2024-Q4")
    assert (start.year, start.month, end.year, end.month) == (2024, 10, 2025, 1)
    start, end = aggregate.period_bounds("2025")
    assert (start.year, end.year) == (2025, 2026)


@pytest.fixture()
def seeded(app, demo):
    with app.app_context():
        load_content()
        seed_results(people=90, la_codes=("cardiff", "vale-of-glamorgan", "swansea"))
        names = [p.display_name for p in db.session.scalars(select(Person))]
        db.session.remove()
    return names


@pytest.fixture()
def low_threshold(app, monkeypatch):
    # The made-up data is small: a threshold of 3 lets some theme cells through, and the
    # rules (hide below it, no differencing) are the same at any threshold.
    monkeypatch.setitem(app.config, "DISCLOSURE_THRESHOLD", 3)
    return 3


PURPOSES = ("What matters to people", "What gets in the way for people", "What helps people")


def _csv(client, query):
    text = client.get(f"/commissioner/results.csv?{query}").get_data(as_text=True)
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def _theme_tables(rows):
    tables, current = {}, None
    for row in rows:
        if len(row) == 1 and row[0] in PURPOSES:
            current = tables.setdefault(row[0], {})
        elif current is not None and len(row) == 2 and row[0] != "Theme":
            current[row[0]] = row[1]
        elif not row:
            current = None
    return tables


def test_themes_are_shown_counted_in_people_and_never_small(login_as, seeded, low_threshold):
    client = login_as("commissioner")
    page = client.get("/commissioner/results?period=2024")
    text = main_text(page)
    assert "Themes from What Matters conversations" in text
    assert 'id="chart-themes-1"' in page.get_data(as_text=True)
    tables = _theme_tables(_csv(client, "period=2024"))
    assert set(tables) == set(PURPOSES)
    values = [v for table in tables.values() for v in table.values()]
    assert any(v.isdigit() for v in values), "nothing was published at threshold 3"
    for value in values:
        assert value == "Hidden" or int(value) >= low_threshold


def test_a_hidden_theme_count_cannot_be_worked_out_from_the_region(login_as, seeded,
                                                                  low_threshold):
    client = login_as("commissioner")
    region = _theme_tables(_csv(client, "period=2024&area=region:cardiff-and-vale"))
    las = [_theme_tables(_csv(client, f"period=2024&area=la:{code}"))
           for code in ("cardiff", "vale-of-glamorgan")]
    checked = 0
    for purpose, themes in region.items():
        for theme, total in themes.items():
            parts = [la.get(purpose, {}).get(theme, "0") for la in las]
            hidden = [p for p in parts if p == "Hidden"]
            if total == "Hidden":
                continue
            checked += 1
            # One hidden local authority beside a published region total would give it away.
            assert len(hidden) != 1, (purpose, theme, total, parts)
            if not hidden:
                assert int(total) == sum(int(p) for p in parts)
    assert checked


def test_quotes_only_from_people_who_agreed_with_names_and_places_taken_out(
        app, login_as, seeded, low_threshold):
    client = login_as("commissioner")
    html = client.get("/commissioner/results?period=2024&area=region:cardiff-and-vale")
    quotes = re.findall(r'<blockquote class="quote"><p>(.*?)</p>', html.get_data(as_text=True))
    assert quotes, "no shared words were shown"
    for quote in quotes:
        assert "Cardiff" not in quote and "Dewi" not in quote and "07700" not in quote
    # Words from people who did not agree never appear, even when they were typed.
    with app.app_context():
        from portal.models import Answer, Conversation

        private = db.session.scalars(select(Answer.text).join(Conversation).where(
            Conversation.share_words.is_(False), Answer.text.is_not(None))).all()
        shared = db.session.scalars(select(Answer.text).join(Conversation).where(
            Conversation.share_words.is_(True), Answer.text.is_not(None))).all()
    assert private and shared
    only_private = set(private) - set(shared)
    for words in only_private:
        assert words not in html.get_data(as_text=True)


def test_no_quotes_where_the_theme_counts_are_hidden(app, login_as, seeded, monkeypatch):
    monkeypatch.setitem(app.config, "DISCLOSURE_THRESHOLD", 1000)
    client = login_as("commissioner")
    html = client.get("/commissioner/results?period=2024").get_data(as_text=True)
    assert "Themes from What Matters conversations" in html
    assert '<blockquote class="quote">' not in html


def test_event_ratings_count_as_listening_events(login_as, seeded, low_threshold):
    client = login_as("commissioner")
    rows = _csv(client, "period=2024&source=event")
    assert any(r[:1] == ["Where the answers came from"] and r[1] == "Listening events"
               for r in rows)
    statement_rows = [r for r in rows if len(r) == 7 and r[0] != "Statement"]
    assert any(r[5].isdigit() and int(r[5]) >= 3 for r in statement_rows), statement_rows


def test_trends_and_gap_in_english_and_welsh(login_as, seeded, low_threshold):
    client = login_as("commissioner")
    page = client.get("/commissioner/trends?period=2024")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'id="chart-trend"' in html
    text = main_text(page)
    assert "Trends by quarter" in text and "Self and proxy views compared" in text
    assert "Gap (circle minus person)" in text
    for value in re.findall(r"<td[^>]*>(\d+)</td>", html):
        pytest.fail(f"a bare count {value} in a table of means")
    client.get("/language/cy?next=/commissioner/trends")
    welsh = client.get("/commissioner/trends?period=2024")
    assert welsh.status_code == 200 and 'lang="cy"' in welsh.get_data(as_text=True)


def test_trends_refuse_an_area_outside_theirs(login_as, seeded):
    client = login_as("commissioner")
    assert client.get("/commissioner/trends?area=la:swansea").status_code == 403


def test_trends_export_exactly_the_tables_on_screen(login_as, seeded, low_threshold):
    client = login_as("commissioner")
    page = client.get("/commissioner/trends?period=2024").get_data(as_text=True)
    assert 'href="/commissioner/trends.csv?' in page
    response = client.get("/commissioner/trends.csv?period=2024")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert any(r[:1] == ["Rule"] for r in rows)
    on_screen = [cell.strip() for cell in re.findall(r"<t[hd][^>]*>([^<]*)</t[hd]>", page)]
    exported = [cell for r in rows for cell in r]
    assert "Gap (circle minus person)" in exported
    for cell in ("Trends by quarter", "Self and proxy views compared"):
        assert cell in exported
    # Every table cell on screen is in the file, hidden ones as "Hidden".
    missing = [cell for cell in on_screen if cell and cell not in exported]
    assert missing == []
    sheet = client.get("/commissioner/trends.xlsx?period=2024")
    assert sheet.status_code == 200 and sheet.data[:2] == b"PK"
    assert client.get("/commissioner/trends.csv?area=la:swansea").status_code == 403
