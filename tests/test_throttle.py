"""The sign-in throttling rule, as a pure function."""

import pytest

from portal.domain.throttle import seconds_to_wait

FREE, MAX = 5, 300


@pytest.mark.parametrize("failures", [0, 1, 4])
def test_the_first_failures_cost_nothing(failures):
    assert seconds_to_wait(failures, 0, FREE, MAX) == 0


@pytest.mark.parametrize(
    ("failures", "delay"), [(5, 2), (6, 4), (7, 8), (8, 16), (10, 64), (12, 256)]
)
def test_each_failure_past_the_free_ones_doubles_the_wait(failures, delay):
    assert seconds_to_wait(failures, 0, FREE, MAX) == delay


@pytest.mark.parametrize("failures", [13, 20, 1000])
def test_the_wait_never_passes_the_maximum(failures):
    assert seconds_to_wait(failures, 0, FREE, MAX) == MAX


def test_time_already_waited_counts():
    assert seconds_to_wait(7, 3, FREE, MAX) == 5  # an 8-second wait, 3 gone


def test_part_seconds_round_up():
    assert seconds_to_wait(5, 0.5, FREE, MAX) == 2
    assert seconds_to_wait(5, 1.9, FREE, MAX) == 1


@pytest.mark.parametrize("elapsed", [2, 2.5, 60, 10_000])
def test_once_waited_the_next_try_is_free(elapsed):
    assert seconds_to_wait(5, elapsed, FREE, MAX) == 0


def test_the_rule_follows_the_settings():
    assert seconds_to_wait(1, 0, free=1, max_delay=10) == 2
    assert seconds_to_wait(9, 0, free=1, max_delay=10) == 10
    assert seconds_to_wait(0, 0, free=0, max_delay=10) == 2


def test_the_wait_only_shrinks_as_time_passes_and_stays_in_bounds():
    for failures in range(0, 25):
        waits = [seconds_to_wait(failures, t / 4, FREE, MAX) for t in range(0, 4 * 400)]
        assert all(0 <= w <= MAX for w in waits)
        assert waits == sorted(waits, reverse=True)
        assert waits[-1] == 0
