"""Trends by quarter and the gap between self and proxy views, from the same suppressed
cubes as the dashboard (one cube per period and respondent), so no number appears here
that the dashboard would hide. Database reads (through data.cube) and plain data only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from portal.commissioning import aggregate
from portal.commissioning.data import Content, cube, periods, respondents, view

MAX_QUARTERS = 8


def _pooled(rows) -> float | None:
    """The mean of every published statement together (each weighted by its people)."""
    score = people = 0.0
    for row in rows:
        if row.n and row.mean is not None:
            score += row.mean * row.n
            people += row.n
    return score / people if people else None


@dataclass
class Trend:
    quarters: list[str] = field(default_factory=list)
    overall: list[float | None] = field(default_factory=list)
    domains: dict[str, list[float | None]] = field(default_factory=dict)

    @property
    def has_results(self) -> bool:
        """Any quarter with results, shown or hidden ("Hidden" is not "no results")."""
        return bool(self.quarters)


def trend(words: Content, respondent: str, area: str, source: str, age: str,
          threshold: int) -> Trend:
    """The latest quarters with results, oldest first."""
    quarters = sorted(p for p in periods() if aggregate.is_quarter(p))[-MAX_QUARTERS:]
    result = Trend(quarters=quarters, domains={key: [] for key in words.domains})
    for q in quarters:
        shown = view(cube(q, respondent, threshold), words, area, source, age)
        result.overall.append(_pooled(shown.rows))
        means = {d.key: d.mean for d in shown.domains}
        for key in words.domains:
            result.domains[key].append(means.get(key))
    return result


@dataclass
class GapRow:
    statement_key: str
    self_mean: float | None
    proxy_means: list[float | None]  # one per proxy label, in Gap.labels order
    any_proxy: float | None

    @property
    def gap(self) -> float | None:
        """Proxy (anyone) minus self: positive when the circle scores higher."""
        if self.self_mean is None or self.any_proxy is None:
            return None
        return self.any_proxy - self.self_mean


@dataclass
class Gap:
    labels: list[str] = field(default_factory=list)  # proxy:<relation>:<perspective>
    rows: list[GapRow] = field(default_factory=list)

    @property
    def has_results(self) -> bool:
        """Statements to compare, with means shown or hidden."""
        return bool(self.rows)


def gap(words: Content, period: str, area: str, source: str, age: str,
        threshold: int) -> Gap:
    labels = [r for r in respondents(period) if r.startswith(aggregate.PROXY + ":")]
    means: dict[str, dict[str, float | None]] = {}
    for respondent in (aggregate.SELF, aggregate.PROXY, *labels):
        shown = view(cube(period, respondent, threshold), words, area, source, age)
        means[respondent] = {row.statement.key: row.mean for row in shown.rows}
    # A relationship and perspective with nothing publishable here adds an empty column.
    labels = [label for label in labels if any(v is not None for v in means[label].values())]
    result = Gap(labels=labels)
    for statement in words.statements:
        key = statement.key
        result.rows.append(GapRow(key, means[aggregate.SELF].get(key),
                                  [means[label].get(key) for label in labels],
                                  means[aggregate.PROXY].get(key)))
    return result
