"""What the dashboard shows, read from the rollups and suppressed
(portal/commissioning/disclosure.py).

Database reads and plain data only: no requests, no templates. Nothing here reads a
person: the rollup cells hold counts and summed scores, never who.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select, text

from portal.commissioning import aggregate, event_links
from portal.commissioning.disclosure import (
    ALL,
    Dimension,
    Margins,
    Protected,
    flat,
    margins,
    protect,
)
from portal.core.cache import app_store
from portal.core.extensions import db
from portal.models import (
    CommissionerArea,
    ContentItem,
    LocalAuthority,
    RatingRollup,
    Region,
    RollupStamp,
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
    """The suppressed people counts (and summed scores) of one slice of a linked cube:
    `prefix` is the slice's labels in the linked cube's first dimensions (period and
    respondent, or period alone for themes); `dims` are the dimensions a view picks from."""

    protected: Protected
    scores: Margins | dict
    dims: tuple[Dimension, ...]
    aliases: dict = field(default_factory=dict)
    prefix: tuple[str, ...] = ()

    def cell(self, area: str, source: str, age: str, statement: str, point: str):
        source = self.aliases.get((1, source), source)
        age = self.aliases.get((2, age), age)
        return (*self.prefix, area, source, age, statement, point)


# Counts of 0 are hidden too: otherwise "Hidden" would tell an outsider "at least one",
# and in a small place that alone pins hidden counts between totals
# (portal/commissioning/disclosure.py).
HIDE_ZEROS = True

# Suppressing the linked cubes is the slow part of the dashboard (seconds, against
# milliseconds to reuse one: benchmarks/aggregate.py): the last few are kept in the app's
# store (portal/core/cache.py), each under the stamps of the periods it was built from
# (portal/commissioning/rollups.py gives a period a new stamp whenever one of its cells
# moves) and the areas it covered. A kept cube is reused only while those are unchanged, so
# a changed rating is never hidden behind an old result; it only costs one more build.
MOST_CUBES = 12


def cubes():
    """This app's store of suppressed cubes (themes.py keeps its cubes here too)."""
    return app_store("cubes", MOST_CUBES)


def year_periods(period: str) -> tuple[str, ...]:
    """The periods linked with this one: its year's four quarters, then the year."""
    year = period[:4]
    return (*(f"{year}-Q{q}" for q in range(1, 5)), year)


def family(respondent: str) -> str:
    """Respondents linked with this one: the person alone, or every proxy view together
    ("anyone in their circle" and each relationship and perspective)."""
    return aggregate.SELF if respondent == aggregate.SELF else aggregate.PROXY


def _stamps(periods_of: tuple[str, ...]) -> tuple:
    found = dict(db.session.execute(select(RollupStamp.period, RollupStamp.stamp)
                                    .where(RollupStamp.period.in_(periods_of))).all())
    return tuple(found.get(p) for p in periods_of)


def linked_dims(periods_present, respondents_present, area_dim, present):
    """The dimensions of a linked cube and the same without the totals counted on their
    own (years, "anyone in their circle"): see disclosure.protect's margin_dims."""
    quarters = tuple(p for p in periods_present if aggregate.is_quarter(p))
    years = tuple(p for p in periods_present if not aggregate.is_quarter(p))
    period = Dimension("period", quarters, tuple((y, quarters) for y in years))
    parts = tuple(r for r in respondents_present if r.startswith(aggregate.PROXY + ":"))
    tops = tuple(r for r in respondents_present if not r.startswith(aggregate.PROXY + ":"))
    respondent = Dimension("respondent", tuple(r for r in tops if r != aggregate.PROXY) + parts,
                           ((aggregate.PROXY, parts),) if aggregate.PROXY in tops else ())
    rest = (area_dim, flat("source", present[0], total=len(present[0]) > 1),
            flat("age", present[1], total=len(present[1]) > 1))
    dims = (period, respondent, *rest)
    sums = (Dimension("period", period.labels), Dimension("respondent", respondent.labels),
            *rest)
    return dims, sums


def _linked(period: str, respondent: str, threshold: int):
    """The suppressed cube of a year, its quarters and one respondent family, every area,
    source, age band, statement and point: one cube, so no table of one period or
    respondent can be set against another to work out a hidden number."""
    area_dim, code_of = _area_dimension()
    linked_periods = year_periods(period)
    kind = family(respondent)
    key = ("scores", linked_periods[-1], kind, threshold)
    inputs = (_stamps(linked_periods), area_dim)
    built = cubes().get(key, inputs)
    if built is not None:
        return built
    r = RatingRollup
    which = (r.respondent == aggregate.SELF if kind == aggregate.SELF else
             r.respondent.between(aggregate.PROXY, aggregate.PROXY + ";"))
    rows = db.session.connection().execute(
        select(r.period, r.respondent, r.local_authority_id, r.source, r.age_band,
               r.statement_key, r.point_key, r.people, r.score_milli)
        .where(r.period.in_(linked_periods), which, r.people > 0)).all()
    people, scores = {}, {}
    for when, who, la, source, age, statement, point, count, score in rows:
        if la not in code_of:
            continue
        cell = (when, who, code_of[la], source, age, statement, point)
        people[cell] = int(count)
        scores[cell] = int(score)
    present = [sorted({c[i] for c in people}) for i in range(7)]
    aliases = {(i - 2, ALL): present[i][0] for i in (3, 4) if len(present[i]) == 1}
    dims, sums = linked_dims(
        [p for p in linked_periods if p in present[0]],
        sorted(present[1], key=lambda x: (x != aggregate.PROXY, x)), area_dim, present[3:5])
    tail = (flat("statement", present[5], total=False), flat("point", present[6]))
    dims, sums = (*dims, *tail), (*sums, *tail)
    # Means need summed scores only for every point together: summing the points first
    # makes that cube a quarter of the size.
    by_statement: dict = {}
    for cell, score in scores.items():
        total = (*cell[:6], ALL)
        by_statement[total] = by_statement.get(total, 0) + score
    score_dims = (*sums[:6], Dimension("point", (ALL,)))
    public, forced = None, ()
    if kind == aggregate.SELF and aggregate.EVENT in dims[3].labels:
        age_all = ALL if ALL in dims[4].labels else dims[4].leaves[0]
        rough = event_links.links(
            event_links.rough(event_links.rating_counts(linked_periods[:4], code_of)),
            area_dim, linked_periods[-1], totals_last=True)

        def place(cell, age_all=age_all):
            when, area, statement, point = cell
            return (when, aggregate.SELF, area, aggregate.EVENT, age_all, statement, point)

        public = event_links.public_rule(3, 4, age_all, rough, place)
        forced = [place(cell) for cell in rough]
    built = (protect(people, dims, threshold, margin_dims=sums, public=public, forced=forced,
                     hide_zeros=HIDE_ZEROS),
             margins(by_statement, score_dims), dims, aliases)
    cubes().put(key, inputs, built)
    return built


def cube(period: str, respondent: str, threshold: int) -> Cube:
    protected, scores, dims, aliases = _linked(period, respondent, threshold)
    return Cube(protected, scores, dims[2:], aliases, (period, respondent))


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
        """Anyone counted here, shown or hidden ("Hidden" is a result, not "no results")."""
        return any(row.n != 0 for row in self.rows)


def view(c: Cube, words: Content, area: str, source: str, age: str) -> View:
    """One table's rows. A mean is shown only where its people are shown and its shown
    points add up to them (any hidden point is then 0): then it adds nothing an outsider
    could not work out from the counts, and so cannot be set against them to solve for a
    hidden one (a mean is a second equation). A
    well-being area's mean pools only the statements whose means are shown."""
    result = View()
    pooled: dict[str, list[int]] = {}
    for statement in words.statements:
        total = c.cell(area, source, age, statement.key, ALL)
        n = c.protected.count(total)
        counts = [c.protected.count(c.cell(area, source, age, statement.key, p))
                  for p in statement.points]
        mean = None
        if n and n == sum(v or 0 for v in counts):
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
