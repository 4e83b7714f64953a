"""Disclosure control: pure functions over plain data (no Flask, no database).

A table of people counts is a cube: every cell has one label in each dimension (area,
source, age band, statement, scale point …). A dimension can have totals: a group
names a total label and the labels it adds up (a region adds up its local authorities;
"all" adds up the regions). Every published count is a cell of the cube, leaf or total.

1. Primary suppression: a cell describing 1 to threshold-1 people is hidden.
2. Secondary suppression: wherever a total and the labels it adds up are published
   (a "line"), a hidden cell must not be recoverable by subtraction. So a line never
   has exactly one hidden cell, and the hidden members of a line whose total is shown
   together describe 0 or at least threshold people. When a line breaks either rule,
   the smallest other non-zero member is hidden too (or, failing that, the total).
   Repeated until nothing changes, so hiding a cell in one line protects it in every
   line it is part of (area, source, age band and scale point alike).

Zero cells are published: "nobody" describes no one. Each published view is a slice of
one cube suppressed once, so switching filters (a region, then each of its local
authorities; all ages, then each age band) shows only cells of the same pattern.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import product

DEFAULT_THRESHOLD = 10
ALL = "*"


@dataclass(frozen=True)
class Dimension:
    name: str
    leaves: tuple[str, ...]
    # (total label, labels it adds up), inner groups first.
    groups: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def labels(self) -> tuple[str, ...]:
        return self.leaves + tuple(total for total, _members in self.groups)

    def ancestors(self) -> dict[str, tuple[str, ...]]:
        """Each label -> every total that includes it, directly or through another total."""
        parents: dict[str, list[str]] = {label: [] for label in self.labels}
        for total, members in self.groups:
            for member in members:
                parents[member].append(total)
        found: dict[str, tuple[str, ...]] = {}

        def walk(label: str) -> tuple[str, ...]:
            if label not in found:
                seen: list[str] = []
                for parent in parents[label]:
                    for up in (parent, *walk(parent)):
                        if up not in seen:
                            seen.append(up)
                found[label] = tuple(seen)
            return found[label]

        for label in self.labels:
            walk(label)
        return found


def flat(name: str, leaves: Iterable[str], total: bool = True) -> Dimension:
    """A dimension whose leaves add up to one total `*` (or have no total)."""
    leaves = tuple(leaves)
    return Dimension(name, leaves, ((ALL, leaves),) if total else ())


@dataclass
class Protected:
    """A suppressed cube: `count(cell)` is the published number, or None when hidden."""

    values: dict[tuple[str, ...], int]
    hidden: set[tuple[str, ...]] = field(default_factory=set)
    threshold: int = DEFAULT_THRESHOLD

    def count(self, cell: tuple[str, ...]) -> int | None:
        if cell in self.hidden:
            return None
        return self.values.get(cell, 0)

    def is_hidden(self, cell: tuple[str, ...]) -> bool:
        return cell in self.hidden


def margins(fine: Mapping[tuple[str, ...], int], dims: tuple[Dimension, ...]) -> dict:
    """Every cell of the cube, leaves and totals, from the counts of the leaf cells."""
    ups = [d.ancestors() for d in dims]
    values: dict[tuple[str, ...], int] = {}
    for cell, count in fine.items():
        if not count:
            continue
        options = [(label, *ups[i][label]) for i, label in enumerate(cell)]
        for coord in product(*options):
            values[coord] = values.get(coord, 0) + count
    return values


def _lines(dims: tuple[Dimension, ...]):
    """Every line: the cells a total adds up, with the total last."""
    for i, dim in enumerate(dims):
        others = [d.labels for d in dims[:i]], [d.labels for d in dims[i + 1:]]
        for total, members in dim.groups:
            for before in product(*others[0]):
                for after in product(*others[1]):
                    yield ([(*before, m, *after) for m in members], (*before, total, *after))


def _fix_line(members, total, values, hidden, threshold) -> bool:
    cells = [*members, total]
    shown_total = total not in hidden
    hidden_members = [c for c in members if c in hidden]
    hidden_count = len(hidden_members) + (0 if shown_total else 1)
    if hidden_count == 0:
        return False
    hidden_sum = sum(values.get(c, 0) for c in hidden_members)
    recoverable = hidden_count == 1 and any(values.get(c, 0) for c in cells if c in hidden)
    too_small = shown_total and 0 < hidden_sum < threshold
    if not (recoverable or too_small):
        return False
    candidates = sorted((values.get(c, 0), c) for c in members
                        if c not in hidden and values.get(c, 0) > 0)
    if candidates:
        hidden.add(candidates[0][1])
        return True
    if shown_total:
        hidden.add(total)
        return True
    return False


def protect(fine: Mapping[tuple[str, ...], int], dims: tuple[Dimension, ...],
            threshold: int = DEFAULT_THRESHOLD) -> Protected:
    """Suppress the whole cube built from the leaf counts `fine`."""
    if threshold < 1:
        raise ValueError("the threshold must be at least 1")
    values = margins(fine, dims)
    hidden = {cell for cell, count in values.items() if 0 < count < threshold}
    lines = [(members, total) for members, total in _lines(dims)
             if values.get(total, 0) or any(values.get(m, 0) for m in members)]
    changed = True
    while changed:
        changed = False
        for members, total in lines:
            while _fix_line(members, total, values, hidden, threshold):
                changed = True
    return Protected(values, hidden, threshold)
