"""Agreement statistics (portal/domain/agreement.py, portal/domain/comparison.py): pure, no Flask.

Expected values are worked by hand below and were checked with
sklearn.metrics.cohen_kappa_score(weights="quadratic") (scikit-learn 1.9.1, in a scratch
environment: it is not a dependency of the portal).
"""

from __future__ import annotations

import pytest

from portal.domain.agreement import (
    large_difference,
    paired,
    percent_agreement,
    quadratic_weighted_kappa,
)
from portal.domain.comparison import compare


def expand(table):
    """Two raters' answers from a contingency table of counts (rows: rater A)."""
    a, b = [], []
    for i, row in enumerate(table):
        for j, count in enumerate(row):
            a += [i] * count
            b += [j] * count
    return a, b


# Fleiss, Cohen & Everitt (1969), "Large sample standard errors of kappa and weighted
# kappa", Psychological Bulletin 72(5): 100 patients, three diagnostic categories. Their
# unweighted kappa is .429. By hand with quadratic weights (i-j)^2/4: observed
# disagreement .25*(.05+.11+.05+.06) + (.02+.01) = .0975; chance disagreement from the
# marginals (.60 .30 .10 / .65 .25 .10) = .25*.40 + .125 = .225; kappa = 1 - .0975/.225.
FLEISS_COHEN_EVERITT = [[53, 5, 2], [11, 14, 5], [1, 6, 3]]


def test_fleiss_cohen_everitt_table():
    a, b = expand(FLEISS_COHEN_EVERITT)
    assert quadratic_weighted_kappa(a, b, 3) == pytest.approx(1 - 0.0975 / 0.225)
    assert quadratic_weighted_kappa(a, b, 3) == pytest.approx(0.5666666666666667)
    assert percent_agreement(a, b) == pytest.approx(70.0)


def test_two_categories_equal_cohens_kappa():
    """With two categories quadratic weights are 0/1, so weighted kappa is Cohen's (1960)
    kappa. The textbook example (Wikipedia, "Cohen's kappa"): 50 proposals, 20 yes/yes,
    5 yes/no, 10 no/yes, 15 no/no; po = .7, pe = .5, kappa = .4."""
    a, b = expand([[20, 5], [10, 15]])
    assert quadratic_weighted_kappa(a, b, 2) == pytest.approx(0.4)
    assert percent_agreement(a, b) == pytest.approx(70.0)


def test_small_example_by_hand():
    # Observed disagreement (1/4 + 1/4)/3 = 1/6; chance (1/9) * 12/4 = 1/3; 1 - 1/2.
    assert quadratic_weighted_kappa([0, 1, 2], [0, 2, 1], 3) == pytest.approx(0.5)


def test_four_point_scale_like_how_true():
    a = [0, 1, 2, 3, 3, 2, 1, 0, 2, 3, 1, 1]
    b = [0, 1, 3, 3, 2, 2, 0, 0, 3, 3, 1, 2]
    assert quadratic_weighted_kappa(a, b, 4) == pytest.approx(0.8314606741573034)
    assert percent_agreement(a, b) == pytest.approx(100 * 7 / 12)


def test_perfect_and_reversed():
    assert quadratic_weighted_kappa([0, 1, 2, 3], [0, 1, 2, 3], 4) == pytest.approx(1.0)
    assert quadratic_weighted_kappa([0, 3], [3, 0], 4) == pytest.approx(-1.0)


def test_every_rating_the_same():
    # Both constant on one category: 0/0 in the formula, defined as full agreement.
    assert quadratic_weighted_kappa([2, 2, 2], [2, 2, 2], 4) == 1.0
    # One constant rater: the observed table is the chance table, so 0 (as sklearn).
    assert quadratic_weighted_kappa([1, 1, 1, 1], [0, 1, 2, 3], 4) == pytest.approx(0.0)
    # Both constant on different categories: no agreement beyond chance.
    assert quadratic_weighted_kappa([0, 0], [3, 3], 4) == pytest.approx(0.0)


@pytest.mark.parametrize(("a", "b", "k"), [
    ([], [], 4), ([0], [0, 1], 4), ([0, 4], [0, 1], 4), ([0], [0], 1), ([-1], [0], 4),
])
def test_bad_input_is_refused(a, b, k):
    with pytest.raises(ValueError):
        quadratic_weighted_kappa(a, b, k)


def test_missing_answers_are_left_out():
    a, b = paired([0, None, 2, 3, None], [0, 1, None, 3, None])
    assert (a, b) == ([0, 3], [0, 3])
    with pytest.raises(ValueError):
        percent_agreement([], [])


def test_large_difference_is_two_steps_or_more():
    assert large_difference(0, 2)
    assert large_difference(3, 0)
    assert not large_difference(1, 2)
    assert not large_difference(None, 3)
    assert not large_difference(0, None)


def test_compare_by_statement_and_domain():
    statements = [("safe", "safety"), ("home", "home"), ("friends", "relationships"),
                  ("safe-home", "safety")]
    own = {"safe": 0, "home": 1, "friends": None, "safe-home": 3}
    other = {"safe": 3, "home": 1, "friends": 2}
    rows, by_domain, overall = compare(statements, own, other, 4)
    assert [r.flagged for r in rows] == [True, False, False, False]
    assert overall.pairs == 2
    assert overall.percent == pytest.approx(50.0)
    domains = {d: a for d, _rows, a in by_domain}
    assert list(domains) == ["safety", "home", "relationships"]
    assert domains["relationships"].pairs == 0
    assert domains["relationships"].kappa is None
    assert domains["home"].kappa == 1.0
