"""Disclosure control: pure functions over plain data (no Flask, no database).

A table of people counts is a cube: every cell has one label in each dimension (period,
respondent, area, source, age band, statement, scale point …). A dimension can have totals:
a group names a total label and the labels it adds up (a region adds up its local
authorities; a year its quarters; "anyone in their circle" each relationship). Every
published count is a cell of the cube, leaf or total.

1. Primary suppression: a cell describing 1 to threshold-1 people is hidden; with
   `hide_zeros` a 0 is shown as hidden too, so that "hidden" never says "at least one"
   (an outsider who knows every hidden cell is at least 1 can pin small cells between
   totals; tests/test_disclosure_attack.py found hundreds that way).
2. Secondary suppression: wherever a total and the labels it adds up are published
   (a "line"), a hidden cell must not be recoverable by subtraction. So a line never
   has exactly one hidden cell, and the hidden members of a line whose total is shown
   together describe 0 or at least threshold people. When a line breaks either rule,
   another non-zero member is hidden too: the smallest big enough to give the hidden cells
   room to reach the threshold, else the largest (or, failing that, the total). Repeated
   until nothing changes, so hiding a cell in one line protects it in every line it is
   part of. Cells known from another publication (`public`: an event report's counts) are
   treated as shown and never used to protect; `forced` cells are hidden whatever their
   size (a part of them was left out elsewhere).

Why linked suppression, and not cell-key perturbation or controlled rounding: every shown
number stays exact, and no published figure describes fewer than `threshold` people; the
README ("Small numbers") gives the reasons in full. The guarantee is for everything
published together only if everything published is one cube suppressed once: the
dashboard links a year with its quarters and every respondent of a family in one cube
(portal/commissioning/data.py), and a mean is shown only where its row's counts give it.

Zero cells are not stored (margins holds non-zero cells only).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

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


class Grid:
    """Cells as integers (mixed radix over each dimension's labels): the suppression loop
    hashes and builds hundreds of thousands of cells, and integers are much cheaper than
    tuples of strings. `code` and `cell` translate."""

    def __init__(self, dims: tuple[Dimension, ...]):
        self.dims = dims
        self.index = [{label: i for i, label in enumerate(d.labels)} for d in dims]
        self.sizes = [len(d.labels) for d in dims]
        self.strides = []
        stride = 1
        for size in reversed(self.sizes):
            self.strides.insert(0, stride)
            stride *= size
        # Per dimension: label index -> stride offsets of itself and every total above it.
        self.ups = []
        for d, index, stride in zip(dims, self.index, self.strides, strict=True):
            ancestors = d.ancestors()
            self.ups.append([tuple(index[x] * stride for x in (label, *ancestors[label]))
                             for label in d.labels])
        # Per dimension: label index -> the groups (total index, member indexes) it is in.
        self.groups = []
        for d, index in zip(dims, self.index, strict=True):
            of: list[list] = [[] for _label in d.labels]
            for total, members in d.groups:
                group = (index[total], tuple(index[m] for m in members))
                of[index[total]].append(group)
                for member in members:
                    of[index[member]].append(group)
            self.groups.append(of)

    def code(self, cell: tuple[str, ...]) -> int | None:
        total = 0
        for index, stride, label in zip(self.index, self.strides, cell, strict=True):
            found = index.get(label)
            if found is None:
                return None
            total += found * stride
        return total

    def cell(self, code: int) -> tuple[str, ...]:
        return tuple(d.labels[(code // stride) % size]
                     for d, stride, size in zip(self.dims, self.strides, self.sizes, strict=True))

    def margins(self, fine: Mapping[tuple[str, ...], int]) -> dict[int, int]:
        """Leaf counts, then one dimension at a time each cell added into the totals above
        it in that dimension: every total of the cube, with few additions."""
        values: dict[int, int] = {}
        for cell, count in fine.items():
            if count:
                code = self.code(cell)
                values[code] = values.get(code, 0) + count
        for stride, size, ups in zip(self.strides, self.sizes, self.ups, strict=True):
            if all(len(up) == 1 for up in ups):
                continue  # no totals in this dimension
            added: dict[int, int] = dict(values)
            for code, count in values.items():
                offsets = ups[(code // stride) % size]
                base = code - offsets[0]
                for offset in offsets[1:]:
                    total = base + offset
                    added[total] = added.get(total, 0) + count
            values = added
        return values

    def lines_of(self, code: int, skip=()):
        """Every line through this cell: (key, member codes, total code); lines whose key is
        in `skip` are left out before their members are built."""
        for i, (stride, size, of) in enumerate(zip(self.strides, self.sizes, self.groups,
                                                   strict=True)):
            here = (code // stride) % size
            base = code - here * stride
            for total, members in of[here]:
                total_code = base + total * stride
                key = (total_code, i)
                if key not in skip:
                    yield key, [base + m * stride for m in members], total_code


class Margins:
    """Totals of a cube worked out once, read by cell: `get(cell, default)`."""

    def __init__(self, grid: Grid, values: dict[int, int]):
        self.grid = grid
        self.coded = values

    def get(self, cell: tuple[str, ...], default: int = 0) -> int:
        code = self.grid.code(cell)
        return default if code is None else self.coded.get(code, default)


@dataclass
class Protected:
    """A suppressed cube: `count(cell)` is the published number, or None when hidden."""

    grid: Grid
    coded: dict[int, int]
    hidden_codes: set[int] = field(default_factory=set)
    threshold: int = DEFAULT_THRESHOLD
    hide_zeros: bool = False

    @property
    def values(self) -> dict[tuple[str, ...], int]:
        return {self.grid.cell(code): value for code, value in self.coded.items()}

    @property
    def hidden(self) -> set[tuple[str, ...]]:
        return {self.grid.cell(code) for code in self.hidden_codes}

    def count(self, cell: tuple[str, ...]) -> int | None:
        code = self.grid.code(cell)
        if code is None:
            return 0
        if code in self.hidden_codes:
            return None
        value = self.coded.get(code, 0)
        return None if value == 0 and self.hide_zeros else value

    def is_hidden(self, cell: tuple[str, ...]) -> bool:
        return self.grid.code(cell) in self.hidden_codes


def margins(fine: Mapping[tuple[str, ...], int], dims: tuple[Dimension, ...]) -> Margins:
    """Every cell of the cube, leaves and totals, from the counts of the leaf cells."""
    grid = Grid(dims)
    return Margins(grid, grid.margins(fine))


def _fix_line(members, total, values, hidden, threshold, public, hide_zeros=False):
    """Hide one more cell of this line if it needs it; return that cell (or None).

    A public cell (known to outsiders from another publication) counts as shown here even
    when it is hidden on screen, and is never hidden to protect another cell: hiding it
    protects nothing."""
    shown_total = total not in hidden or public(total)
    hidden_members = [c for c in members if c in hidden and not public(c)]
    hidden_count = len(hidden_members) + (0 if shown_total else 1)
    if hidden_count == 0:
        return None
    hidden_sum = sum(values.get(c, 0) for c in hidden_members)
    recoverable = hidden_count == 1 and (hidden_sum or (not shown_total and values.get(total)))
    # With zeros shown, a hidden count is at least 1, and one hidden cell could only reach
    # the line's hidden sum less one for each other hidden cell: that must reach the
    # threshold. With zeros hidden too (protect's hide_zeros) a hidden cell may be 0.
    room = threshold + (0 if hide_zeros else max(0, len(hidden_members) - 1))
    too_small = shown_total and 0 < hidden_sum < room
    if not (recoverable or too_small):
        return None
    candidates = [(values.get(c, 0), c) for c in members
                  if c not in hidden and not public(c) and values.get(c, 0) > 0]
    if candidates:
        # The smallest cell that gives the hidden cells room to be `threshold` or more
        # (so none of them can be bounded inside 1..threshold-1 through this line), else
        # the largest there is. Always the smallest possible would often pair one small
        # cell with another, which protects neither.
        needed = room + 1 - hidden_sum if too_small else threshold
        enough = [c for c in candidates if c[0] >= needed]
        chosen = min(enough) if enough else max(candidates)
        hidden.add(chosen[1])
        return chosen[1]
    if shown_total and not public(total):
        hidden.add(total)
        return total
    return None


def _never(_code: int) -> bool:
    return False


def public_cells(grid: Grid, where):
    """A test for "this cell is known to outsiders anyway": either the given cells, or
    (a mapping) every cell whose label in each dimension `i` of `where` is `where[i]`."""
    if not where:
        return _never
    if callable(where):
        return where(grid)
    if not isinstance(where, Mapping):
        codes = {grid.code(cell) for cell in where} - {None}
        return codes.__contains__
    checks = []
    for i, label in where.items():
        found = grid.index[i].get(label)
        if found is None:
            return _never
        checks.append((grid.strides[i], grid.sizes[i], found))

    def public(code: int) -> bool:
        return all((code // stride) % size == index for stride, size, index in checks)

    return public


def protect(fine: Mapping[tuple[str, ...], int], dims: tuple[Dimension, ...],
            threshold: int = DEFAULT_THRESHOLD, *, margin_dims: tuple[Dimension, ...] | None = None,
            public=None, forced=(), hide_zeros: bool = False) -> Protected:
    """Suppress the whole cube built from the leaf counts `fine`.

    `margin_dims` (same labels in the same order as `dims`) says which totals are worked
    out by adding: a dimension whose totals are counted on their own (a year counts a
    person once, however many quarters they answered in; "anyone in their circle" counts
    them once, however many members answered) is given there with no groups, and `fine`
    holds its totals as counted. Its groups in `dims` still link the cells for suppression,
    as if the total were the sum: where each person answers once a year, or has one
    circle member, it is. `public` marks cells known from elsewhere (see public_cells);
    `forced` cells are hidden whatever their count (a part of them is too small to show
    elsewhere); `hide_zeros` shows a zero as hidden too, so that "hidden" never tells an
    outsider "at least one" (see the top)."""
    if threshold < 1:
        raise ValueError("the threshold must be at least 1")
    grid = Grid(dims)
    values = (Grid(margin_dims) if margin_dims else grid).margins(fine)
    is_public = public_cells(grid, public)
    hidden = {code for code, count in values.items() if 0 < count < threshold}
    hidden |= {code for code in map(grid.code, forced) if code is not None and values.get(code)}
    # A worklist rather than passes over every line: only a line through a hidden cell can
    # need fixing, and it needs looking at again only when one of its cells is hidden.
    # The cells start in order, so the same counts always give the same pattern.
    queue: deque = deque()
    queued: dict = {}

    def push(code):
        for key, members, total in grid.lines_of(code, queued):
            if key not in queued:
                queued[key] = (members, total)
                queue.append(key)

    for code in sorted(hidden):
        push(code)
    while queue:
        key = queue.popleft()
        members, total = queued.pop(key)
        while (added := _fix_line(members, total, values, hidden, threshold,
                                  is_public, hide_zeros)) is not None:
            push(added)
    return Protected(grid, values, hidden, threshold, hide_zeros)
