"""What the dashboard shows, read from the rollups and suppressed (portal/disclosure.py).

Database reads and plain data only: no requests, no templates. Nothing here reads a
person: the rollup cells hold counts and summed scores, never who.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from threading import Lock

from sqlalchemy import select, text

from portal import aggregate
from portal.disclosure import ALL, Dimension, Protected, flat, margins, protect
from portal.extensions import db
from portal.models import (
    CommissionerArea,
    ContentItem,
    LocalAuthority,
    RatingRollup,
    Region,
)


@dataclass(frozen=True)
class Area:
    key: str  # "region:<code>" or "la:<code>"
    name_en: str
    name_cy: str
    is_region: bool

    def name(self, locale: str) -> str:
        return self.name_cy if locale == "cy" else self.name_en


def areas_of(user_id: int) -> list[Area]:
    """The regions and local authorities a commissioner may see, regions first."""
    links = list(db.session.scalars(select(CommissionerArea).where(
        CommissionerArea.user_id == user_id)))
    regions = {link.region_id for link in links if link.region_id}
    la_ids = {link.local_authority_id for link in links if link.local_authority_id}
    areas: list[Area] = []
    for region in db.session.scalars(select(Region).order_by(Region.name_en)):
        if region.id in regions:
            areas.append(Area(f"region:{region.code}", region.name_en, region.name_cy, True))
            la_ids.update(la.id for la in region.local_authorities)
    for la in db.session.scalars(select(LocalAuthority).order_by(LocalAuthority.name_en)):
        if la.id in la_ids:
            areas.append(Area(f"la:{la.code}", la.name_en, la.name_cy, False))
    return areas


def _area_dimension() -> tuple[Dimension, dict[int, str]]:
    """Every local authority, adding up to its region, adding up to all of Wales: the
    same cube for every commissioner, so no two of them see different patterns."""
    code_of: dict[int, str] = {}
    members_of: dict[str, list[str]] = {}
    rows = db.session.execute(
        select(Region.code, LocalAuthority.id, LocalAuthority.code)
        .join(LocalAuthority, LocalAuthority.region_id == Region.id)
        .order_by(Region.code, LocalAuthority.name_en))
    for region_code, la_id, la_code in rows:
        code_of[la_id] = f"la:{la_code}"
        members_of.setdefault(f"region:{region_code}", []).append(f"la:{la_code}")
    groups = [(region, tuple(members)) for region, members in members_of.items()]
    leaves = tuple(code for members in (m for _t, m in groups) for code in members)
    groups.append((ALL, tuple(t for t, _m in groups)))
    return Dimension("area", leaves, tuple(groups)), code_of


# The distinct periods and respondents are read by jumping through the rollup's index
# (period, respondent, ...) one value at a time, rather than reading every cell: a few
# index look-ups instead of a scan of the whole rollup (SQLite and PostgreSQL alike).
_PERIODS = text("""
    WITH RECURSIVE found(value) AS (
        SELECT MIN(period) FROM rating_rollups
        UNION ALL
        SELECT (SELECT MIN(period) FROM rating_rollups WHERE period > found.value)
        FROM found WHERE found.value IS NOT NULL)
    SELECT value FROM found WHERE value IS NOT NULL""")
_RESPONDENTS = text("""
    WITH RECURSIVE found(value) AS (
        SELECT MIN(respondent) FROM rating_rollups WHERE period = :period
        UNION ALL
        SELECT (SELECT MIN(respondent) FROM rating_rollups
                WHERE period = :period AND respondent > found.value)
        FROM found WHERE found.value IS NOT NULL)
    SELECT value FROM found WHERE value IS NOT NULL""")


def periods() -> list[str]:
    """Periods with any results, newest first (years and quarters)."""
    return sorted(db.session.scalars(_PERIODS), reverse=True)


def respondents(period: str) -> list[str]:
    rows = db.session.scalars(_RESPONDENTS, {"period": period})
    return sorted(rows, key=lambda r: (r != aggregate.SELF, r != aggregate.PROXY, r))


@dataclass
class Statement:
    key: str
    words_en: str
    words_cy: str
    domain: str
    points: list[str]  # "how-true.always", best first


@dataclass
class Content:
    statements: list[Statement]
    domains: dict[str, tuple[str, str]]  # key -> (en, cy)
    points: dict[str, tuple[str, str]]  # "how-true.always" -> (en, cy)


def content() -> Content:
    current = list(db.session.scalars(select(ContentItem).where(
        ContentItem.is_current, ContentItem.kind.in_(["statement", "domain", "scale_point"]))))
    order = sorted(current, key=lambda i: ((i.data or {}).get("order", 0), i.id))
    points_of: dict[str, list[str]] = {}
    points = {}
    for item in order:
        if item.kind == "scale_point":
            key = item.key.removeprefix("scale_point.")
            points_of.setdefault(item.data.get("scale", ""), []).append(key)
            points[key] = (item.words_en, item.words_cy)
    statements = [
        Statement(item.key.split(".", 1)[1], item.words_en, item.words_cy,
                  item.data.get("domain", ""), points_of.get(item.data.get("scale", ""), []))
        for item in order if item.kind == "statement"
    ]
    domains = {item.key.split(".", 1)[1]: (item.words_en, item.words_cy)
               for item in order if item.kind == "domain"}
    return Content(statements, domains, points)


@dataclass
class Cube:
    """The suppressed people counts and summed scores of one period and respondent."""

    protected: Protected
    scores: dict
    dims: tuple[Dimension, ...]
    aliases: dict = field(default_factory=dict)

    def cell(self, area: str, source: str, age: str, statement: str, point: str):
        source = self.aliases.get((1, source), source)
        age = self.aliases.get((2, age), age)
        return (area, source, age, statement, point)


# Suppressing a cube is the slow part of the dashboard (a second or so for a busy year):
# the last few suppressed cubes are kept, each with the exact counts and scores it was
# built from. A cube is reused only when the rollups read now are equal to those, so a
# changed rating is never hidden behind an old result; it only costs one more build.
# Each kept cube holds about 15 MB at a million ratings: twelve of them (one period's
# results, themes and most of its trends page) cost up to about 180 MB per process.
_CACHE: OrderedDict = OrderedDict()
_CACHE_SIZE = 12
_CACHE_LOCK = Lock()


def _remembered(key, inputs):
    with _CACHE_LOCK:
        found = _CACHE.get(key)
        if found is not None and found[0] == inputs:
            _CACHE.move_to_end(key)
            return found[1]
    return None


def _remember(key, inputs, built) -> None:
    with _CACHE_LOCK:
        _CACHE[key] = (inputs, built)
        _CACHE.move_to_end(key)
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)


def cube(period: str, respondent: str, threshold: int) -> Cube:
    area_dim, code_of = _area_dimension()
    r = RatingRollup
    # One rollup row per cell (the unique key), so no grouping: a plain range read of the
    # (period, respondent) index.
    rows = db.session.connection().execute(
        select(r.local_authority_id, r.source, r.age_band, r.statement_key, r.point_key,
               r.people, r.score_milli)
        .where(r.period == period, r.respondent == respondent, r.people > 0)
    ).all()
    people, scores = {}, {}
    for la, source, age, statement, point, count, score in rows:
        if la not in code_of:
            continue
        cell = (code_of[la], source, age, statement, point)
        people[cell] = int(count)
        scores[cell] = int(score)
    present = [sorted({c[i] for c in people}) for i in range(5)]
    # A filter with one value present adds nothing: its total is that value. Leaving its
    # line out keeps the cube small (the same cells are published either way).
    aliases = {}
    for i in (1, 2):
        if len(present[i]) == 1:
            aliases[(i, ALL)] = present[i][0]
    dims = (area_dim, flat("source", present[1], total=len(present[1]) > 1),
            flat("age", present[2], total=len(present[2]) > 1),
            flat("statement", present[3], total=False), flat("point", present[4]))
    key, inputs = ("scores", period, respondent, threshold), (dims, people, scores)
    built = _remembered(key, inputs)
    if built is None:
        # Means need summed scores only for every point together: summing the points first
        # makes that cube a quarter of the size.
        by_statement: dict = {}
        for (area, source, age, statement, _point), score in scores.items():
            total = (area, source, age, statement, ALL)
            by_statement[total] = by_statement.get(total, 0) + score
        score_dims = (*dims[:4], Dimension("point", (ALL,)))
        built = Cube(protect(people, dims, threshold), margins(by_statement, score_dims), dims,
                     aliases)
        _remember(key, inputs, built)
    return built


@dataclass
class Row:
    statement: Statement
    counts: list[int | None]  # per point, None when hidden
    n: int | None
    mean: float | None


@dataclass
class DomainRow:
    key: str
    mean: float | None
    statements: int


@dataclass
class View:
    rows: list[Row] = field(default_factory=list)
    domains: list[DomainRow] = field(default_factory=list)
    points: list[str] = field(default_factory=list)

    @property
    def has_results(self) -> bool:
        return any(row.n for row in self.rows)


def view(c: Cube, words: Content, area: str, source: str, age: str) -> View:
    result = View()
    pooled: dict[str, list[int]] = {}
    for statement in words.statements:
        total = c.cell(area, source, age, statement.key, ALL)
        n = c.protected.count(total)
        counts = [c.protected.count(c.cell(area, source, age, statement.key, p))
                  for p in statement.points]
        mean = None
        if n:
            score = c.scores.get(total, 0)
            mean = score / 1000 / n
            acc = pooled.setdefault(statement.domain, [0, 0, 0])
            acc[0] += score
            acc[1] += n
            acc[2] += 1
        if not result.points:
            result.points = statement.points
        result.rows.append(Row(statement, counts, n, mean))
    for key in words.domains:
        score, n, count = pooled.get(key, (0, 0, 0))
        result.domains.append(DomainRow(key, score / 1000 / n if n else None, count))
    return result
