"""What an event's answers add up to: plain functions over plain data, no Flask.

The live view counts everything (the facilitator is in the room); the report applies a
simple small-number rule: a count below `SMALL_NUMBER` is shown as "fewer than 3", never
as the number. The commissioning aggregate does the real disclosure control.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

SMALL_NUMBER = 3
TOP_THEMES = 5
ANSWERED, DONT_KNOW, SKIPPED = "answered", "dont_know", "skipped"


@dataclass(frozen=True)
class AnswerRow:
    """One stored answer of one participant: no participant, no words."""

    question_key: str
    status: str
    cards: tuple[str, ...] = ()


@dataclass
class QuestionCount:
    key: str
    answered: int = 0
    dont_know: int = 0
    skipped: int = 0
    cards: Counter = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return self.answered + self.dont_know + self.skipped


def count_answers(question_keys: Sequence[str], rows: Iterable[AnswerRow]) -> list[QuestionCount]:
    """Counts per question (in the conversation's order) and per card."""
    counts = {key: QuestionCount(key) for key in question_keys}
    for row in rows:
        found = counts.get(row.question_key)
        if found is None:
            continue
        if row.status == SKIPPED:
            found.skipped += 1
        elif row.status == DONT_KNOW:
            found.dont_know += 1
        else:
            found.answered += 1
            found.cards.update(set(row.cards))
    return [counts[key] for key in question_keys]


def top_themes(rows: Iterable[AnswerRow], limit: int = TOP_THEMES) -> list[tuple[str, int]]:
    """The themes chosen most often, most first (ties by name, so the order is stable)."""
    themes: Counter = Counter()
    for row in rows:
        if row.status == ANSWERED:
            themes.update(set(row.cards))
    return sorted(themes.items(), key=lambda pair: (-pair[1], pair[0]))[:limit]


def shown_count(count: int, small: int = SMALL_NUMBER) -> int | None:
    """The count to publish in a report, or None for "fewer than 3" (including none)."""
    return count if count >= small else None
