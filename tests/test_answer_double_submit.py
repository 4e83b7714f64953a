"""A double tap on a conversation answer: the same POST sent twice at the same moment.

On a busy tablet the same press can reach the portal twice at once. Both posts must end on
the next screen, in one `answers` row with the words sent and exactly the cards sent (each
`answer_themes` row once, none lost), for a first answer and for a change to an answer
already stored. Only the event benchmark's 40-tablet burst once caught this going wrong
(e15f6cc, reverted: a change read the answer and its themes before writing, so both posts
found the old cards, both inserted the new ones, and the unique key of `answer_themes` gave
500s). So here every question of a conversation but the last is double-tapped twice (its
first answer, then a change: new words, one card kept, one dropped, one new), for a
signed-in person (both conversations) and for two event participants, 38 and 40 double taps.
Each pair of posts carries the same session cookie (one tablet) and is released
by one barrier right before the request. It runs on the suite's database: SQLite, and
PostgreSQL in CI's second pass.
"""

from __future__ import annotations

import re
import threading

from sqlalchemy import select

from portal.core.extensions import db
from portal.models import Answer
from tests.pages import csrf_token_in
from tests.test_conversations import question_path, questions, start
from tests.test_events import content, event_code, join_as, new_event  # noqa: F401

# --- helpers ----------------------------------------------------------------------------------


def _same_tablet(client):
    """A second client with this client's session cookie: the same tablet's second tap."""
    name = client.application.config["SESSION_COOKIE_NAME"]
    twin = client.application.test_client()
    twin.set_cookie(name, client.get_cookie(name).value)
    return twin


def _double_tap(client, path: str, words: str, cards) -> list[tuple[int, str]]:
    """The question page, then the same answer posted twice at once; (status, where) each."""
    page = client.get(path)
    assert page.status_code == 200, (path, page.status_code)
    data = {"csrf_token": csrf_token_in(page.get_data(as_text=True)), "action": "next",
            "words": words, "cards": list(cards)}
    tablets = [client, _same_tablet(client)]
    barrier = threading.Barrier(len(tablets))
    outcomes: list[tuple[int, str]] = [(0, "no answer")] * len(tablets)

    def tap(index: int, tablet) -> None:
        barrier.wait()
        try:
            response = tablet.post(path, data=data)
            outcomes[index] = (response.status_code, response.headers.get("Location", ""))
        except Exception as error:  # TESTING: a 500's exception reaches the client
            outcomes[index] = (500, repr(error)[:300])

    threads = [threading.Thread(target=tap, args=(i, t)) for i, t in enumerate(tablets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def _stored(app, conversation_id: int, key: str) -> list[tuple[str, str | None, list]]:
    """Every answer row for this question: (status, words, its theme rows, sorted)."""
    with app.app_context():
        rows = db.session.scalars(select(Answer).where(
            Answer.conversation_id == conversation_id, Answer.question_key == key)).all()
        found = [(a.status, a.text, sorted((t.theme_key, t.source) for t in a.themes))
                 for a in rows]
        db.session.remove()
    return found


def _tap_and_check(app, client, conversation_id: int, path_of, key: str, words: str,
                   cards, after: str) -> list[str]:
    """Double-tap one answer; what went wrong, if anything."""
    outcomes = _double_tap(client, path_of(key), words, cards)
    problems = [f"{key} {words!r}: got {status} {where}" for status, where in outcomes
                if (status, where) != (302, after)]
    expected = [("answered", words, sorted((card, "card") for card in cards))]
    stored = _stored(app, conversation_id, key)
    if stored != expected:
        problems.append(f"{key} {words!r}: stored {stored}, expected {expected}")
    return problems


def _rounds(app, client, conversation_id: int, conversation_key: str,
            path_of) -> tuple[int, list[str]]:
    """Every question but the last: a first answer, then a change (new words; one card
    kept, one dropped, one new), each double-tapped and each leading to the next question.
    `path_of(key)` is a question's address. (double taps sent, problems)."""
    asked = questions(app, conversation_key)
    problems: list[str] = []
    taps = 0
    for index, question in enumerate(asked[:-1]):
        after = path_of(asked[index + 1].key)
        first, changed = question.cards[0:2], question.cards[1:3]
        for words, cards in ((f"first words for {question.key}", first),
                             (f"changed words for {question.key}", changed)):
            problems += _tap_and_check(app, client, conversation_id, path_of, question.key,
                                       words, cards, after)
            taps += 1
    return taps, problems


def _report(taps: int, problems: list[str]) -> str:
    return f"{len(problems)} problems in {taps} double taps:\n" + "\n".join(problems[:12])


# --- a signed-in person ---------------------------------------------------------------------


def test_a_persons_double_taps_store_one_answer_with_the_cards_sent(app, content, login_as):  # noqa: F811,E501
    person = login_as("person")
    taps, problems = 0, []
    for conversation_key in ("what-matters", "journey"):
        conversation_id, _first = start(person, conversation_key)
        done, found = _rounds(app, person, conversation_id, conversation_key,
                              lambda key, c=conversation_id: question_path(c, key))
        taps, problems = taps + done, problems + found
    assert taps >= 20
    assert not problems, _report(taps, problems)


# --- an event participant -------------------------------------------------------------------


def test_a_participants_double_taps_store_one_answer_with_the_cards_sent(app, content, login_as):  # noqa: F811,E501
    event_id = new_event(login_as("facilitator"))
    code = event_code(app, event_id)
    taps, problems = 0, []
    for _participant in range(2):
        tablet, first = join_as(app, code)
        conversation_id = int(re.search(r"/join/answer/(\d+)/q/", first).group(1))
        done, found = _rounds(app, tablet, conversation_id, "what-matters",
                              lambda key, c=conversation_id: f"/join/answer/{c}/q/{key}")
        taps, problems = taps + done, problems + found
    assert taps >= 20
    assert not problems, _report(taps, problems)
