"""Disclosure control, pure: small cells are hidden, and no hidden cell can be worked out
by subtracting published cells along any total (points from n, a local authority from
its region, one source or age band from all)."""

from __future__ import annotations

import random
from itertools import product

import pytest

from portal.commissioning.disclosure import ALL, Dimension, flat, protect

AREA = Dimension("area", ("a1", "a2", "a3", "b1"),
                 (("A", ("a1", "a2", "a3")), ("B", ("b1",)), (ALL, ("A", "B"))))
SOURCE = flat("source", ("review", "event"))
POINT = flat("point", ("p1", "p2", "p3"))
DIMS = (AREA, SOURCE, POINT)


def _lines(dims):
    for i, dim in enumerate(dims):
        others = [d.labels for j, d in enumerate(dims) if j != i]
        for total, members in dim.groups:
            for rest in product(*others):
                def at(label, rest=rest, i=i):
                    return (*rest[:i], label, *rest[i:])
                yield [at(m) for m in members], at(total)


def _recover(protected, dims):
    """Everything an attacker learns by differencing published totals and members,
    repeated until nothing new is found."""
    known = {c: protected.values.get(c, 0) for c in protected.values
             if not protected.is_hidden(c)}
    for cell in product(*[d.labels for d in dims]):
        if cell not in protected.values and not protected.is_hidden(cell):
            known[cell] = 0
    lines = list(_lines(dims))
    changed = True
    while changed:
        changed = False
        for members, total in lines:
            unknown = [c for c in (*members, total) if c not in known]
            if len(unknown) != 1:
                continue
            cell = unknown[0]
            if cell == total:
                known[cell] = sum(known[m] for m in members)
            else:
                known[cell] = known[total] - sum(known[m] for m in members if m != cell)
            changed = True
    return known


def test_a_small_cell_is_hidden_and_zero_is_shown():
    fine = {("a1", "review", "p1"): 4, ("a1", "review", "p2"): 30, ("a2", "review", "p1"): 50}
    protected = protect(fine, DIMS)
    assert protected.count(("a1", "review", "p1")) is None
    assert protected.count(("a1", "review", "p3")) == 0


def test_the_threshold_is_configurable():
    fine = {("a1", "review", "p1"): 4, ("a1", "review", "p2"): 4}
    assert protect(fine, DIMS, threshold=3).count(("a1", "review", "p1")) == 4
    assert protect(fine, DIMS, threshold=5).count(("a1", "review", "p1")) is None
    with pytest.raises(ValueError):
        protect(fine, DIMS, threshold=0)


def test_one_hidden_cell_in_a_row_takes_the_next_smallest_with_it():
    fine = {("a1", "review", "p1"): 3, ("a1", "review", "p2"): 12, ("a1", "review", "p3"): 40}
    protected = protect(fine, (AREA, flat("source", ("review",)), POINT))
    assert protected.count(("a1", "review", "p1")) is None
    assert protected.count(("a1", "review", "p2")) is None  # next smallest
    assert protected.count(("a1", "review", ALL)) == 55
    assert protected.count(("a1", "review", "p3")) == 40


def test_a_local_authority_cannot_be_worked_out_from_its_region():
    # b1 is the only council in region B: B equals b1, so both are hidden together,
    # and A cannot be used to get at B through all of Wales.
    fine = {("a1", "review", "p1"): 40, ("a2", "review", "p1"): 25, ("a3", "review", "p1"): 7,
            ("b1", "review", "p1"): 5}
    protected = protect(fine, DIMS)
    known = _recover(protected, DIMS)
    for cell, value in protected.values.items():
        if 0 < value < 10:
            assert cell not in known, cell


@pytest.mark.parametrize("seed", range(40))
def test_random_tables_never_give_away_a_small_cell(seed):
    rng = random.Random(seed)
    leaves = list(product(AREA.leaves, SOURCE.leaves, POINT.leaves))
    fine = {cell: rng.choice([0, 0, 1, 2, 3, 5, 8, 9, 10, 12, 15, 30, 60])
            for cell in leaves}
    protected = protect(fine, DIMS, threshold=10)
    known = _recover(protected, DIMS)
    for cell, value in protected.values.items():
        if 0 < value < 10:
            assert cell not in known, (seed, cell, value)
        if cell in known:
            assert known[cell] == value
    # and what is published is right
    for cell in known:
        assert known[cell] == protected.values.get(cell, 0)


# --- Issue 16: linked totals, known cells, forced cells, hidden zeros ----------------------


def test_a_total_counted_on_its_own_still_links_its_parts():
    """A year counts each person once, so it is given as counted (margin_dims without the
    group), yet suppressed with its quarters: a lone hidden quarter gets a partner."""
    period = Dimension("period", ("q1", "q2", "q3"), (("year", ("q1", "q2", "q3")),))
    counted = Dimension("period", period.labels)
    fine = {("q1",): 4, ("q2",): 30, ("q3",): 40, ("year",): 70}
    found = protect(fine, (period,), 10, margin_dims=(counted,))
    assert found.count(("year",)) == 70  # as counted, not the sum (74)
    assert found.count(("q1",)) is None and found.count(("q2",)) is None
    assert found.count(("q3",)) == 40


def test_a_known_cell_never_protects_another():
    """The event part is known from its reports: hiding it would protect nothing, so the
    total is hidden with the small review count instead."""
    source = flat("source", ("review", "event"))
    fine = {("review",): 4, ("event",): 30}
    found = protect(fine, (source,), 10, public={0: "event"})
    assert found.count(("review",)) is None
    assert found.count(("event",)) == 30
    assert found.count((ALL,)) is None


def test_a_forced_cell_is_hidden_and_protected():
    source = flat("source", ("review", "event"))
    fine = {("review",): 40, ("event",): 30}
    found = protect(fine, (source,), 10, forced=[("event",)])
    assert found.count(("event",)) is None
    assert found.count(("review",)) is None or found.count((ALL,)) is None


def test_zeros_are_hidden_when_asked():
    point = flat("point", ("p1", "p2"))
    shown = protect({("p1",): 20}, (point,), 10)
    hidden = protect({("p1",): 20}, (point,), 10, hide_zeros=True)
    assert shown.count(("p2",)) == 0
    assert hidden.count(("p2",)) is None
    assert hidden.count(("p1",)) == 20


def test_with_zeros_shown_each_other_hidden_cell_needs_room_of_one():
    """Zeros shown: hidden cells are at least 1, so 4 + 6 hidden together still pins the 4
    (it can be at most 9): a third cell is hidden."""
    point = flat("point", ("p1", "p2", "p3"))
    found = protect({("p1",): 4, ("p2",): 6, ("p3",): 50}, (point,), 10)
    assert found.count(("p3",)) is None or found.count((ALL,)) is None
