"""Listening events: the facilitator's side (set up, QR, invite, live counts, group mode,
close, report), and the pure helpers (join codes, counts, the small-number rule)."""

from __future__ import annotations

import re

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from portal.core.extensions import db
from portal.events import codes
from portal.events.counts import AnswerRow, count_answers, shown_count, top_themes
from portal.models import Answer, Conversation, Event, EventParticipant, LocalAuthority, User

# --- Pure helpers -----------------------------------------------------------------------------


def test_join_codes_use_no_look_alikes():
    for _ in range(300):
        code = codes.new_code()
        assert len(code) == 6 and codes.looks_like_code(code)
        assert not set(code) & set("0O1IL5S2Z8B")
    assert not set(codes.ALPHABET) & set("0O1IL5S2Z8B")


def test_typed_codes_are_forgiving():
    assert codes.normalise(" acd 3fg ") == "ACD3FG"
    assert codes.normalise("acd-3fg") == "ACD3FG"
    assert codes.spaced("ACD3FG") == "ACD 3FG"
    assert not codes.looks_like_code("ACD3F0")  # 0 is never in a code
    assert not codes.looks_like_code("ACD3F")


def test_tokens_are_kept_only_as_hashes():
    token = codes.new_token()
    assert len(token) >= 40
    assert codes.token_hash(token) != token and len(codes.token_hash(token)) == 64


def test_counts_per_question_and_card():
    rows = [
        AnswerRow("q1", "answered", ("friends", "home")),
        AnswerRow("q1", "answered", ("friends",)),
        AnswerRow("q1", "dont_know"),
        AnswerRow("q2", "skipped"),
        AnswerRow("other", "answered", ("money",)),  # not a question of this event
    ]
    q1, q2 = count_answers(["q1", "q2"], rows)
    assert (q1.answered, q1.dont_know, q1.skipped, q1.total) == (2, 1, 0, 3)
    assert q1.cards == {"friends": 2, "home": 1}
    assert (q2.skipped, q2.total) == (1, 1)
    assert top_themes(rows) == [("friends", 2), ("home", 1), ("money", 1)]


def test_small_numbers_are_not_shown():
    assert [shown_count(n) for n in (0, 1, 2, 3, 10)] == [None, None, None, 3, 10]


# --- Helpers for the screens ------------------------------------------------------------------


@pytest.fixture()
def content(app, demo):
    from portal.content.store import load_content

    with app.app_context():
        load_content()
        db.session.commit()
        db.session.remove()


def new_event(client, **overrides) -> int:
    with client.application.app_context():
        area = db.session.scalar(select(LocalAuthority).where(LocalAuthority.code == "cardiff"))
        area_id = area.id
    data = {
        "title_en": "What matters in Cardiff",
        "title_cy": "Beth sy'n bwysig yng Nghaerdydd",
        "description_en": "A morning with the self-advocacy group.",
        "description_cy": "Bore gyda'r grŵp hunaneiriolaeth.",
        "event_date": "2025-03-27",
        "venue": "Canolfan y Ddinas",
        "area": str(area_id),
        "conversation": "what-matters",
        "reset_minutes": "",
    }
    data.update(overrides)
    response = client.post_form("/facilitator/events/new", data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(re.search(r"/facilitator/events/(\d+)", response.headers["Location"]).group(1))


def event_code(app, event_id: int) -> str:
    with app.app_context():
        return db.session.get(Event, event_id).join_code


def join_as(app, code: str, language: str = "en", age_band: str = ""):
    """A new tablet (its own test client) that joins the event; returns (client, the first
    question's address)."""
    tablet = app.test_client()
    response = tablet.get(f"/join/{code}")
    assert response.status_code == 200
    assert f"/language/{language}" in response.get_data(as_text=True)
    tablet.get(f"/language/{language}?next=/join/{code}/agree")
    data = {"age_band": age_band} if age_band else {}
    response = tablet.post_form(f"/join/{code}/agree", data)
    assert response.status_code == 302
    response = tablet.get(response.headers["Location"])
    assert response.status_code == 302
    return tablet, response.headers["Location"]


def answer(tablet, where: str, cards=(), words="", action="next"):
    return tablet.post_form(where, {"cards": list(cards), "words": words, "action": action})


# --- Set up ----------------------------------------------------------------------------------


def test_a_facilitator_creates_an_event_with_a_code_and_qr(app, content, login_as):
    client = login_as("facilitator")
    event_id = new_event(client)
    page = client.get(f"/facilitator/events/{event_id}?created=1")
    assert page.status_code == 200
    code = event_code(app, event_id)
    assert codes.looks_like_code(code)
    assert codes.spaced(code) in page.get_data(as_text=True)
    qr = client.get(f"/facilitator/events/{event_id}/qr.svg")
    assert qr.status_code == 200 and qr.mimetype == "image/svg+xml"
    assert qr.get_data(as_text=True).lstrip().startswith("<svg")
    assert f"/join/{code}" in qr.get_data(as_text=True)  # the title names the address
    invite = client.get(f"/facilitator/events/{event_id}/invite")
    assert invite.status_code == 200
    text = invite.get_data(as_text=True)
    assert "What matters in Cardiff" in text and "Beth sy&#39;n bwysig yng Nghaerdydd" in text
    assert 'lang="cy"' in text and 'lang="en"' in text
    assert client.get("/facilitator/events/").status_code == 200
    assert "What matters in Cardiff" in client.get("/facilitator").get_data(as_text=True)


def test_event_form_says_what_is_missing(content, login_as):
    client = login_as("facilitator")
    response = client.post_form("/facilitator/events/new", {"conversation": "what-matters"})
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "Enter the name of the event in English." in text
    assert "Enter the date of the event" in text
    with client.application.app_context():
        assert db.session.scalar(select(Event)) is None


def test_open_events_never_share_a_code(app, content, login_as, monkeypatch):
    client = login_as("facilitator")
    first = new_event(client)
    taken = event_code(app, first)
    drawn = iter([taken, taken, "ACDEFG"])
    monkeypatch.setattr(codes, "new_code", lambda: next(drawn))
    second = new_event(client)
    assert event_code(app, second) == "ACDEFG"


def test_a_facilitator_sees_only_their_own_events(app, content, login_as):
    client = login_as("facilitator")
    event_id = new_event(client)
    with app.app_context():
        db.session.get(Event, event_id).facilitator_id = db.session.scalar(
            select(User.id).where(User.username == "demo-admin"))
        db.session.commit()
    for path in ("", "/qr.svg", "/invite", "/live", "/live.json", "/group", "/report",
                 "/report.pdf"):
        assert client.get(f"/facilitator/events/{event_id}{path}").status_code == 404, path
    assert client.post_form(f"/facilitator/events/{event_id}/close").status_code == 404
    with app.app_context():
        assert db.session.get(Event, event_id).is_open


# --- A whole event ---------------------------------------------------------------------------


def test_a_full_event_in_both_languages(app, content, login_as):
    facilitator = login_as("facilitator")
    event_id = new_event(facilitator)
    code = event_code(app, event_id)

    # Four tablets: two in Welsh, two in English; one finishes early.
    tablets = [join_as(app, code, lang, band) for lang, band in
               (("cy", "16-24"), ("en", ""), ("cy", "not_said"), ("en", "65+"))]
    first_page = tablets[0][0].get(tablets[0][1])
    assert first_page.status_code == 200
    assert '<html lang="cy"' in first_page.get_data(as_text=True)
    assert "Dywedwch wrthon ni amdanoch chi." in first_page.get_data(as_text=True)
    english = tablets[1][0].get(tablets[1][1]).get_data(as_text=True)
    assert "Tell us about you." in english and "I&#39;ve finished" in english

    for number, (tablet, where) in enumerate(tablets):
        response = answer(tablet, where, cards=["friends", "home"] if number < 3 else ["family"],
                          words=f"words of tablet {number}")
        assert response.status_code == 302
        assert "/q/wm-happening" in response.headers["Location"]

    live = facilitator.get(f"/facilitator/events/{event_id}/live.json").get_json()
    assert (live["joined"], live["finished"]) == (4, 0)
    first = live["questions"][0]
    assert first["key"] == "wm-about-you"
    assert (first["answered"], first["total"]) == (4, 4)
    assert first["cards"] == {"family": 1, "friends": 3, "home": 3}
    page = facilitator.get(f"/facilitator/events/{event_id}/live")
    assert page.status_code == 200 and 'data-count="c:wm-about-you:friends">3<' in \
        page.get_data(as_text=True)
    assert "words of tablet" not in page.get_data(as_text=True)  # never who said what

    # The last tablet leaves at once ("I've finished"); the others go to the end.
    tablet, where = tablets[3]
    second = where.replace("wm-about-you", "wm-happening")
    response = answer(tablet, second, action="stop")
    assert response.headers["Location"] == f"/join/{code}/thanks"
    for number, (tablet, where) in enumerate(tablets[:3]):
        response = tablet.get(where.replace("/q/wm-about-you", "/"))
        where = response.headers["Location"]
        while "/q/" in where:
            response = answer(tablet, where, action="skip")
            where = response.headers["Location"]
        assert where.endswith("/share")
        response = tablet.post_form(where, {"share": "yes" if number == 0 else "no"})
        assert response.headers["Location"] == f"/join/{code}/thanks"

    live = facilitator.get(f"/facilitator/events/{event_id}/live.json").get_json()
    assert (live["joined"], live["finished"]) == (4, 4)
    assert live["questions"][1]["skipped"] == 3

    # Group mode shows one question large (test_event_group.py moves it on).
    group = facilitator.get(f"/facilitator/events/{event_id}/group")
    assert group.status_code == 200
    assert "Start group mode" in group.get_data(as_text=True)

    # No report while it is open; close it; no more answers.
    assert facilitator.get(f"/facilitator/events/{event_id}/report").status_code == 404
    assert facilitator.post_form(f"/facilitator/events/{event_id}/close").status_code == 302
    late = tablets[1][0]  # in English
    assert late.get(f"/join/{code}").status_code == 410
    assert "This event has finished" in late.get(f"/join/{code}").get_data(as_text=True)

    report = facilitator.get(f"/facilitator/events/{event_id}/report")
    assert report.status_code == 200
    text = report.get_data(as_text=True)
    assert "Did we get it right?" in text
    assert "3 people chose this." in text  # friends and home: 3 each
    assert "Fewer than 3 people chose this." not in text or "family" not in text
    assert "words of tablet 0" in text  # agreed to share
    assert "words of tablet 1" not in text and "words of tablet 2" not in text
    assert "words of tablet 3" not in text  # left before the sharing question: no

    from io import BytesIO

    for language, expected in (("en", "What matters in Cardiff"), ("cy", "Nghaerdydd")):
        pdf = facilitator.get(f"/facilitator/events/{event_id}/report.pdf?lang={language}")
        assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
        reader = PdfReader(BytesIO(pdf.data))
        words = "".join(page.extract_text() for page in reader.pages)
        assert expected in words
        assert ("Did we get it right?" in words) == (language == "en")
        assert "words of tablet 0" in words and "words of tablet 1" not in words

    with app.app_context():
        conversations = db.session.scalars(select(Conversation)).all()
        assert {c.source for c in conversations} == {"event"}
        assert all(c.person_id is None for c in conversations)
        bands = sorted(str(p.age_band) for p in db.session.scalars(select(EventParticipant)))
        assert bands == sorted(["16-24", "None", "not_said", "65+"])
        assert db.session.scalar(select(Event)).local_authority.code == "cardiff"
        # one row per question answered, never two
        keys = [(a.conversation_id, a.question_key) for a in db.session.scalars(select(Answer))]
        assert len(keys) == len(set(keys))


def test_the_live_view_is_only_for_the_facilitator(app, content, login_as):
    facilitator = login_as("facilitator")
    event_id = new_event(facilitator)
    code = event_code(app, event_id)
    tablet, _where = join_as(app, code)
    response = tablet.get(f"/facilitator/events/{event_id}/live.json")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_an_unknown_or_closed_event_is_a_kind_message(app, content, login_as):
    facilitator = login_as("facilitator")
    event_id = new_event(facilitator)
    code = event_code(app, event_id)
    tablet = app.test_client()
    response = tablet.post_form("/join", {"code": "AAAAAA"})
    assert response.status_code == 400
    assert "We cannot find an event with this code." in response.get_data(as_text=True)
    response = tablet.post_form("/join", {"code": ""})
    assert response.status_code == 400
    assert "Type the code." in response.get_data(as_text=True)
    assert tablet.get("/join/NOPE00").status_code == 404
    spaced = f" {code[:3].lower()} {code[3:].lower()} "
    response = tablet.post_form("/join", {"code": spaced})
    assert response.headers["Location"] == f"/join/{code}"
    assert tablet.get(f"/join/{code.lower()}").headers["Location"] == f"/join/{code}"
    facilitator.post_form(f"/facilitator/events/{event_id}/close")
    response = tablet.post_form("/join", {"code": code})
    assert response.status_code == 410
    assert "Thank you for coming." in response.get_data(as_text=True)
    assert tablet.post_form(f"/join/{code}/agree", {}).status_code == 410
    with app.app_context():
        assert db.session.scalar(select(EventParticipant)) is None
