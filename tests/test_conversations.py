"""What Matters conversations end to end: both conversations in English and Welsh, resume on
another device, double presses, an expired session, the practitioner, and who may not."""

from __future__ import annotations

import html
import re
import threading
from urllib.parse import parse_qs, urlsplit

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from portal.content.store import load_content
from portal.conversations import flow, store
from portal.core.extensions import db
from portal.core.messages import (
    CHOOSE_ONE,
    CONVERSATION_EMPTY_ANSWER,
    CONVERSATION_KEPT,
    CONVERSATION_KEPT_AND_SAVED,
    CONVERSATION_NOT_HERE,
    CONVERSATION_UNKNOWN_CARD,
    CONVERSATION_WORDS_TOO_LONG,
)
from portal.models import (
    Answer,
    AnswerTheme,
    CircleMember,
    Conversation,
    Person,
    Relationship,
    Role,
    User,
)
from tests.conftest import sign_in
from tests.pages import csrf_token_in
from tests.sql import statements_run

# --- fixtures and helpers --------------------------------------------------------------------


@pytest.fixture()
def content(app, demo):
    with app.app_context():
        load_content()
        db.session.remove()


@pytest.fixture()
def person(content, login_as):
    return login_as("person")


def questions(app, key: str) -> list[flow.Question]:
    with app.app_context():
        return store.questions_for(key)


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def message(app, text, language: str = "en") -> str:
    with app.test_request_context(), force_locale(language):
        return str(text)


def set_language(client, code: str) -> None:
    assert client.get(f"/language/{code}?next=/").status_code == 302


def start(client, key: str, who: str = "alone") -> tuple[int, str]:
    """Start (or carry on) a conversation as the person; (its id, the question path)."""
    response = client.post_form(f"/conversations/start/{key}")
    assert response.status_code == 302, response.status_code
    where = response.headers["Location"]
    if where.endswith("/who"):
        assert client.get(where).status_code == 200
        response = client.post_form(where, {"who": who})
        assert response.status_code == 302
        where = response.headers["Location"]
    conversation_id = int(re.search(r"/conversations/(\d+)/", where).group(1))
    response = client.get(where)
    assert response.status_code == 302
    return conversation_id, response.headers["Location"]


def question_path(conversation_id: int, key: str) -> str:
    return f"/conversations/{conversation_id}/q/{key}"


def press(client, conversation_id, key, action="next", cards=(), words="", **extra):
    data = {"action": action, "cards": list(cards), "words": words, **extra}
    return client.post_form(question_path(conversation_id, key), data)


def answers_of(app, conversation_id: int) -> dict[str, dict]:
    with app.app_context():
        conversation = db.session.get(Conversation, conversation_id)
        return {
            a.question_key: {
                "status": a.status,
                "text": a.text,
                "cards": a.theme_keys("card"),
                "tags": a.theme_keys("tag"),
                "typed_by": a.typed_by_user_id,
                "typed_for_person": a.typed_for_person,
                "item": a.question_item_id,
            }
            for a in conversation.answers
        }


def conversation_row(app, conversation_id: int) -> dict:
    with app.app_context():
        c = db.session.get(Conversation, conversation_id)
        return {
            "mode": c.mode, "companion": c.companion_user_id, "started_by": c.started_by_id,
            "finished": c.finished_at is not None, "share": c.share_words,
            "share_decided": c.share_decided_at is not None, "position": c.current_position,
            "language": c.language,
        }


def user_id(app, username: str) -> int:
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.username == username))


def person_id(app) -> int:
    with app.app_context():
        return db.session.scalar(select(Person.id).join(User, Person.user_id == User.id)
                                 .where(User.username == "demo-person"))


def plan_for(question: flow.Question, index: int, words: str) -> dict:
    """A mix of every way of answering across a conversation."""
    kind = ("cards+words", "cards", "words", "dont_know", "skip")[index % 5]
    if kind == "cards+words":
        return {"action": "next", "cards": question.cards[:2], "words": words}
    if kind == "cards":
        return {"action": "next", "cards": question.cards[-1:]}
    if kind == "words":
        return {"action": "next", "words": words}
    return {"action": kind}


def expected_row(question: flow.Question, step: dict) -> dict:
    if step["action"] == "skip":
        return {"status": "skipped", "text": None, "cards": []}
    if step["action"] == "dont_know":
        return {"status": "dont_know", "text": None, "cards": []}
    return {"status": "answered", "text": step.get("words") or None,
            "cards": list(step.get("cards", ()))}


# --- the person's way in ---------------------------------------------------------------------


def test_person_home_has_a_picture_card_to_the_conversations(person):
    page = text_of(person.get("/me/"))
    assert 'href="/conversations/"' in page
    assert "Talk about what matters to me" in page


def test_the_list_offers_both_conversations(person):
    page = text_of(person.get("/conversations/"))
    assert "What matters to me" in page and "My journey so far" in page
    assert page.count('action="/conversations/start/') == 2


@pytest.mark.parametrize(
    ("language", "key", "words"),
    [
        ("en", "what-matters", "I like walking my dog by the river."),
        ("cy", "what-matters", "Dw i'n hoffi cerdded y ci wrth yr afon. Mae'r dŵr yn oer."),
        ("en", "journey", "School was hard but college was good."),
        ("cy", "journey", "Roedd yr ysgol yn anodd ond roedd y coleg yn dda."),
    ],
)
def test_person_completes_a_whole_conversation(app, person, language, key, words):
    set_language(person, language)
    conversation_id, first = start(person, key)
    asked = questions(app, key)
    assert first == question_path(conversation_id, asked[0].key)
    plan = {}
    for index, question in enumerate(asked):
        page = person.get(question_path(conversation_id, question.key))
        assert page.status_code == 200
        body = text_of(page)
        assert f'<html lang="{language}"' in body
        with app.app_context():
            item = store.question_items()[question.key]
            assert item.words(language) in body
        assert f"{index + 1}" in body and f"{len(asked)}" in body  # progress
        assert body.count('name="cards"') == len(question.cards)
        plan[question.key] = plan_for(question, index, f"{words} ({index})")
        response = press(person, conversation_id, question.key, **plan[question.key])
        assert response.status_code == 302
    assert response.headers["Location"] == f"/conversations/{conversation_id}/share"
    stored = answers_of(app, conversation_id)
    assert set(stored) == {q.key for q in asked}
    for question in asked:
        expected = expected_row(question, plan[question.key])
        assert {k: stored[question.key][k] for k in expected} == expected, question.key
    row = conversation_row(app, conversation_id)
    assert row["finished"] and row["mode"] == "alone" and row["language"] == language
    statuses = {a["status"] for a in stored.values()}
    assert statuses == {"answered", "dont_know", "skipped"}


def test_who_is_there_is_recorded_and_their_typing_too(app, person):
    page = person.post_form("/conversations/start/what-matters").headers["Location"]
    body = text_of(person.get(page))
    assert "Who is with you today?" in body
    assert "Just me" in body and "Siân Jones" in body and "Rhys Evans" in body
    with app.app_context():
        member = db.session.scalar(select(CircleMember).where(
            CircleMember.relation == Relationship.FAMILY))
        member_id = member.id
    response = person.post_form(page, {"who": f"member-{member_id}"})
    conversation_id = int(re.search(r"/conversations/(\d+)/", page).group(1))
    supporter = user_id(app, "demo-supporter")
    assert conversation_row(app, conversation_id)["mode"] == "with_supporter"
    assert conversation_row(app, conversation_id)["companion"] == supporter
    question = person.get(response.headers["Location"]).headers["Location"]
    assert 'name="typed_for_person"' in text_of(person.get(question))
    key = question.rsplit("/", 1)[1]
    press(person, conversation_id, key, words="Mum typed this", typed_for_person="y")
    stored = answers_of(app, conversation_id)[key]
    assert (stored["typed_by"], stored["typed_for_person"]) == (supporter, True)


def test_a_person_on_their_own_sees_no_someone_typed_box(app, person):
    conversation_id, first = start(person, "what-matters")
    assert 'name="typed_for_person"' not in text_of(person.get(first))
    press(person, conversation_id, first.rsplit("/", 1)[1], words="my own words")
    stored = answers_of(app, conversation_id)[first.rsplit("/", 1)[1]]
    assert (stored["typed_by"], stored["typed_for_person"]) == (
        user_id(app, "demo-person"), False)


def test_an_unknown_who_is_refused_kindly(app, person):
    page = person.post_form("/conversations/start/what-matters").headers["Location"]
    response = person.post_form(page, {"who": "member-99999"})
    assert response.status_code == 400
    assert message(app, CHOOSE_ONE) in text_of(response)


# --- saving and changing ---------------------------------------------------------------------


def test_every_press_saves_at_once_and_back_goes_back(app, person):
    conversation_id, _ = start(person, "what-matters")
    asked = questions(app, "what-matters")
    press(person, conversation_id, asked[0].key, words="first")
    response = press(person, conversation_id, asked[1].key, "back", words="second, half done")
    assert response.headers["Location"] == question_path(conversation_id, asked[0].key)
    stored = answers_of(app, conversation_id)
    assert stored[asked[1].key]["text"] == "second, half done"
    assert "first" in text_of(person.get(question_path(conversation_id, asked[0].key)))
    # Back from the first question goes to the list, saving what is there.
    response = press(person, conversation_id, asked[0].key, "back", words="first, changed")
    assert response.headers["Location"] == "/conversations/"
    assert answers_of(app, conversation_id)[asked[0].key]["text"] == "first, changed"


def test_next_with_nothing_asks_kindly_and_stores_nothing(app, person):
    conversation_id, first = start(person, "what-matters")
    response = press(person, conversation_id, first.rsplit("/", 1)[1])
    assert response.status_code == 400
    page = text_of(response)
    assert message(app, CONVERSATION_EMPTY_ANSWER) in page
    assert "<title>Error:" in page
    assert answers_of(app, conversation_id) == {}


def test_pressing_twice_stores_one_answer(app, person):
    conversation_id, first = start(person, "what-matters")
    key = first.rsplit("/", 1)[1]
    cards = questions(app, "what-matters")[0].cards[:2]
    for _ in range(2):
        response = press(person, conversation_id, key, cards=cards, words="pressed twice")
        assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count(Answer.id))) == 1
        assert db.session.scalar(select(func.count(AnswerTheme.id))) == 2


def test_start_twice_gives_one_conversation(app, person):
    first, _ = start(person, "journey")
    response = person.post_form("/conversations/start/journey")
    assert response.headers["Location"] == f"/conversations/{first}/"
    with app.app_context():
        assert db.session.scalar(select(func.count(Conversation.id))) == 1


def test_presses_arriving_together_store_one_answer(app, content):
    clients = []
    for _ in range(6):
        client = app.test_client()
        assert sign_in(client, "demo-person").status_code == 302
        clients.append((client, client.csrf_token()))
    conversation_id, first = start(clients[0][0], "what-matters")
    key = first.rsplit("/", 1)[1]
    statuses = []
    barrier = threading.Barrier(len(clients))

    def tap(client, token):
        barrier.wait()
        response = client.post(question_path(conversation_id, key), data={
            "csrf_token": token, "action": "next", "words": "all at once"})
        statuses.append(response.status_code)

    threads = [threading.Thread(target=tap, args=pair) for pair in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [302] * len(clients)
    with app.app_context():
        assert db.session.scalar(select(func.count(Answer.id))) == 1


def test_an_answer_can_be_changed_from_the_summary(app, person):
    conversation_id, _ = start(person, "journey")
    asked = questions(app, "journey")
    for question in asked:
        press(person, conversation_id, question.key, words=f"about {question.key}")
    person.post_form(f"/conversations/{conversation_id}/share", {"share": "no"})
    summary = text_of(person.get(f"/conversations/{conversation_id}/summary"))
    change = question_path(conversation_id, asked[3].key)
    assert f'href="{change}"' in summary
    assert f"about {asked[3].key}" in text_of(person.get(change))
    response = press(person, conversation_id, asked[3].key, words="changed my mind")
    assert response.headers["Location"] == f"/conversations/{conversation_id}/summary"
    stored = answers_of(app, conversation_id)
    assert stored[asked[3].key]["text"] == "changed my mind"
    assert len(stored) == len(asked)


# --- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "cy"])
def test_overlong_words_are_refused_and_everything_stays_on_screen(app, person, language):
    set_language(person, language)
    conversation_id, first = start(person, "what-matters")
    key = first.rsplit("/", 1)[1]
    press(person, conversation_id, key, words="what I said before")
    cards = questions(app, "what-matters")[0].cards[:2]
    long_words = "ŵ" * 1000 + "a" * 1001
    response = press(person, conversation_id, key, cards=cards, words=long_words)
    assert response.status_code == 400
    page = text_of(response)
    assert message(app, CONVERSATION_WORDS_TOO_LONG, language) in page
    assert long_words in page
    for card in cards:
        assert re.search(rf'value="{card}"\s+checked', page), card
    stored = answers_of(app, conversation_id)[key]
    assert (stored["text"], stored["cards"]) == ("what I said before", [])


@pytest.mark.parametrize("language", ["en", "cy"])
def test_an_unknown_card_is_refused_and_the_words_stay(app, person, language):
    set_language(person, language)
    conversation_id, first = start(person, "what-matters")
    key = first.rsplit("/", 1)[1]
    known = questions(app, "what-matters")[0].cards[0]
    response = press(person, conversation_id, key, cards=[known, "spaceships"], words="kept")
    assert response.status_code == 400
    page = text_of(response)
    assert message(app, CONVERSATION_UNKNOWN_CARD, language) in page
    assert ">kept</textarea>" in page
    assert re.search(rf'value="{known}"\s+checked', page)
    assert answers_of(app, conversation_id) == {}


def test_a_card_of_another_question_is_unknown_here(app, person):
    conversation_id, first = start(person, "what-matters")
    asked = questions(app, "what-matters")
    elsewhere = next(c for q in asked for c in q.cards if c not in asked[0].cards)
    response = press(person, conversation_id, asked[0].key, cards=[elsewhere])
    assert response.status_code == 400
    assert answers_of(app, conversation_id) == {}


def test_a_question_of_the_other_conversation_is_not_answered(app, person):
    conversation_id, _ = start(person, "what-matters")
    other = questions(app, "journey")[1].key
    for response in (person.get(question_path(conversation_id, other)),
                     press(person, conversation_id, other, words="wrong place"),
                     press(person, conversation_id, "no-such-question", words="nowhere")):
        assert response.status_code == 404
        assert message(app, CONVERSATION_NOT_HERE) in text_of(response)
    assert answers_of(app, conversation_id) == {}


def test_a_conversation_that_is_not_on_offer_cannot_start(person):
    assert person.post_form("/conversations/start/no-such-thing").status_code == 404


# --- stop, resume, expired session -----------------------------------------------------------


def test_stop_halfway_and_carry_on_on_another_device(app, person):
    conversation_id, _ = start(person, "what-matters")
    asked = questions(app, "what-matters")
    for question in asked[:5]:
        press(person, conversation_id, question.key, words=f"said {question.key}")
    response = press(person, conversation_id, asked[5].key, "stop", words="half typed")
    assert response.headers["Location"] == "/me/?stopped=1"
    assert "Your answers are saved" in text_of(person.get("/me/?stopped=1"))

    tablet = app.test_client()  # another device: nothing shared but the database
    assert sign_in(tablet, "demo-person").status_code == 302
    listing = text_of(tablet.get("/conversations/"))
    assert "Carry on" in listing
    again_id, where = start(tablet, "what-matters")
    assert again_id == conversation_id
    assert where == question_path(conversation_id, asked[5].key)
    assert "half typed" in text_of(tablet.get(where))
    stored = answers_of(app, conversation_id)
    assert [stored[q.key]["text"] for q in asked[:5]] == [f"said {q.key}" for q in asked[:5]]
    assert stored[asked[5].key]["text"] == "half typed"


def _expire_and_post(person, path, data, origin="http://localhost"):
    token = csrf_token_in(person.get(path).get_data(as_text=True))
    person.delete_cookie("session")  # the session has expired: the browser lost it
    return person.post(path, data={"csrf_token": token, **data}, headers={"Origin": origin})


def test_an_expired_session_keeps_the_typed_answer(app, person):
    conversation_id, _ = start(person, "what-matters")
    question = questions(app, "what-matters")[2]
    path = question_path(conversation_id, question.key)
    response = _expire_and_post(person, path, {
        "action": "next",
        "words": "typed while the session ran out",
        "cards": list(question.cards[:1]),
    })
    assert response.status_code == 302
    login = urlsplit(response.headers["Location"])
    assert login.path == "/login" and parse_qs(login.query)["next"] == [path]
    assert answers_of(app, conversation_id) == {}

    response = person.post_form(response.headers["Location"],
                                {"username": "demo-person", "password": "demo-password"})
    assert response.headers["Location"] == path
    page = text_of(person.get(path))
    assert message(app, CONVERSATION_KEPT_AND_SAVED) in page
    assert "typed while the session ran out" in page
    stored = answers_of(app, conversation_id)[question.key]
    assert (stored["text"], stored["cards"]) == ("typed while the session ran out",
                                                 list(question.cards[:1]))
    # Kept once: the next visit is an ordinary one.
    assert message(app, CONVERSATION_KEPT_AND_SAVED) not in text_of(person.get(path))


def test_an_expired_session_with_overlong_words_shows_them_again(app, person):
    conversation_id, _ = start(person, "what-matters")
    question = questions(app, "what-matters")[0]
    path = question_path(conversation_id, question.key)
    long_words = "b" * 2050
    response = _expire_and_post(person, path, {"action": "next", "words": long_words})
    person.post_form(response.headers["Location"],
                     {"username": "demo-person", "password": "demo-password"})
    response = person.get(path)
    assert response.status_code == 400
    page = text_of(response)
    assert message(app, CONVERSATION_KEPT) in page
    assert message(app, CONVERSATION_WORDS_TOO_LONG) in page
    assert long_words in page
    assert answers_of(app, conversation_id) == {}


def test_a_post_from_another_site_is_not_kept(app, person):
    conversation_id, _ = start(person, "what-matters")
    question = questions(app, "what-matters")[0]
    path = question_path(conversation_id, question.key)
    response = _expire_and_post(person, path, {"words": "slipped in"},
                                origin="https://elsewhere.example")
    person.post_form(response.headers["Location"],
                     {"username": "demo-person", "password": "demo-password"})
    assert "slipped in" not in text_of(person.get(path))
    assert answers_of(app, conversation_id) == {}


# --- practitioner ----------------------------------------------------------------------------


def test_practitioner_holds_a_conversation_with_demo_person_and_tags_themes(
    app, content, login_as
):
    practitioner = login_as("practitioner")
    pid = person_id(app)
    home = text_of(practitioner.get("/practitioner"))
    assert f'href="/conversations/people/{pid}"' in home
    page = text_of(practitioner.get(f"/conversations/people/{pid}"))
    assert "Start this conversation with Alex" in page
    response = practitioner.post_form(f"/conversations/people/{pid}/start/what-matters")
    conversation_id = int(re.search(r"/conversations/(\d+)/", response.headers["Location"])[1])
    first = practitioner.get(response.headers["Location"]).headers["Location"]
    body = text_of(practitioner.get(first))
    assert re.search(r'name="typed_for_person" value="y"\s+checked', body)
    asked = questions(app, "what-matters")
    press(practitioner, conversation_id, asked[0].key, cards=asked[0].cards[:1],
          words="Alex likes football and his sister.", typed_for_person="y")
    response = press(practitioner, conversation_id, asked[1].key, "stop", words="Moved house.",
                     typed_for_person="y")
    assert response.headers["Location"] == f"/conversations/people/{pid}?stopped=1"

    me = user_id(app, "demo-practitioner")
    row = conversation_row(app, conversation_id)
    assert (row["mode"], row["companion"], row["started_by"]) == ("with_practitioner", me, me)
    stored = answers_of(app, conversation_id)[asked[0].key]
    assert (stored["typed_by"], stored["typed_for_person"]) == (me, True)

    page = text_of(practitioner.get(f"/conversations/people/{pid}?stopped=1"))
    assert "Alex likes football and his sister." in page  # the answers are readable
    tag_path = f"/conversations/{conversation_id}/tag/{asked[0].key}"
    assert f'href="{tag_path}"' in page
    set_language(practitioner, "cy")
    tag_page = text_of(practitioner.get(tag_path))
    assert tag_page.count('name="themes"') == 15
    assert "Ffrindiau" in tag_page  # the theme names in the page's language
    response = practitioner.post_form(tag_path, {"themes": ["hobbies", "family"]})
    assert response.headers["Location"] == f"/conversations/people/{pid}?tagged=1"
    stored = answers_of(app, conversation_id)[asked[0].key]
    assert stored["tags"] == ["hobbies", "family"]
    assert stored["cards"] == list(asked[0].cards[:1])  # the person's own choice is kept apart

    response = practitioner.post_form(tag_path, {"themes": ["hobbies", "dragons"]})
    assert response.status_code == 400
    assert message(app, CONVERSATION_UNKNOWN_CARD, "cy") in text_of(response)
    assert answers_of(app, conversation_id)[asked[0].key]["tags"] == ["hobbies", "family"]

    with app.app_context():
        conversation = db.session.get(Conversation, conversation_id)
        grouped = flow.answers_by_purpose(store.answer_facts([conversation]))
    assert set(grouped) == {"about"}
    assert set(grouped["about"][0].themes) == {asked[0].cards[0], "hobbies", "family"}


def test_only_typed_words_can_be_tagged(app, person, login_as):
    conversation_id, first = start(person, "what-matters")
    key = first.rsplit("/", 1)[1]
    press(person, conversation_id, key, "skip")
    practitioner = login_as("practitioner")
    assert practitioner.get(f"/conversations/{conversation_id}/tag/{key}").status_code == 404


# --- who may not -----------------------------------------------------------------------------


@pytest.fixture()
def strangers(app, content):
    """Another person with their own sign-in, and a practitioner outside Alex's circle."""
    with app.app_context():
        other = User(username="other-person", role=Role.PERSON, display_name="Bea")
        other.set_password("demo-password")
        outsider = User(username="other-practitioner", role=Role.PRACTITIONER,
                        display_name="Dai")
        outsider.set_password("demo-password")
        db.session.add_all([other, outsider])
        db.session.flush()
        db.session.add(Person(user_id=other.id, display_name="Bea"))
        # In Alex's circle, but as a friend: not there as a professional.
        alex = db.session.scalar(select(Person).where(Person.display_name == "Alex"))
        db.session.add(CircleMember(person_id=alex.id, user_id=outsider.id,
                                    relation=Relationship.FRIEND))
        db.session.commit()


@pytest.mark.parametrize(
    "username",
    ["other-person", "other-practitioner", "demo-supporter", "demo-commissioner",
     "demo-facilitator", "demo-admin"],
)
def test_nobody_else_reaches_the_conversation(app, person, strangers, username):
    conversation_id, first = start(person, "what-matters")
    key = first.rsplit("/", 1)[1]
    press(person, conversation_id, key, words="private words")
    intruder = app.test_client()
    assert sign_in(intruder, username).status_code == 302
    base = f"/conversations/{conversation_id}"
    for path in (f"{base}/", f"{base}/who", first, f"{base}/share", f"{base}/summary",
                 f"{base}/summary.pdf", f"{base}/tag/{key}",
                 f"/conversations/people/{person_id(app)}"):
        response = intruder.get(path)
        assert response.status_code in (403, 404), (username, path, response.status_code)
        assert "private words" not in response.get_data(as_text=True)
    for path, data in ((first, {"action": "next", "words": "overwritten"}),
                       (f"{base}/share", {"share": "yes"}),
                       (f"{base}/tag/{key}", {"themes": ["money"]}),
                       (f"/conversations/people/{person_id(app)}/start/journey", {})):
        assert intruder.post_form(path, data).status_code in (403, 404), (username, path)
    assert answers_of(app, conversation_id)[key]["text"] == "private words"
    assert answers_of(app, conversation_id)[key]["tags"] == []
    assert conversation_row(app, conversation_id)["share"] is False
    with app.app_context():
        assert db.session.scalar(select(func.count(Conversation.id))) == 1


# --- summary, PDF and sharing ----------------------------------------------------------------


def _finish(app, client, key: str, words: str) -> int:
    conversation_id, _ = start(client, key)
    for index, question in enumerate(questions(app, key)):
        step = plan_for(question, index, f"{words} {index}")
        response = press(client, conversation_id, question.key, **step)
    assert response.headers["Location"] == f"/conversations/{conversation_id}/share"
    return conversation_id


def test_sharing_defaults_to_no_and_is_the_persons_choice(app, person):
    conversation_id = _finish(app, person, "what-matters", "words")
    share = f"/conversations/{conversation_id}/share"
    page = text_of(person.get(share))
    assert "Can we share your words with the council?" in page
    assert "We will not say your name." in page
    assert re.search(r'value="no"\s+checked', page) and not re.search(r'value="yes"\s+checked',
                                                                      page)
    row = conversation_row(app, conversation_id)
    assert (row["share"], row["share_decided"]) == (False, False)
    response = person.post_form(share, {"share": "yes"})
    assert response.headers["Location"] == f"/conversations/{conversation_id}/summary?saved=choice"
    assert conversation_row(app, conversation_id)["share"] is True
    response = person.post_form(share, {"share": "perhaps"})
    assert response.status_code == 400
    assert conversation_row(app, conversation_id)["share"] is True
    person.post_form(share, {"share": "no"})
    assert conversation_row(app, conversation_id)["share"] is False


@pytest.mark.parametrize("language", ["en", "cy"])
def test_summary_shows_themes_and_words_and_the_pdf_is_one_page(app, person, language):
    set_language(person, language)
    conversation_id = _finish(app, person, "what-matters", "Fy ngeiriau")
    response = person.get(f"/conversations/{conversation_id}/summary")
    assert response.status_code == 200
    page = text_of(response)
    stored = answers_of(app, conversation_id)
    with app.app_context():
        themes = store.theme_items()
        title = store.conversation_item("what-matters").words(language)
    assert f"<h1 class=\"easyread-line__text\">{title}</h1>" in page
    for key, answer in stored.items():
        for card in answer["cards"]:
            assert themes[card].words(language) in page
        if answer["text"]:
            assert answer["text"] in page
        assert f'href="{question_path(conversation_id, key)}"' in page  # Change
    assert "data-print" in page
    assert f'href="/conversations/{conversation_id}/summary.pdf"' in page

    pdf = person.get(f"/conversations/{conversation_id}/summary.pdf")
    assert pdf.status_code == 200
    assert pdf.mimetype == "application/pdf"
    data = pdf.get_data()
    assert data.startswith(b"%PDF")
    from portal.conversations.onepage import page_count

    assert page_count(data) == 1
    assert f"/Lang ({language})".encode() in data


def test_the_pdf_with_no_answers_is_still_a_pdf(app, person):
    conversation_id, _ = start(person, "journey")
    data = person.get(f"/conversations/{conversation_id}/summary.pdf").get_data()
    assert data.startswith(b"%PDF")


def test_the_pdf_is_in_the_persons_language_whoever_downloads_it(app, person, login_as):
    set_language(person, "cy")  # saved on the person's account
    conversation_id, first = start(person, "what-matters")
    press(person, conversation_id, first.rsplit("/", 1)[1], words="Dw i'n hoffi pêl-droed.")
    practitioner = app.test_client()
    assert sign_in(practitioner, "demo-practitioner").status_code == 302
    set_language(practitioner, "en")
    data = practitioner.get(f"/conversations/{conversation_id}/summary.pdf").get_data()
    assert data.startswith(b"%PDF") and b"/Lang (cy)" in data


def test_an_old_form_token_shows_the_question_again_with_the_words(app, person):
    from portal.core.messages import FORM_EXPIRED

    conversation_id, first = start(person, "what-matters")
    response = person.post(first, data={"csrf_token": "old", "action": "next",
                                        "words": "typed on an old page"})
    assert response.status_code == 400
    page = text_of(response)
    assert message(app, FORM_EXPIRED) in page and "typed on an old page" in page
    assert answers_of(app, conversation_id) == {}


# --- what a question page reads ----------------------------------------------------------------


def test_a_question_page_reads_only_its_own_answer_with_its_cards(app, person):
    conversation_id, _ = start(person, "what-matters")
    asked = questions(app, "what-matters")
    for question in asked[:3]:
        press(person, conversation_id, question.key, cards=question.cards[:2],
              words=f"about {question.key}")
    shown = asked[1]
    pages = []
    reads = statements_run(app, lambda: pages.append(person.get(question_path(conversation_id,
                                                                      shown.key))))
    page = text_of(pages[0])
    assert f"about {shown.key}" in page
    assert f"about {asked[0].key}" not in page and f"about {asked[2].key}" not in page
    for card in shown.cards[:2]:
        assert re.search(rf'value="{re.escape(card)}"[^>]*checked', page), card
    answer_reads = [s for s in reads if "answers" in s]
    assert len(answer_reads) == 1, answer_reads
    assert "answer_themes" in answer_reads[0] and "question_key" in answer_reads[0]


def test_a_question_further_on_answered_out_of_turn_is_stored_once(app, person):
    """Looked for first (the person is elsewhere), not there: made, once."""
    conversation_id, _ = start(person, "what-matters")
    asked = questions(app, "what-matters")
    press(person, conversation_id, asked[0].key, words="first")
    later = asked[3]
    for _ in range(2):
        assert press(person, conversation_id, later.key, cards=later.cards[:1],
                     words="out of turn").status_code == 302
    stored = answers_of(app, conversation_id)
    assert set(stored) == {asked[0].key, later.key}
    assert stored[later.key]["text"] == "out of turn"
    assert stored[later.key]["cards"] == list(later.cards[:1])
