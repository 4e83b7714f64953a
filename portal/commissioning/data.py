"""What the dashboard shows, read from the rollups and suppressed (portal/disclosure.py).

Database reads and plain data only: no requests, no templates. Nothing here reads a
person: the rollup cells hold counts and summed scores, never who.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

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
    groups = []
    for region in db.session.scalars(select(Region).order_by(Region.code)):
        members = []
        for la in region.local_authorities:
            code_of[la.id] = f"la:{la.code}"
            members.append(f"la:{la.code}")
        groups.append((f"region:{region.code}", tuple(members)))
    leaves = tuple(code for members in (m for _t, m in groups) for code in members)
    groups.append((ALL, tuple(t for t, _m in groups)))
    return Dimension("area", leaves, tuple(groups)), code_of


def periods() -> list[str]:
    """Periods with any results, newest first (years and quarters)."""
    rows = db.session.scalars(select(RatingRollup.period).distinct())
    return sorted(rows, reverse=True)


def respondents(period: str) -> list[str]:
    rows = db.session.scalars(select(RatingRollup.respondent).distinct()
                              .where(RatingRollup.period == period))
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


def cube(period: str, respondent: str, threshold: int) -> Cube:
    area_dim, code_of = _area_dimension()
    r = RatingRollup
    rows = db.session.execute(
        select(r.local_authority_id, r.source, r.age_band, r.statement_key, r.point_key,
               func.sum(r.people), func.sum(r.score_milli))
        .where(r.period == period, r.respondent == respondent, r.people > 0)
        .group_by(r.local_authority_id, r.source, r.age_band, r.statement_key, r.point_key)
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
    return Cube(protect(people, dims, threshold), margins(scores, dims), dims, aliases)


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
