"""Agreement between two raters: pure functions over plain data (no Flask, no database).

Used to compare a person's own ratings with a member of their circle's ratings of the
same statements. Ratings are category indices 0..categories-1 on an ordered scale.
"I don't know", skipped and missing answers are not categories: `paired()` leaves out
every pair with a missing answer on either side before anything is measured.

Quadratic weighted kappa (Cohen 1968; Fleiss & Cohen 1973) is

    kappa_w = 1 - sum(w_ij * O_ij) / sum(w_ij * E_ij),   w_ij = (i - j)^2 / (k - 1)^2

where O is the table of observed pair proportions and E the table expected by chance
from the two raters' own marginal proportions. A disagreement of two steps costs four
times a disagreement of one step, which suits an ordered "how true" scale.
"""

from __future__ import annotations

from collections.abc import Sequence


def paired(a: Sequence[int | None], b: Sequence[int | None]) -> tuple[list[int], list[int]]:
    """The pairs where both raters gave a category; a missing (None) on either side is out."""
    if len(a) != len(b):
        raise ValueError("the two raters must rate the same number of things")
    kept = [(x, y) for x, y in zip(a, b, strict=True) if x is not None and y is not None]
    return [x for x, _ in kept], [y for _, y in kept]


def _check(a: Sequence[int], b: Sequence[int], categories: int) -> None:
    if len(a) != len(b):
        raise ValueError("the two raters must rate the same number of things")
    if not a:
        raise ValueError("there are no pairs to compare")
    if categories < 2:
        raise ValueError("a scale needs at least two categories")
    for value in (*a, *b):
        if not (isinstance(value, int) and 0 <= value < categories):
            raise ValueError(f"{value!r} is not a category from 0 to {categories - 1}")


def quadratic_weighted_kappa(a: Sequence[int], b: Sequence[int], categories: int) -> float:
    """Cohen's weighted kappa with quadratic weights, from -1 to 1 (1: full agreement).

    When every rating is the same, the chance-expected disagreement is zero and the usual
    formula divides 0 by 0. Defined here as:

    * 1.0 when both raters gave the same single category throughout (they agree fully,
      and no chance model could have done better: nothing is left to explain);
    * otherwise the formula is defined and used. Note that when one rater is constant
      the observed table equals the chance table exactly, so kappa is 0.0: a rater who
      always says the same thing gives no information to agree with, whatever the other
      says; when both are constant on different categories it is also 0.0.

    Raises ValueError for empty or unequal sequences and categories out of range.
    """
    _check(a, b, categories)
    n = len(a)
    k = categories
    observed = [[0.0] * k for _ in range(k)]
    for x, y in zip(a, b, strict=True):
        observed[x][y] += 1 / n
    row = [sum(observed[i]) for i in range(k)]
    col = [sum(observed[i][j] for i in range(k)) for j in range(k)]
    observed_disagreement = 0.0
    expected_disagreement = 0.0
    for i in range(k):
        for j in range(k):
            weight = (i - j) ** 2 / (k - 1) ** 2
            observed_disagreement += weight * observed[i][j]
            expected_disagreement += weight * row[i] * col[j]
    if expected_disagreement == 0:
        # Only possible when both raters used one and the same category throughout.
        return 1.0
    return 1 - observed_disagreement / expected_disagreement


def percent_agreement(a: Sequence[int], b: Sequence[int]) -> float:
    """The share of pairs with exactly the same category, as a percentage 0-100."""
    if len(a) != len(b):
        raise ValueError("the two raters must rate the same number of things")
    if not a:
        raise ValueError("there are no pairs to compare")
    same = sum(1 for x, y in zip(a, b, strict=True) if x == y)
    return 100 * same / len(a)


def large_difference(a: int | None, b: int | None, steps: int = 2) -> bool:
    """Two answers `steps` or more scale steps apart; never when either is missing."""
    if a is None or b is None:
        return False
    return abs(a - b) >= steps
