"""Questions that ask yes or no (wm-enough, jn-easy-to-get, jn-enough) have a picture scale:
Yes / Not sure / No. Stored with the answer, shown on the question, the summary and the
one-page PDF in both languages, and counted in the commissioners' themes."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from io import BytesIO

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from portal.commissioning import aggregate
from portal.content.store import load_content
from portal.conversations import flow
from portal.core.extensions import db
from portal.core.messages import CHOOSE_ONE, CONVERSATION_EMPTY_ANSWER
from portal.domain.yes_no import counted_purpose
from portal.models import Answer
from tests.test_conversations import (
    _expire_and_post,
    answers_of,
    message,
    press,
    question_path,
    questions,
    set_language,
    start,
    text_of,
)


@pytest.fixture()
def person(app, demo, login_as):
    with app.app_context():
        load_content()
        db.session.remove()
    return login_as("person")


# The Welsh echoes each question's verb: "Oes …?" / "Oedd …?".
WORDS = {
    ("wm-enough", "en"): ("Yes", "Not sure", "No"),
    ("wm-enough", "cy"): ("Oes", "Ddim yn siŵr", "Nac oes"),
    ("jn-enough", "en"): ("Yes", "Not sure", "No"),
    ("jn-enough", "cy"): ("Oedd", "Ddim yn siŵr", "Nac oedd"),
    ("jn-easy-to-get", "cy"): ("Oedd", "Ddim yn siŵr", "Nac oedd"),
}


def _pdf_text(response) -> str:
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(BytesIO(response.data))
    assert len(reader.pages) == 1
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def _point(app, conversation_id: int, key: str) -> str | None:
    with app.app_context():
        return db.session.scalar(select(Answer.scale_point).where(
            Answer.conversation_id == conversation_id, Answer.question_key == key))


# --- pure rules --------------------------------------------------------------------------------


def test_yes_counts_as_what_helps_no_as_what_gets_in_the_way_not_sure_as_neither():
    assert counted_purpose("helps", "yes") == "helps"
    assert counted_purpose("barriers", "yes") == "helps"
    assert counted_purpose("helps", "no") == "barriers"
    assert counted_purpose("helps", "not-sure") == ""
    assert counted_purpose("matters", None) == "matters"  # no scale: as before


def _scaled() -> flow.Question:
    return flow.Question("wm-enough", 1, "what-matters", "helps", 10, ("money",),
                         "yes-no-oes", ("yes", "not-sure", "no"))


def test_a_point_alone_is_an_answer_and_an_unknown_point_is_refused():
    decision = flow.decide(_scaled(), flow.Submission.clean("next", (), "", point="no"))
    assert (decision.status, decision.point, decision.cards) == ("answered", "no", ())
    decision = flow.decide(_scaled(), flow.Submission.clean("next", ("money",), "", point="yes"))
    assert (decision.point, decision.cards) == ("yes", ("money",))
    refused = flow.decide(_scaled(), flow.Submission.clean("next", (), "", point="perhaps"))
    assert refused.problems == {"point": flow.UNKNOWN_POINT} and not refused.stores
    # A point on a question without a scale is refused too.
    plain = flow.Question("wm-matters", 2, "what-matters", "matters", 3, ("money",))
    assert flow.decide(plain, flow.Submission.clean("next", (), "", point="yes")).problems


def test_nothing_chosen_is_asked_for_beside_the_scale_and_i_dont_know_drops_the_point():
    empty = flow.decide(_scaled(), flow.Submission.clean("next", (), ""))
    assert empty.problems == {"point": flow.EMPTY}
    dont_know = flow.decide(_scaled(), flow.Submission.clean("dont_know", ("money",), "",
                                                             point="yes"))
    assert (dont_know.status, dont_know.point, dont_know.cards) == ("dont_know", None, ())


def test_theme_counts_follow_the_point():
    facts = [flow.AnswerFacts("wm-enough", "helps", "answered", None, ("money",), "no"),
             flow.AnswerFacts("jn-easy-to-get", "barriers", "answered", None, ("community",),
                              "yes"),
             flow.AnswerFacts("jn-enough", "helps", "answered", None, ("health",), "not-sure")]
    counts = flow.theme_counts_by_purpose(facts)
    assert counts == {"barriers": {"money": 1}, "helps": {"community": 1}}


def test_a_questions_scale_must_exist():
    from portal.content.schema import ContentError, parse_files

    files = {"q.toml": """
[[conversation]]
key = "c"
picture = "heart"
en = "C"
cy = "C"
alt_en = "A."
alt_cy = "A."

[[question]]
key = "q"
conversation = "c"
purpose = "helps"
scale = "no-such-scale"
picture = "heart"
en = "Is there enough help?"
cy = "Oes digon o help?"
alt_en = "A."
alt_cy = "A."
"""}
    with pytest.raises(ContentError, match="unknown scale 'no-such-scale'"):
        parse_files(files, lambda name: True)


# --- end to end: the question, the summary, the PDF --------------------------------------------


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_question_shows_the_scale_and_keeps_the_point(app, person, language):
    set_language(person, language)
    conversation_id, _ = start(person, "what-matters")
    path = question_path(conversation_id, "wm-enough")
    page = text_of(person.get(path))
    yes, not_sure, no = WORDS[("wm-enough", language)]
    for value, words in (("yes", yes), ("not-sure", not_sure), ("no", no)):
        assert re.search(rf'type="radio" id="point-\d"\s+name="point" value="{value}"', page)
        assert f"<span>{words}</span>" in page
    assert f'<legend class="fieldset__legend">{message(app, CHOOSE_ONE, language)}</legend>' \
        in page

    # Nothing chosen: asked kindly beside the scale, nothing stored.
    response = press(person, conversation_id, "wm-enough")
    assert response.status_code == 400
    assert message(app, CONVERSATION_EMPTY_ANSWER, language) in text_of(response)
    assert "wm-enough" not in answers_of(app, conversation_id)

    # A point that is not on the scale: refused in the page's language.
    response = press(person, conversation_id, "wm-enough", point="perhaps", words="kept")
    assert response.status_code == 400
    assert message(app, CHOOSE_ONE, language) in text_of(response)
    assert "kept" in text_of(response)
    assert "wm-enough" not in answers_of(app, conversation_id)

    # "No", with the things there is not enough help with.
    response = press(person, conversation_id, "wm-enough", point="no", cards=["money"])
    assert response.status_code == 302
    assert _point(app, conversation_id, "wm-enough") == "no"
    assert answers_of(app, conversation_id)["wm-enough"]["cards"] == ["money"]
    page = text_of(person.get(path))
    assert re.search(r'value="no"\s+checked', page)
    assert not re.search(r'value="yes"\s+checked', page)

    # Changed to "Yes"; then "I don't know" leaves no point.
    press(person, conversation_id, "wm-enough", point="yes")
    assert _point(app, conversation_id, "wm-enough") == "yes"
    press(person, conversation_id, "wm-enough", action="dont_know", point="yes")
    assert _point(app, conversation_id, "wm-enough") is None


def test_questions_without_a_scale_show_none(app, person):
    conversation_id, _ = start(person, "what-matters")
    page = text_of(person.get(question_path(conversation_id, "wm-matters")))
    assert 'name="point"' not in page


def _finish_with(app, client, key: str, points: dict[str, tuple[str, list[str]]]) -> int:
    conversation_id, _ = start(client, key)
    for question in questions(app, key):
        if question.key in points:
            point, cards = points[question.key]
            response = press(client, conversation_id, question.key, point=point, cards=cards)
        else:
            response = press(client, conversation_id, question.key, action="skip")
        assert response.status_code == 302
    assert response.headers["Location"].endswith("/share")
    return conversation_id


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_summary_and_the_pdf_show_the_answer_where_it_counts(app, person, language):
    set_language(person, language)
    conversation_id = _finish_with(app, person, "journey", {
        "jn-easy-to-get": ("yes", ["community"]),
        "jn-enough": ("no", ["money"]),
    })
    page = text_of(person.get(f"/conversations/{conversation_id}/summary"))
    yes, _not_sure, no = WORDS[("jn-enough", language)]
    assert re.search(rf'class="answer-status answer-point">\s*<img[^>]+><span>{yes}</span>', page)
    assert re.search(rf'class="answer-status answer-point">\s*<img[^>]+><span>{no}</span>', page)

    text = _pdf_text(person.get(f"/conversations/{conversation_id}/summary.pdf"))
    with app.app_context():
        from portal.conversations import store

        items = store.question_items()
        easy = items["jn-easy-to-get"].words(language)
        enough = items["jn-enough"].words(language)
        money = store.theme_items()["money"].words(language)
    from portal.conversations.onepage import GROUPS

    headings = {purpose: message(app, heading, language) for purpose, heading, _p in GROUPS}
    helps, barriers = headings["helps"], headings["barriers"]
    assert f"{easy} {yes}" in text and f"{enough} {no}" in text
    assert money in text
    # The Yes sits with what helps, the No with what gets in the way, as they are counted.
    assert text.index(helps) < text.index(f"{easy} {yes}") < text.index(barriers) \
        < text.index(f"{enough} {no}")


def test_a_point_is_kept_when_the_session_had_expired(app, person):
    conversation_id, _ = start(person, "what-matters")
    path = question_path(conversation_id, "wm-enough")
    response = _expire_and_post(person, path, {"action": "next", "point": "no"})
    assert response.status_code == 302 and "wm-enough" not in answers_of(app, conversation_id)
    person.post_form(response.headers["Location"],
                     {"username": "demo-person", "password": "demo-password"})
    page = text_of(person.get(path))
    assert re.search(r'value="no"\s+checked', page)
    assert _point(app, conversation_id, "wm-enough") == "no"


# --- the commissioners' themes -----------------------------------------------------------------


def test_the_aggregate_counts_a_no_as_a_barrier_and_a_yes_as_help(app, person):
    conversation_id = _finish_with(app, person, "what-matters", {"wm-enough": ("no", ["money"])})
    period = aggregate.quarter(datetime.now(UTC).replace(tzinfo=None))
    from portal.commissioning.themes import theme_facts

    with app.app_context():
        facts = {(f.purpose, f.theme_key) for f in theme_facts(period)}
    assert ("barriers", "money") in facts and ("helps", "money") not in facts

    press(person, conversation_id, "wm-enough", point="yes", cards=["money"])
    with app.app_context():
        facts = {(f.purpose, f.theme_key) for f in theme_facts(period)}
    assert ("helps", "money") in facts and ("barriers", "money") not in facts

    press(person, conversation_id, "wm-enough", point="not-sure", cards=["money"])
    with app.app_context():
        facts = {(f.purpose, f.theme_key) for f in theme_facts(period)}
    assert not {("helps", "money"), ("barriers", "money")} & facts


def test_the_persons_data_export_holds_the_point(app, person, login_as):
    conversation_id, _ = start(person, "what-matters")
    press(person, conversation_id, "wm-enough", point="not-sure")
    with app.app_context():
        from portal.models import Conversation

        person_id = db.session.get(Conversation, conversation_id).person_id
    admin = login_as("admin")
    data = admin.get(f"/rights/people/{person_id}/export.json").get_json()
    answers = [a for c in data["conversations"] for a in c["answers"]]
    assert [a["scale_point"] for a in answers if a["question"] == "wm-enough"] == ["not-sure"]


def test_a_listening_event_tablet_answers_on_the_scale_and_it_counts(app, login_as):
    from portal.commissioning.themes import theme_facts
    from tests.test_events import event_code, join_as, new_event

    with app.app_context():
        load_content()
        db.session.remove()
    facilitator = login_as("facilitator")
    code = event_code(app, new_event(facilitator))
    tablet, first = join_as(app, code, language="cy")
    where = first.rsplit("/", 1)[0] + "/wm-enough"
    page = text_of(tablet.get(where))
    assert "<span>Oes</span>" in page and "<span>Nac oes</span>" in page
    response = tablet.post_form(where, {"action": "next", "point": "no", "cards": ["money"]})
    assert response.status_code == 302
    assert tablet.post_form(where, {"action": "stop"}).status_code == 302  # "I've finished"
    with app.app_context():
        stored = db.session.scalars(select(Answer.scale_point).where(
            Answer.question_key == "wm-enough")).all()
        period = aggregate.quarter(datetime.now(UTC).replace(tzinfo=None))
        facts = {(f.source, f.purpose, f.theme_key) for f in theme_facts(period)}
    assert stored == ["no"]
    assert (aggregate.EVENT, "barriers", "money") in facts


def _event_report_after(app, login_as, points):
    from tests.test_events import event_code, join_as, new_event

    with app.app_context():
        load_content()
        db.session.remove()
    facilitator = login_as("facilitator")
    event_id = new_event(facilitator)
    code = event_code(app, event_id)
    for point in points:
        tablet, first = join_as(app, code)
        where = first.rsplit("/", 1)[0] + "/wm-enough"
        assert tablet.post_form(where, {"action": "next", "point": point}).status_code == 302
        tablet.post_form(where, {"action": "stop"})
    facilitator.post_form(f"/facilitator/events/{event_id}/close")
    return facilitator, event_id


def test_the_event_report_counts_the_yes_no_answers(app, login_as):
    from pypdf import PdfReader as Reader

    facilitator, event_id = _event_report_after(app, login_as, ("no",) * 3 + ("yes",) * 3)
    page = text_of(facilitator.get(f"/facilitator/events/{event_id}/report"))
    # Three said No and three Yes: shown in both languages, the Welsh echoing "Oes …?".
    assert "<p>Yes: 3 people. No: 3 people.</p>" in page
    assert "<p>Oes: 3 pherson. Nac oes: 3 pherson.</p>" in page
    pdf = facilitator.get(f"/facilitator/events/{event_id}/report.pdf")
    text = " ".join(" ".join(p.extract_text() for p in Reader(BytesIO(pdf.data)).pages).split())
    assert "No: 3 people." in text and "Nac oes: 3 pherson." in text


def test_the_event_report_hides_a_point_that_could_be_worked_out(app, login_as):
    # Four answered: 3 No and 1 Yes. The question shows 4 people, so showing "No: 3"
    # would tell that one person said Yes: the whole line of points is hidden.
    facilitator, event_id = _event_report_after(app, login_as, ("no", "no", "no", "yes"))
    page = text_of(facilitator.get(f"/facilitator/events/{event_id}/report"))
    assert "No: 3" not in page and "Nac oes: 3" not in page
    assert "Yes: 1" not in page and "Oes: 1" not in page
    # Three people did choose the same answer: the report must not say fewer did.
    assert "Fewer than 3 people chose the same answer" not in page
    assert "Dewisodd llai na 3 o bobl yr un ateb" not in page
    assert "<p>We do not show these numbers. This keeps everyone anonymous.</p>" in page
    assert "<p>Dydyn ni ddim yn dangos y rhifau yma. Mae hyn yn cadw pawb yn ddienw.</p>" in page
    assert "Sometimes we hide a bigger number too." in page
    assert "Weithiau rydyn ni'n cuddio rhif mwy hefyd." in page
