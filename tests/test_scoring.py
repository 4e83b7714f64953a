"""Scoring is pure: every scale shape, missing answers, means and changes over time.

Every expected value here was worked out by hand: (score - lowest) / (highest - lowest)
× 100, turned round for a reversed scale.
"""

from __future__ import annotations

import pytest

from portal.domain.scoring import (
    DOWN,
    GONE,
    NEW,
    NOW_MISSING,
    NOW_SCORED,
    SAME,
    UP,
    Mean,
    ScaleError,
    compare,
    domain_scores,
    mat_summary,
    mean_of,
    scale_from_scores,
)

THREE = scale_from_scores("good-not-sure-bad", [("good", 2), ("not-sure", 1), ("not-good", 0)])
FOUR = scale_from_scores("how-true", [("always", 3), ("mostly", 2), ("sometimes", 1), ("not", 0)])
FIVE = scale_from_scores("five", [("a", 5), ("b", 4), ("c", 3), ("d", 2), ("e", 1)])
# A reversed scale: 1 is the best ("strongly agree"), 5 the worst.
REVERSED_FIVE = scale_from_scores("rank", [("first", 1), ("2", 2), ("3", 3), ("4", 4), ("last", 5)])
REVERSED_THREE = scale_from_scores("pain", [("none", 0), ("some", 1), ("lots", 2)])


def test_three_point_scale():
    assert THREE.higher_is_better
    assert [THREE.normalised(k) for k in ("good", "not-sure", "not-good")] == [100, 50, 0]


def test_four_point_scale():
    assert FOUR.normalised("always") == 100
    assert FOUR.normalised("mostly") == pytest.approx(66.6667, abs=1e-4)  # 2/3
    assert FOUR.normalised("sometimes") == pytest.approx(33.3333, abs=1e-4)  # 1/3
    assert FOUR.normalised("not") == 0


def test_five_point_scale_that_does_not_start_at_zero():
    assert [FIVE.normalised(k) for k in "abcde"] == [100, 75, 50, 25, 0]


def test_reversed_five_point_scale():
    assert not REVERSED_FIVE.higher_is_better
    assert [REVERSED_FIVE.normalised(k) for k in ("first", "2", "3", "4", "last")] == [
        100, 75, 50, 25, 0,
    ]


def test_reversed_three_point_scale():
    assert [REVERSED_THREE.normalised(k) for k in ("none", "some", "lots")] == [100, 50, 0]


def test_uneven_scores_keep_their_spacing():
    # 40 best, 10 worst: 20 is a third of the way up.
    uneven = scale_from_scores("uneven", [("top", 40), ("middle", 20), ("bottom", 10)])
    assert uneven.normalised("top") == 100
    assert uneven.normalised("middle") == pytest.approx(33.3333, abs=1e-4)
    assert uneven.normalised("bottom") == 0


def test_two_point_yes_no_scale():
    yes_no = scale_from_scores("yes-no", [("yes", 1), ("no", 0)])
    assert (yes_no.normalised("yes"), yes_no.normalised("no")) == (100, 0)


def test_no_answer_is_missing_not_zero():
    assert THREE.normalised(None) is None
    assert FOUR.normalised(None) is None


@pytest.mark.parametrize(
    "scores",
    [
        [("only", 1)],
        [("a", 1), ("b", 1)],
        [("a", 2), ("b", 5), ("c", 0)],  # the best end is in the middle: no clear direction
    ],
)
def test_scales_that_cannot_be_scored_are_refused(scores):
    with pytest.raises(ScaleError):
        scale_from_scores("bad", scores)


def test_a_point_not_on_the_scale_is_refused():
    with pytest.raises(KeyError):
        THREE.normalised("always")
    with pytest.raises(ScaleError):
        THREE.normalise(3)


def test_mean_ignores_missing_answers():
    assert mean_of([100, None, 50]) == Mean(75, 2, 1)
    assert mean_of([None, None]) == Mean(None, 0, 2)
    assert mean_of([]) == Mean(None, 0, 0)
    assert mean_of([0, 0]) == Mean(0, 2, 0)  # zero is an answer: "Not true"


def test_domain_scores_are_means_of_statement_scores_with_counts():
    scores = [
        ("safety", 100.0),
        ("safety", None),  # I don't know
        ("safety", 50.0),
        ("home", None),  # skipped
        ("health", FOUR.normalised("mostly")),
        ("health", FOUR.normalised("not")),
    ]
    result = domain_scores(scores, domains=["safety", "home", "health", "rights"])
    assert result["safety"] == Mean(75, 2, 1)
    assert result["home"] == Mean(None, 0, 1)
    assert result["health"].mean == pytest.approx(33.3333, abs=1e-4)  # (66.67 + 0) / 2
    assert result["health"].count == 2
    assert result["rights"] == Mean(None, 0, 0)
    assert list(result) == ["safety", "home", "health", "rights"]


def test_mat_summary():
    summary = mat_summary(
        THREE,
        {"bedroom": "good", "cooking": "not-sure", "cleaning": None, "garden": "good"},
    )
    assert summary.columns == {
        "good": ["bedroom", "garden"], "not-sure": ["cooking"], "not-good": [],
    }
    assert summary.unplaced == ["cleaning"]
    # (100 + 50 + 100) / 3; the unplaced card is missing, not 0.
    assert summary.score.mean == pytest.approx(83.3333, abs=1e-4)
    assert (summary.score.count, summary.score.missing) == (3, 1)


def test_mat_summary_refuses_a_point_of_another_scale():
    with pytest.raises(KeyError):
        mat_summary(THREE, {"bedroom": "always"})


def test_compare_over_time():
    earlier = {"bedroom": 0.0, "cooking": 100.0, "garden": 50.0, "cleaning": None, "old": 50.0}
    later = {"bedroom": 50.0, "cooking": 0.0, "garden": 50.0, "cleaning": 100.0, "new": 0.0}
    changes = {c.key: c for c in compare(earlier, later)}
    assert changes["bedroom"].direction == UP
    assert changes["bedroom"].difference == 50
    assert changes["cooking"].direction == DOWN
    assert changes["cooking"].difference == -100
    assert changes["garden"].direction == SAME
    assert changes["cleaning"].direction == NOW_SCORED
    assert changes["cleaning"].difference is None
    assert changes["new"].direction == NEW
    assert changes["old"].direction == GONE
    assert [c.key for c in compare(earlier, later)] == [
        "bedroom", "cooking", "garden", "cleaning", "new", "old",
    ]


def test_compare_counts_a_move_to_dont_know_as_missing_not_down():
    changes = compare({"safe": 100.0, "heard": None}, {"safe": None, "heard": None})
    assert [(c.key, c.direction) for c in changes] == [("safe", NOW_MISSING), ("heard", SAME)]


def test_compare_tolerates_rounding():
    changes = compare({"a": 66.6667}, {"a": 2 / 3 * 100})
    assert changes[0].direction == SAME
