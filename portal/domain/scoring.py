"""Scores: pure functions over plain data (no Flask, no database).

Every placement on a mat and every outcome rating becomes a number from 0 to 100,
worked out from its own scale's point scores, so that answers on different scales can be
added up. 100 is always the best end of the scale.

A scale lists its points best first (as the person sees them, left to right). Its
direction comes from its scores: when the first point has the highest score, a higher
score is better (the usual case); when the first point has the lowest score, the scale is
reversed and a lower score is better. Either way the first point scores 100 and the last 0.

"I don't know", skipped and unplaced answers are missing (None), never 0: a missing
answer must not pull a mean down.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from statistics import fmean


class ScaleError(ValueError):
    """A scale that cannot give scores (too few points, or no clear best and worst end)."""


@dataclass(frozen=True)
class Point:
    key: str
    score: float


@dataclass(frozen=True)
class Scale:
    key: str
    points: tuple[Point, ...]  # best first, as shown

    def __post_init__(self) -> None:
        if len(self.points) < 2:
            raise ScaleError(f"scale {self.key!r} needs at least two points")
        scores = [p.score for p in self.points]
        if len(set(scores)) != len(scores):
            raise ScaleError(f"scale {self.key!r} has two points with the same score")
        first, last = scores[0], scores[-1]
        if {first, last} != {min(scores), max(scores)}:
            raise ScaleError(
                f"scale {self.key!r}: the first and last points must have the highest and "
                "lowest scores, so that its direction is clear"
            )

    @property
    def higher_is_better(self) -> bool:
        return self.points[0].score > self.points[-1].score

    @property
    def lowest(self) -> float:
        return min(p.score for p in self.points)

    @property
    def highest(self) -> float:
        return max(p.score for p in self.points)

    def point(self, key: str) -> Point:
        for point in self.points:
            if point.key == key:
                return point
        raise KeyError(key)

    def normalise(self, score: float) -> float:
        """A score of this scale on 0-100, 100 at the best end."""
        low, high = self.lowest, self.highest
        if not low <= score <= high:
            raise ScaleError(f"score {score} is outside scale {self.key!r} ({low} to {high})")
        fraction = (score - low) / (high - low)
        return 100 * (fraction if self.higher_is_better else 1 - fraction)

    def normalised(self, point_key: str | None) -> float | None:
        """The 0-100 score of a point; None (missing) when no point was chosen."""
        if point_key is None:
            return None
        return self.normalise(self.point(point_key).score)


def scale_from_scores(key: str, scores: Iterable[tuple[str, float]]) -> Scale:
    """A scale from (point key, score) pairs in the order the person sees them."""
    return Scale(key, tuple(Point(k, s) for k, s in scores))


# --- Means -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mean:
    """A mean of the answers that have a score, how many it is over, and how many were missing."""

    mean: float | None
    count: int
    missing: int

    @property
    def total(self) -> int:
        return self.count + self.missing


def mean_of(scores: Iterable[float | None]) -> Mean:
    values = list(scores)
    present = [v for v in values if v is not None]
    return Mean(fmean(present) if present else None, len(present), len(values) - len(present))


def domain_scores(
    scores: Iterable[tuple[str, float | None]], domains: Sequence[str] | None = None
) -> dict[str, Mean]:
    """(domain, statement score or None) pairs -> each domain's mean with its count.

    `domains` lists domains to report even when no statement of theirs was answered.
    """
    grouped: dict[str, list[float | None]] = {d: [] for d in domains or ()}
    for domain, score in scores:
        grouped.setdefault(domain, []).append(score)
    return {domain: mean_of(values) for domain, values in grouped.items()}


# --- Mats ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MatSummary:
    """Where the cards of one mat went: the cards under each point (in scale order), the
    cards not placed, and the mean of the placed cards' scores."""

    columns: dict[str, list[str]]
    unplaced: list[str]
    score: Mean


def mat_summary(scale: Scale, placements: Mapping[str, str | None]) -> MatSummary:
    """`placements`: card key -> the point it is under, or None when not placed."""
    columns: dict[str, list[str]] = {p.key: [] for p in scale.points}
    unplaced = []
    scores = []
    for card, point_key in placements.items():
        if point_key is None:
            unplaced.append(card)
            scores.append(None)
            continue
        columns[scale.point(point_key).key].append(card)
        scores.append(scale.normalised(point_key))
    return MatSummary(columns, unplaced, mean_of(scores))


# --- Over time (distance travelled) ----------------------------------------------------------

UP, DOWN, SAME, NEW, GONE, NOW_MISSING, NOW_SCORED = (
    "up", "down", "same", "new", "gone", "now_missing", "now_scored",
)


@dataclass(frozen=True)
class Change:
    key: str
    before: float | None
    after: float | None
    direction: str  # one of the names above

    @property
    def difference(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


def compare(
    earlier: Mapping[str, float | None],
    later: Mapping[str, float | None],
    *,
    tolerance: float = 0.5,
) -> list[Change]:
    """How each answer moved between two sessions, in the order of `later` then `earlier`.

    up/down: both scored and the score rose/fell by more than `tolerance` points;
    same: both scored, within tolerance, or both missing; now_scored / now_missing: one
    side missing; new / gone: the key is only in one session.
    """
    changes = []
    for key in [*later, *(k for k in earlier if k not in later)]:
        if key not in earlier:
            changes.append(Change(key, None, later[key], NEW))
            continue
        if key not in later:
            changes.append(Change(key, earlier[key], None, GONE))
            continue
        before, after = earlier[key], later[key]
        if before is None and after is None:
            direction = SAME
        elif before is None:
            direction = NOW_SCORED
        elif after is None:
            direction = NOW_MISSING
        elif after - before > tolerance:
            direction = UP
        elif before - after > tolerance:
            direction = DOWN
        else:
            direction = SAME
        changes.append(Change(key, before, after, direction))
    return changes
