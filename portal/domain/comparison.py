"""Self and proxy side by side: pure functions over plain data (no Flask, no database).

Answers are category indices on the statement's scale (0 = the first point shown, the
best end), or None for "I don't know", skipped or not asked. A large difference is two
scale steps or more. Agreement leaves out every pair with a missing answer on either side.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from portal.domain.agreement import (
    large_difference,
    paired,
    percent_agreement,
    quadratic_weighted_kappa,
)


@dataclass(frozen=True)
class Agreement:
    pairs: int
    percent: float | None
    kappa: float | None


@dataclass(frozen=True)
class Row:
    key: str
    domain: str
    own: int | None
    other: int | None
    flagged: bool


def agreement(own: Sequence[int | None], other: Sequence[int | None],
              categories: int) -> Agreement:
    a, b = paired(own, other)
    if not a:
        return Agreement(0, None, None)
    return Agreement(len(a), percent_agreement(a, b), quadratic_weighted_kappa(a, b, categories))


def compare(statements: Sequence[tuple[str, str]], own: Mapping[str, int | None],
            other: Mapping[str, int | None], categories: int):
    """statements: (key, domain) in order. Returns (rows, by domain, overall agreement);
    by domain is a list of (domain, rows, agreement) in the order domains first appear."""
    rows = [Row(key, domain, own.get(key), other.get(key),
                large_difference(own.get(key), other.get(key)))
            for key, domain in statements]
    domains: dict[str, list[Row]] = {}
    for row in rows:
        domains.setdefault(row.domain, []).append(row)
    by_domain = [(domain, members, agreement([r.own for r in members],
                                             [r.other for r in members], categories))
                 for domain, members in domains.items()]
    overall = agreement([r.own for r in rows], [r.other for r in rows], categories)
    return rows, by_domain, overall
