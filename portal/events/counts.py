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
    point: str | None = None  # Yes / Not sure / No, on a question that asks yes or no


@dataclass
class QuestionCount:
    key: str
    answered: int = 0
    dont_know: int = 0
    skipped: int = 0
    cards: Counter = field(default_factory=Counter)
    points: Counter = field(default_factory=Counter)  # yes/no answers, by point

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
            if row.point:
                found.points[row.point] += 1
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


# --- Mats and outcome ratings --------------------------------------------------------------

DONT_KNOW_KEY = "dont_know"


@dataclass(frozen=True)
class PlacementRow:
    """One card on one participant's mat: where it is (None: not placed). No participant."""

    mat_key: str
    card_key: str
    point_key: str | None


@dataclass(frozen=True)
class RatingRow:
    """One participant's answer to one statement: a point, "dont_know" or None (skipped)."""

    statement_key: str
    point_key: str | None


def count_placements(rows: Iterable[PlacementRow]) -> dict[str, dict[str, Counter]]:
    """mat key -> card key -> how many placed it under each point. Unplaced cards and
    people's own cards ("Something else", never counted: their words could say who) are left
    out."""
    counts: dict[str, dict[str, Counter]] = {}
    for row in rows:
        if row.point_key is None or row.card_key.startswith("own."):
            continue
        counts.setdefault(row.mat_key, {}).setdefault(row.card_key, Counter())[row.point_key] += 1
    return counts


def count_ratings(rows: Iterable[RatingRow]) -> dict[str, Counter]:
    """statement key -> how many chose each point (and "dont_know"). Skips are not counted."""
    counts: dict[str, Counter] = {}
    for row in rows:
        if row.point_key is None:
            continue
        counts.setdefault(row.statement_key, Counter())[row.point_key] += 1
    return counts


def flat_counts(mats: dict[str, dict[str, Counter]],
                ratings: dict[str, Counter]) -> dict[str, int]:
    """The counts as one flat mapping for the live view's polling: "m:mat:card:point" and
    "r:statement:point"."""
    flat = {}
    for mat_key, cards in mats.items():
        for card_key, points in cards.items():
            for point_key, n in points.items():
                flat[f"m:{mat_key}:{card_key}:{point_key}"] = n
    for statement_key, points in ratings.items():
        for point_key, n in points.items():
            flat[f"r:{statement_key}:{point_key}"] = n
    return dict(sorted(flat.items()))
