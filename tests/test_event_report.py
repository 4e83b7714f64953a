"""The event report with mats and ratings: Welsh and English on one sheet (each block
marked with its language), counts under 3 hidden, quotes only where agreed and with names
taken out; the report and the invite as PDFs in both languages."""

from __future__ import annotations

import re
from io import BytesIO

from pypdf import PdfReader

from portal.core.extensions import db
from portal.events import codes
from portal.events.counts import (
    PlacementRow,
    RatingRow,
    count_placements,
    count_ratings,
    flat_counts,
)
from portal.models import Event
from tests.test_event_activities import _event, _join, _open_mat, _place_json, _rate
from tests.test_events import answer, content  # noqa: F401


def test_counting_placements_and_ratings_is_plain_arithmetic():
    mats = count_placements([
        PlacementRow("home", "home.bedroom", "good"),
        PlacementRow("home", "home.bedroom", "good"),
        PlacementRow("home", "home.bedroom", None),  # not placed: not counted
        PlacementRow("home", "own.1234", "good"),  # a person's own words: never counted
        PlacementRow("home", "home.garden", "not-good"),
    ])
    assert mats == {"home": {"home.bedroom": {"good": 2}, "home.garden": {"not-good": 1}}}
    ratings = count_ratings([RatingRow("safe", "always"), RatingRow("safe", "dont_know"),
                             RatingRow("safe", None)])
    assert ratings == {"safe": {"always": 1, "dont_know": 1}}
    assert flat_counts(mats, ratings) == {
        "m:home:home.bedroom:good": 2, "m:home:home.garden:not-good": 1,
        "r:safe:always": 1, "r:safe:dont_know": 1}


def _pdf_text(response) -> str:
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(BytesIO(response.data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_the_report_has_both_languages_hides_small_counts_and_names(
        app, content, login_as):  # noqa: F811
    facilitator, event_id, code = _event(app, login_as)
    for number, language in enumerate(("cy", "en", "cy")):
        tablet, _menu = _join(app, code, language)
        session_id, _page = _open_mat(tablet)
        assert _place_json(tablet, session_id, "home.bedroom", "good").status_code == 200
        if number == 0:
            _place_json(tablet, session_id, "home.cooking", "not-good")
        assert _rate(tablet, 1, "always").status_code == 302
        start = tablet.get(f"/join/answer/{_conversation(app, number)}/")
        where = start.headers["Location"]
        # Alex is demo-person's name; cardiff (typed small) is a local authority's.
        words = ("Alex and I go to cardiff on the bus" if number == 0
                 else "purple giraffe words")
        response = answer(tablet, where, cards=["friends"], words=words)
        where = response.headers["Location"]
        while "/q/" in where:
            where = answer(tablet, where, action="skip").headers["Location"]
        response = tablet.post_form(where, {"share": "yes" if number == 0 else "no"})
        assert response.headers["Location"] == "/join/menu"  # more to do: back to the menu
        assert tablet.post_form(f"/join/{code}/reset").status_code == 302
    facilitator.post_form(f"/facilitator/events/{event_id}/close")

    page = facilitator.get(f"/facilitator/events/{event_id}/report").get_data(as_text=True)
    assert page.count('class="event-report__language" lang="cy"') == 1
    assert page.count('class="event-report__language" lang="en"') == 1
    assert page.index('lang="cy" aria-labelledby="report-cy"') < page.index(
        'lang="en" aria-labelledby="report-en"')  # Welsh first
    assert "Beth sy&#39;n bwysig yng Nghaerdydd" in page and "What matters in Cardiff" in page
    assert "Did we get it right?" in page and "Ffrindiau" in page and "Friends" in page
    # 3 put their bedroom under "good": shown; 1 put cooking under "not good": hidden.
    assert "My bedroom – Good for me: 3 people." in page
    cooking = page[page.index("Cooking"):][:200]
    assert "Not good for me" not in cooking and ": 1 " not in cooking
    # The statement all 3 rated "always" is counted; the rest are hidden.
    assert "Always: 3 people." in page or "Always true: 3 people." in page
    # Quotes: only the one who agreed, and without names or places.
    quotes = re.findall(r'<blockquote class="answer-words"><p>([^<]*)</p>', page)
    assert quotes == ["[…] and I go to […] on the bus"] * 2  # once in each language
    assert "purple giraffe" not in page

    both = _pdf_text(facilitator.get(f"/facilitator/events/{event_id}/report.pdf"))
    assert "What matters in Cardiff" in both and "Nghaerdydd" in both
    assert "Did we get it right?" in both and "and I go to […] on the bus" in both
    assert "Alex" not in both
    # Why some numbers are missing, on paper as on screen, in each language.
    assert "Sometimes we hide a bigger number too." in both
    assert "Weithiau rydyn ni'n cuddio rhif mwy hefyd." in both.replace("\u2019", "'")
    assert "We only show a number when 3 or more people chose the same thing." in both
    english = _pdf_text(facilitator.get(f"/facilitator/events/{event_id}/report.pdf?lang=en"))
    assert "Nghaerdydd" not in english and "My bedroom" in english
    assert "Sometimes we hide a bigger number too." in english and "Weithiau" not in english


def _conversation(app, number: int) -> int:
    from sqlalchemy import select

    from portal.models import EventParticipant

    with app.app_context():
        found = db.session.scalars(select(EventParticipant).order_by(EventParticipant.id))
        return list(found)[number].conversation_id


def test_the_invite_pdf_has_both_languages_the_qr_and_the_code(app, content, login_as):  # noqa: F811,E501
    facilitator, event_id, _code = _event(app, login_as)
    with app.app_context():
        code = db.session.get(Event, event_id).join_code
    page = facilitator.get(f"/facilitator/events/{event_id}/invite").get_data(as_text=True)
    assert f'href="/facilitator/events/{event_id}/invite.pdf"' in page
    response = facilitator.get(f"/facilitator/events/{event_id}/invite.pdf")
    text = _pdf_text(response)
    assert "What matters in Cardiff" in text and "Nghaerdydd" in text
    assert "Come and tell us what matters to you." in text
    assert codes.spaced(code) in text and f"/join/{code}" in text
    reader = PdfReader(BytesIO(response.data))
    assert reader.metadata.title.startswith("Beth sy")


def test_chosen_most_and_the_questions_cannot_give_away_a_left_out_count():
    """Issue 16: "chosen most" adds up the questions' counts of a card. With 5 in all and
    3 in one question, the other question's 2 would follow: one more number is left out."""
    from collections import Counter

    from portal.commissioning.disclosure import ALL
    from portal.events.counts import QuestionCount
    from portal.events.report import _shown_cards

    counted = [QuestionCount("q1", answered=5, cards=Counter({"bus": 3, "home": 4})),
               QuestionCount("q2", answered=4, cards=Counter({"bus": 2, "home": 3}))]
    shown = _shown_cards(counted, {"bus": None, "home": None})
    assert not shown("q2", "bus", 2)  # below 3
    assert not (shown(ALL, "bus", 5) and shown("q1", "bus", 3))
    assert shown("q1", "home", 4) and shown("q2", "home", 3) and shown(ALL, "home", 7)
