"""The conversation flow as plain functions over plain data: no Flask, no database.

What each button stores:
- Next: the chosen cards and the words (status "answered"); with nothing chosen or typed
  the person is asked to answer, or to press "I don't know" or "Skip".
- Back and "Stop and come back later": whatever is there (status "answered"); with nothing
  there, nothing changes (an earlier answer stays).
- "I don't know": status "dont_know", keeping any words typed (no cards, no scale point).
- "Skip": status "skipped", with no cards and no words: the person chose not to answer.
A question that asks yes or no also has a picture scale (Yes / Not sure / No): a point
chosen on it is an answer on its own, or with cards and words.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from portal.domain.yes_no import counted_purpose

MAX_WORDS_CHARS = 2000

NEXT, BACK, DONT_KNOW, SKIP, STOP = "next", "back", "dont_know", "skip", "stop"
ACTIONS = (NEXT, BACK, DONT_KNOW, SKIP, STOP)

ANSWERED, STATUS_DONT_KNOW, SKIPPED = "answered", "dont_know", "skipped"

# Problems, by the form field they belong to (the route turns them into messages).
EMPTY, TOO_LONG, UNKNOWN_CARD, UNKNOWN_POINT = "empty", "too_long", "unknown_card", "unknown_point"


# Where a press leads.
TO_QUESTION, TO_FINISH, TO_START, TO_HOME = "question", "finish", "start", "home"


@dataclass(frozen=True)
class Question:
    key: str  # "wm-matters" (the content item is "question.wm-matters")
    item_id: int
    conversation: str
    purpose: str
    order: int
    cards: tuple[str, ...] = ()
    scale: str = ""  # a yes/no question's scale, "" for none
    points: tuple[str, ...] = ()  # the keys of that scale's points, best first


def short_key(content_key: str) -> str:
    """ "question.wm-matters" -> "wm-matters"."""
    return content_key.split(".", 1)[1] if "." in content_key else content_key


def question_from(content_key: str, item_id: int, data: dict,
                  points: tuple[str, ...] = ()) -> Question:
    """`points`: the keys of the points of the question's scale, when it has one."""
    return Question(
        key=short_key(content_key),
        item_id=item_id,
        conversation=str(data.get("conversation", "")),
        purpose=str(data.get("purpose", "")),
        order=int(data.get("order", 0)),
        cards=tuple(data.get("cards", ())),
        scale=str(data.get("scale", "")),
        points=tuple(points),
    )


def questions_of(conversation_key: str, questions: Iterable[Question]) -> list[Question]:
    """The questions of one conversation, in their order."""
    return sorted((q for q in questions if q.conversation == conversation_key),
                  key=lambda q: (q.order, q.key))


def find(questions: Sequence[Question], key: str | None) -> Question | None:
    return next((q for q in questions if q.key == key), None)


def number_of(questions: Sequence[Question], key: str) -> int:
    """1-based place of a question, for "Question 3 of 11"."""
    return [q.key for q in questions].index(key) + 1


def resume_key(questions: Sequence[Question], position: str | None) -> str | None:
    """The question to open on coming back: where the person stopped, else the first."""
    if find(questions, position):
        return position
    return questions[0].key if questions else None


@dataclass(frozen=True)
class Submission:
    action: str
    cards: tuple[str, ...] = ()
    words: str = ""
    typed_for_person: bool = False
    point: str = ""  # the point chosen on the question's scale, "" for none

    @classmethod
    def clean(cls, action, cards, words, typed_for_person=False, point="") -> Submission:
        action = action if action in ACTIONS else NEXT  # Enter in a field means Next
        chosen = tuple(dict.fromkeys(c for c in (cards or ()) if c))  # no repeats
        return cls(action, chosen, (words or "").strip(), bool(typed_for_person),
                   str(point or "").strip())


@dataclass(frozen=True)
class Decision:
    """What to store: nothing (status None), or one answer with its cards."""

    status: str | None
    words: str | None = None
    cards: tuple[str, ...] = ()
    point: str | None = None
    problems: dict[str, str] = field(default_factory=dict)

    @property
    def stores(self) -> bool:
        return self.status is not None and not self.problems


def decide(question: Question, submission: Submission) -> Decision:
    """What a press stores, or the problems that stop anything being stored."""
    action, words, cards = submission.action, submission.words, submission.cards
    point = submission.point
    if action == SKIP:
        return Decision(SKIPPED)
    if action == DONT_KNOW:
        cards, point = (), ""
    problems = {}
    if len(words) > MAX_WORDS_CHARS:
        problems["words"] = TOO_LONG
    if any(card not in question.cards for card in cards):
        problems["cards"] = UNKNOWN_CARD
    if point and point not in question.points:
        problems["point"] = UNKNOWN_POINT
    if problems:
        return Decision(None, problems=problems)
    if action == DONT_KNOW:
        return Decision(STATUS_DONT_KNOW, words or None)
    if not words and not cards and not point:
        if action == NEXT:
            # Where the question has a scale, the message belongs beside the scale.
            return Decision(None, problems={"point" if question.points else "cards": EMPTY})
        return Decision(None)  # Back or Stop with nothing there: keep what was stored
    return Decision(ANSWERED, words or None, cards, point or None)


def destination(questions: Sequence[Question], key: str, action: str) -> tuple[str, str | None]:
    """(where, question key) after a press that stored what it had to."""
    if action == STOP:
        return TO_HOME, None
    keys = [q.key for q in questions]
    place = keys.index(key)
    if action == BACK:
        return (TO_QUESTION, keys[place - 1]) if place > 0 else (TO_START, None)
    if place + 1 < len(keys):
        return TO_QUESTION, keys[place + 1]
    return TO_FINISH, None


def who_typed(
    current_user_id: int,
    person_user_id: int | None,
    companion_user_id: int | None,
    typed_for_person: bool,
) -> int | None:
    """Whose hands typed the words.

    On the person's own sign-in, "Someone typed this for me" names the companion they
    chose ("Who is with you today?"). On anyone else's sign-in (a practitioner holding
    the conversation), that person typed unless the box says the person did.
    """
    if current_user_id == person_user_id:
        return (companion_user_id or current_user_id) if typed_for_person else current_user_id
    if typed_for_person:
        return current_user_id
    return person_user_id or current_user_id


# --- For the aggregate: answers by what they tell us --------------------------------------


@dataclass(frozen=True)
class AnswerFacts:
    question_key: str
    purpose: str
    status: str
    words: str | None = None
    themes: tuple[str, ...] = ()  # cards chosen and themes tagged, each once
    point: str | None = None  # the yes/no scale's point, when the question has one


def answers_by_purpose(answers: Iterable[AnswerFacts]) -> dict[str, list[AnswerFacts]]:
    """Answers grouped by their question's purpose (what matters, what gets in the way, ...)."""
    grouped: dict[str, list[AnswerFacts]] = defaultdict(list)
    for answer in answers:
        grouped[answer.purpose].append(answer)
    return dict(grouped)


def theme_counts_by_purpose(answers: Iterable[AnswerFacts]) -> dict[str, Counter]:
    """How many answers of each purpose name each theme ("I don't know" and skips count none)."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for answer in answers:
        if answer.status != SKIPPED:
            purpose = counted_purpose(answer.purpose, answer.point)
            if purpose:
                counts[purpose].update(set(answer.themes))
    return dict(counts)
