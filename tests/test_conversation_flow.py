"""The conversation flow and the one-page summary as plain functions: no Flask, no database."""

from __future__ import annotations

import pytest

from portal.conversations import flow, onepage
from portal.conversations.flow import AnswerFacts, Question, Submission

Q1 = Question("q1", 1, "talk", "about", 0, ("friends", "home"))
Q2 = Question("q2", 2, "talk", "matters", 1, ("friends", "money"))
Q3 = Question("q3", 3, "talk", "helps", 2, ())
OTHER = Question("x1", 9, "other", "about", 0, ())
QUESTIONS = [Q3, OTHER, Q1, Q2]


def submit(action="next", cards=(), words="", typed=False) -> Submission:
    return Submission.clean(action, cards, words, typed)


def test_questions_of_a_conversation_come_in_their_order():
    assert [q.key for q in flow.questions_of("talk", QUESTIONS)] == ["q1", "q2", "q3"]
    assert flow.questions_of("nothing", QUESTIONS) == []


def test_question_from_content_takes_the_short_key_and_data():
    q = flow.question_from("question.wm-matters", 7, {
        "conversation": "what-matters", "purpose": "matters", "order": 3, "cards": ["friends"],
    })
    assert q == Question("wm-matters", 7, "what-matters", "matters", 3, ("friends",))


def test_next_with_cards_and_words_is_an_answer():
    decision = flow.decide(Q1, submit(cards=["home", "friends"], words=" I like my home "))
    assert (decision.status, decision.words, decision.cards) == ("answered", "I like my home",
                                                                 ("home", "friends"))
    assert decision.stores


def test_a_card_chosen_twice_counts_once():
    assert flow.decide(Q1, submit(cards=["home", "home"])).cards == ("home",)


def test_next_with_nothing_asks_for_an_answer():
    decision = flow.decide(Q1, submit())
    assert decision.problems == {"cards": flow.EMPTY}
    assert not decision.stores


@pytest.mark.parametrize("action", [flow.BACK, flow.STOP])
def test_back_or_stop_with_nothing_keeps_what_was_stored(action):
    decision = flow.decide(Q1, submit(action))
    assert decision.status is None and not decision.problems and not decision.stores


def test_back_saves_what_is_there():
    assert flow.decide(Q1, submit(flow.BACK, words="so far")).status == "answered"


def test_dont_know_keeps_the_words_but_no_cards():
    decision = flow.decide(Q1, submit(flow.DONT_KNOW, cards=["home"], words="maybe"))
    assert (decision.status, decision.words, decision.cards) == ("dont_know", "maybe", ())


def test_skip_stores_no_words_and_no_cards_even_overlong_ones():
    decision = flow.decide(Q1, submit(flow.SKIP, cards=["nope"], words="x" * 3000))
    assert (decision.status, decision.words, decision.cards, decision.problems) == (
        "skipped", None, (), {})


def test_overlong_words_and_unknown_cards_are_refused_together():
    decision = flow.decide(Q1, submit(cards=["home", "money"], words="x" * 2001))
    assert decision.problems == {"words": flow.TOO_LONG, "cards": flow.UNKNOWN_CARD}
    assert not decision.stores


def test_exactly_the_limit_is_fine():
    assert flow.decide(Q3, submit(words="x" * flow.MAX_WORDS_CHARS)).stores


def test_an_unknown_action_means_next():
    assert submit("launch-missiles").action == flow.NEXT


def test_where_each_press_leads():
    qs = [Q1, Q2, Q3]
    assert flow.destination(qs, "q1", flow.NEXT) == (flow.TO_QUESTION, "q2")
    assert flow.destination(qs, "q2", flow.SKIP) == (flow.TO_QUESTION, "q3")
    assert flow.destination(qs, "q3", flow.DONT_KNOW) == (flow.TO_FINISH, None)
    assert flow.destination(qs, "q2", flow.BACK) == (flow.TO_QUESTION, "q1")
    assert flow.destination(qs, "q1", flow.BACK) == (flow.TO_START, None)
    assert flow.destination(qs, "q2", flow.STOP) == (flow.TO_HOME, None)


def test_resume_opens_where_the_person_stopped_else_the_first():
    qs = [Q1, Q2, Q3]
    assert flow.resume_key(qs, "q2") == "q2"
    assert flow.resume_key(qs, None) == "q1"
    assert flow.resume_key(qs, "gone-from-the-content") == "q1"
    assert flow.resume_key([], None) is None
    assert flow.number_of(qs, "q3") == 3


def test_who_typed():
    person, supporter, practitioner = 1, 2, 3
    # The person on their own sign-in, typing for themself.
    assert flow.who_typed(person, person, supporter, False) == person
    # Their supporter beside them typed it on the person's tablet.
    assert flow.who_typed(person, person, supporter, True) == supporter
    assert flow.who_typed(person, person, None, True) == person
    # A practitioner holding the conversation types the person's words.
    assert flow.who_typed(practitioner, person, practitioner, True) == practitioner
    # ... unless the box says the person typed on the practitioner's laptop.
    assert flow.who_typed(practitioner, person, practitioner, False) == person


def test_answers_by_purpose_and_theme_counts():
    facts = [
        AnswerFacts("q1", "matters", "answered", "my dog", ("friends", "home")),
        AnswerFacts("q2", "matters", "answered", None, ("friends",)),
        AnswerFacts("q3", "barriers", "dont_know", None, ()),
        AnswerFacts("q4", "barriers", "skipped", None, ("money",)),
    ]
    grouped = flow.answers_by_purpose(facts)
    assert [f.question_key for f in grouped["matters"]] == ["q1", "q2"]
    assert [f.question_key for f in grouped["barriers"]] == ["q3", "q4"]
    counts = flow.theme_counts_by_purpose(facts)
    assert counts["matters"] == {"friends": 2, "home": 1}
    assert sum(counts["barriers"].values()) == 0


# --- the one-page summary ---------------------------------------------------------------


def test_groups_follow_the_page_order_and_keep_words(app):
    answers = [
        ("helps", ["Money"], None),
        ("matters", ["Friends", "Home"], "My cat"),
        ("matters", ["Friends"], None),
        ("about", [], None),  # says nothing: no group
    ]
    with app.test_request_context():
        found = onepage.groups(answers, "en")
    assert [g.purpose for g in found] == ["matters", "helps"]
    assert found[0].themes == ("Friends", "Home")
    assert found[0].text(True) == "What matters to me\nFriends, Home\n“My cat”"
    assert found[0].text(False) == "What matters to me\nFriends, Home"


def _fake_pdf(pages: int) -> bytes:
    return b"%PDF-1.4\n" + b"".join(b"<< /Type /Page >>\n" for _ in range(pages)) + (
        b"<< /Type /Pages >>")


def test_page_count_reads_pages_not_the_page_tree():
    assert onepage.page_count(_fake_pdf(3)) == 3


def test_one_page_leaves_out_words_then_groups_until_it_fits():
    found = [onepage.GroupText(p, p.title(), "heart", ("A",), ("long words",))
             for p in ("matters", "helps", "worries")]
    tried = []

    def render(lines):
        tried.append(lines)
        with_words = any("long words" in text for _p, text in lines)
        return _fake_pdf(2 if with_words or len(lines) > 2 else 1)

    pdf = onepage.one_page(found, render)
    assert onepage.page_count(pdf) == 1
    assert len(tried) == 3  # with words; without words; without the last group
    assert [text.split("\n")[0] for _p, text in tried[-1]] == ["Matters", "Helps"]
