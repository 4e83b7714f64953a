"""An outsider with every export (issue 16): seed a data set with small groups everywhere,
collect every number a commissioner can download for it (every filter choice: period,
respondent, area, source, age band) and every event report, and solve them as one system.

The system, per statement (ratings) and per purpose and theme (themes): one unknown for
each hidden count, every published count a constant, and the equalities an outsider can
write down. In this data set parts cannot overlap, so they are equalities:
  a region is the sum of its councils; all sources and all ages are the sums of theirs;
  a row's people are the sum of its points; a year is the sum of its quarters (each
  person answers once a year); "anyone in their circle" is the sum of the relationships
  (each person has one circle member); a listening event's cells for all ages are the sum
  of the events' reports; a report's "chosen most" is the sum of its questions' counts.
A published mean adds its row's score: sum(points x scores) = mean x people, to rounding.
Yes/no questions (portal/domain/yes_no.py) add what an outsider can only bound: a card
chosen with Yes counts as what helps, with No as what gets in the way, with "Not sure" as
neither, but a report gives the question's cards and its points apart. So the council's
event count of a theme lies between its parts and their sum, a report's yes/no card is
split among the points (unknowns, "split"), each part at most its point's people; a
report's points add up to the people who answered (see _yes_no_reports); a card is chosen
by at most the people who answered, and they are at most the people who joined.
What an outsider knows of a hidden count: at least 1 where zeros are published as 0 (the
old method), at least 0 where zeros are hidden too (the new). Of a count an event report
leaves out: 0, 1 or 2 where each count stands alone against 3 (the old method); at least
0 where a count of 3 or more is left out too when it would give a small one away (the
new). Counts of event participants alone are held to the reports' threshold of 3, as the
reports publish them from 3 (see events_only).

Then, by linear programming over non-negative values (HiGHS), for each hidden
count of 1 to 9 people (1 or 2, for event participants alone): its largest possible
value, and if that is under the threshold, its smallest; a smallest above 0 has pinned it.
And for each published total, the sum of its hidden parts (fixed by the equality) must be
0 or at least the threshold.
A linear programme is a relaxation: it can only find fewer leaks than an integer solver,
never more, and a bound it finds holds for the integers too.
"""

from __future__ import annotations

import hashlib
import itertools
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import highspy
import numpy as np
from sqlalchemy import select

from portal.commissioning import aggregate
from portal.commissioning.disclosure import ALL
from portal.core.extensions import db
from portal.domain.yes_no import NO, NOT_SURE, YES
from portal.models import (
    AgeBand,
    Answer,
    AnswerStatus,
    AnswerTheme,
    CircleMember,
    ContentItem,
    Conversation,
    Event,
    EventParticipant,
    LocalAuthority,
    Person,
    Perspective,
    Rating,
    RatingSession,
    RatingStatus,
    Region,
    Relationship,
    Role,
    ThemeSource,
    User,
)

YEAR = 2025
QUARTERS = tuple(f"{YEAR}-Q{q}" for q in range(1, 5))
PERIODS = (*QUARTERS, str(YEAR))
REGIONS = ("cardiff-and-vale", "west-glamorgan")
SCORES = {"always": 100.0, "mostly": 200 / 3, "sometimes": 100 / 3, "not-true": 0.0}
STATEMENTS = 2  # the first few statements that are not about safety
PURPOSES = aggregate.THEME_PURPOSES
YES_NO = (YES, NOT_SURE, NO)
# Where a yes/no answer's cards are counted (portal/domain/yes_no.py): "Not sure" nowhere.
COUNTED_AS = {YES: "helps", NO: "barriers"}
POINT_COUNTED_AS = {purpose: point for point, purpose in COUNTED_AS.items()}
# Event report cells an outsider reads (each event's own): a point of a statement, a card
# of a question, a point of a yes/no question, the people who answered a question.
REPORT_CELLS = ("report", "report-card", "report-point", "report-people")


# --- The data set ----------------------------------------------------------------------


def _day(rng, quarter: int) -> datetime:
    return datetime(YEAR, 3 * quarter + 1, 1) + timedelta(days=rng.randrange(0, 85))


def _questions():
    """One What Matters question for each purpose the dashboard counts, with its cards,
    then the question that asks yes or no (its cards counted by the point chosen)."""
    found, yes_no = {}, []
    for q in db.session.scalars(select(ContentItem).where(ContentItem.kind == "question",
                                                          ContentItem.is_current)
                                .order_by(ContentItem.key)):
        data = q.data or {}
        purpose = data.get("purpose")
        if data.get("conversation") != "what-matters" or purpose not in PURPOSES \
                or not data.get("cards"):
            continue
        if data.get("scale"):
            yes_no.append(q)
        elif purpose not in found:
            found[purpose] = q
    assert yes_no, "the data set must have a yes/no question to attack"
    return [*found.values(), *yes_no]


def _conversation(rng, person_id, when, source):
    conversation = Conversation(person_id=person_id, conversation_key="what-matters",
                                source=source, language="en", share_words=False,
                                started_at=when, finished_at=when)
    for question in _questions():
        cards = question.data["cards"][:4]
        answer = Answer(question_key=question.key.removeprefix("question."),
                        question_item_id=question.id, status=AnswerStatus.ANSWERED)
        chosen = sorted(set(rng.choices(cards, weights=[6, 3, 1, 1], k=rng.randrange(1, 3))))
        answer.themes = [AnswerTheme(theme_key=key, source=ThemeSource.CARD) for key in chosen]
        if question.data.get("scale"):  # Yes mostly; always a point (see _yes_no_reports)
            answer.scale_point = rng.choices(YES_NO, weights=[5, 2, 3])[0]
        conversation.answers.append(answer)
    return conversation


def statements():
    items = [s for s in db.session.scalars(select(ContentItem).where(
        ContentItem.kind == "statement", ContentItem.is_current).order_by(ContentItem.key))
        if not s.data.get("safety")]
    return items[:STATEMENTS]


def _rate(session, rng, items, scale, points, lean):
    for statement in items:
        key = rng.choices(list(SCORES), weights=[lean, 1, 1, 1 - lean])[0]
        session.ratings.append(Rating(
            statement_key=statement.key.split(".", 1)[1], statement_item_id=statement.id,
            scale_item_id=scale.id, point_item_id=points[key].id, status=RatingStatus.RATED,
            score=SCORES[key]))


def seed_small_groups(seed: int = 16) -> None:
    """Four councils of very different sizes in two regions, one year, each person
    answering in one quarter (the last quarters rare), half with one circle member (an
    advocate rarely), themes from one question per purpose, and three listening events
    (two in one council in the same quarter) with two age bands."""
    rng = random.Random(seed)  # noqa: S311 - made-up test data
    items = statements()
    scale = db.session.scalar(select(ContentItem).where(ContentItem.key == "scale.how-true",
                                                        ContentItem.is_current))
    points = {k: db.session.scalar(select(ContentItem).where(
        ContentItem.key == f"scale_point.how-true.{k}", ContentItem.is_current))
        for k in SCORES}
    helper = User(username="attack-helper", role=Role.SUPPORTER, display_name="Helper")
    helper.set_password("attack-password")
    db.session.add(helper)
    db.session.flush()
    las = []
    for code in REGIONS:
        region = db.session.scalar(select(Region).where(Region.code == code))
        las += sorted(region.local_authorities, key=lambda la: la.code)
    sizes = dict(zip([la.id for la in las], (44, 23, 17, 9), strict=False))
    for la in las:
        for _i in range(sizes.get(la.id, 0)):
            person = Person(display_name="Attack person", local_authority_id=la.id)
            db.session.add(person)
            db.session.flush()
            quarter = rng.choices(range(4), weights=[5, 4, 2, 1])[0]
            when = _day(rng, quarter)
            lean = rng.random()
            session = RatingSession(person_id=person.id, language="en",
                                    perspective=Perspective.SELF, finished_at=when)
            _rate(session, rng, items, scale, points, lean)
            db.session.add(session)
            if rng.random() < 0.5:
                relation = Relationship.ADVOCATE if rng.random() < 0.2 else Relationship.FAMILY
                db.session.add(CircleMember(person_id=person.id, user_id=helper.id,
                                            relation=relation))
                proxy = RatingSession(person_id=person.id, language="en",
                                      perspective=Perspective.PROXY_OWN_VIEW,
                                      rated_by_user_id=helper.id, finished_at=when)
                _rate(proxy, rng, items, scale, points, lean)
                db.session.add(proxy)
            if rng.random() < 0.6:
                db.session.add(_conversation(rng, person.id, when, "review"))
            db.session.flush()
    for index, (la, quarter, size) in enumerate(((las[0], 1, 9), (las[0], 1, 6),
                                                 (las[2], 2, 8))):
        day = _day(rng, quarter)
        event = Event(facilitator_id=helper.id, title_en=f"Attack event {index}",
                      title_cy=f"Digwyddiad {index}", event_date=day.date(), venue="Hall",
                      local_authority_id=la.id, conversation_key="what-matters",
                      use_ratings=True, join_code=f"ATTACK{index}", closed_at=day)
        db.session.add(event)
        for i in range(size):
            conversation = _conversation(rng, None, day, "event")
            db.session.add(conversation)
            db.session.flush()
            participant = EventParticipant(
                token_hash=hashlib.sha256(f"attack-{index}-{i}".encode()).hexdigest(),
                language="en", age_band=rng.choice([AgeBand.AGE_16_24, AgeBand.AGE_65_UP]),
                conversation_id=conversation.id, finished_at=day)
            event.participants.append(participant)
            db.session.flush()
            session = RatingSession(participant_id=participant.id, language="en",
                                    finished_at=day)
            _rate(session, rng, items, scale, points, rng.random())
            db.session.add(session)
        db.session.flush()
    db.session.commit()


# --- What is published --------------------------------------------------------------------


@dataclass
class Published:
    """Every number published: cell -> value (None: hidden), and the means."""

    cells: dict = field(default_factory=dict)
    means: list = field(default_factory=list)  # (row cells by point, n cell, mean)
    # Event report cells: cell -> value, or None when left out (0, 1 or 2).
    report: dict = field(default_factory=dict)
    report_totals: list = field(default_factory=list)  # (total cell, member cells)
    labels: dict = field(default_factory=dict)
    hides_zeros: bool = False  # else "Hidden" means at least 1
    # Does an event report leave out counts of 3 or more too (so no one left out can be
    # worked out)? Else a count left out is 0, 1 or 2.
    reports_hide_more: bool = False


@dataclass
class Method:
    """The functions the commissioner's pages and exports call, new or old."""

    cube: object
    view: object
    theme_cube: object
    theme_view: object
    build_report: object
    hides_zeros: bool
    reports_hide_more: bool  # see Published


def new_method() -> Method:
    from portal.commissioning.data import cube, view
    from portal.commissioning.themes import theme_cube, theme_view
    from portal.events.report import build_report

    return Method(cube, view, theme_cube, theme_view, build_report, True, True)


def legacy_method() -> Method:
    from tests.legacy_disclosure import build_report, cube, theme_cube, theme_view, view

    return Method(cube, view, theme_cube, theme_view, build_report, False, False)


def collect(method: Method, threshold: int = 10) -> Published:
    from portal.commissioning.data import content, periods, respondents

    words = content()
    keys = {s.key.split(".", 1)[1] for s in statements()}
    words.statements = [s for s in words.statements if s.key in keys]
    out = Published(hides_zeros=method.hides_zeros, reports_hide_more=method.reports_hide_more)
    areas = []
    for code in REGIONS:
        region = db.session.scalar(select(Region).where(Region.code == code))
        las = [f"la:{la.code}" for la in sorted(region.local_authorities, key=lambda x: x.code)]
        out.labels.setdefault("regions", {})[f"region:{code}"] = las
        areas += [f"region:{code}", *las]
    out.labels["areas"] = areas
    sources = (ALL, *aggregate.SOURCES)
    ages = (ALL, *aggregate.AGE_BANDS)
    known = periods()
    out.labels["respondents"] = sorted({r for p in known for r in respondents(p)})
    for period in PERIODS:
        if period not in known:
            continue
        offered = respondents(period)
        for respondent in offered:
            c = method.cube(period, respondent, threshold)
            for area, source, age in itertools.product(areas, sources, ages):
                shown = method.view(c, words, area, source, age)
                for row in shown.rows:
                    base = (period, respondent, area, source, age, row.statement.key)
                    cells = [(*base, p.split(".")[-1]) for p in row.statement.points]
                    for cell, value in zip(cells, row.counts, strict=True):
                        out.cells[cell] = value
                    out.cells[(*base, ALL)] = row.n
                    if row.mean is not None:
                        out.means.append((cells, (*base, ALL), row.mean))
        t = method.theme_cube(period, threshold)
        for area, source, age in itertools.product(areas, sources, ages):
            found = method.theme_view(t, area, source, age)
            themes = {theme for rows in found.by_purpose.values() for theme in
                      (r.key for r in rows)} | set(t.dims[4].leaves)
            for purpose in PURPOSES:
                shown = {r.key: r.people for r in found.by_purpose.get(purpose, [])}
                for theme in themes:
                    out.cells[("theme", period, area, source, age, purpose, theme)] = \
                        shown.get(theme, 0)
    _collect_reports(method, out)
    return out


def _collect_reports(method: Method, out: Published) -> None:
    purposes = {q.key.removeprefix("question."): q.data.get("purpose")
                for q in db.session.scalars(select(ContentItem).where(
                    ContentItem.kind == "question"))}
    current = {q.key.removeprefix("question."): q.data or {}
               for q in db.session.scalars(select(ContentItem).where(
                   ContentItem.kind == "question", ContentItem.is_current))}
    cards_of = {key: data.get("cards") or [] for key, data in current.items()}
    yes_no = {key for key, data in current.items() if data.get("scale")}
    events = []
    for event in db.session.scalars(select(Event).order_by(Event.id)):
        report = method.build_report(event)
        la = db.session.get(LocalAuthority, event.local_authority_id)
        quarter = aggregate.quarter(datetime.combine(event.event_date, datetime.min.time()))
        events.append((event.id, f"la:{la.code}", quarter))
        for choice in report.statements:
            key = choice.item.key.split(".", 1)[1]
            shown = {p.key.split(".")[-1]: n for p, n in choice.points if p is not None}
            for point in SCORES:
                out.report[("report", event.id, key, point)] = shown.get(point)
        out.report[("report-joined", event.id)] = report.joined
        for question in report.questions:
            qkey = question.item.key.removeprefix("question.")
            if purposes.get(qkey) not in PURPOSES:
                continue
            out.report[("report-people", event.id, qkey)] = question.people
            shown = {item.key.removeprefix("theme."): n for item, n in question.cards}
            for theme in cards_of.get(qkey, []):
                out.report[("report-card", event.id, qkey, theme)] = shown.get(theme)
            if qkey in yes_no:
                choice = question.choice  # None: the method publishes no points
                if choice is not None:
                    shown = {p.key.split(".")[-1]: n for p, n in choice.points}
                    for point in YES_NO:
                        out.report[("report-point", event.id, qkey, point)] = shown.get(point)
        members = defaultdict(list)
        for cell in out.report:
            if cell[0] == "report-card" and cell[1] == event.id:
                members[cell[3]].append(cell)
        for item, n in report.themes:
            theme = item.key.removeprefix("theme.")
            out.report_totals.append((n, members[theme]))
    out.labels["events"] = events
    out.labels["purposes"] = purposes
    out.labels["yes_no"] = yes_no


# --- The system ---------------------------------------------------------------------------


@dataclass
class Finding:
    what: str
    cell: tuple
    low: float
    high: float
    truth: int | None = None


class System:
    """Linear constraints over unknowns named by cells."""

    def __init__(self):
        self.index: dict = {}
        self.bounds: list = []
        self.eq: list = []  # ({var: coef}, const)
        self.ub: list = []  # ({var: coef}, const): sum <= const
        self.sums: list = []  # (fixed hidden sum, members, threshold, what)
        self.broken: list = []  # equalities the published numbers break (none, we check)

    def var(self, cell, low, high):
        if cell not in self.index:
            self.index[cell] = len(self.bounds)
            self.bounds.append((low, high))
        return self.index[cell]


def build(pub: Published, threshold: int = 10, event_threshold: int = 3) -> System:
    system = System()

    def term(cell):
        """(var or None, constant) for a cell."""
        if cell[0] == "split":  # never published: only the outsider's unknown
            return system.var(cell, 0, None), 0
        if structural_zero(cell):
            return None, 0
        if cell in pub.cells:
            value = pub.cells[cell]
            if value is None:
                # Zeros are published, so hidden means at least one, except where the
                # dashboard hides zeros too: counts of event participants alone.
                return system.var(cell, 0 if pub.hides_zeros else 1, None), 0
            return None, value
        if cell in pub.report:
            value = pub.report[cell]
            if value is None:
                return system.var(cell, 0, None if pub.reports_hide_more
                                  else event_threshold - 1), 0
            return None, value
        return None, 0  # never offered: nobody

    def difference(plus, minus):
        """sum(plus) - sum(minus) as ({var: coef}, published constant, hidden cells of plus)."""
        coefs: dict = defaultdict(float)
        const = 0.0
        hidden = []
        for cells, sign in ((plus, 1), (minus, -1)):
            for cell in cells:
                var, value = term(cell)
                if var is None:
                    const += sign * value
                else:
                    coefs[var] += sign
                    if sign > 0:
                        hidden.append(cell)
        return {v: c for v, c in coefs.items() if c}, const, hidden

    def line(total, members, small=threshold, what="line", published_parts=True):
        """sum(members) = total."""
        coefs, const, hidden = difference(members, [total])
        if not coefs:
            if abs(const) > 1e-9:
                system.broken.append((what, total))
            return
        system.eq.append((coefs, -const))
        if term(total)[0] is None and hidden and published_parts:
            system.sums.append((-const, hidden, small, what, total))

    def at_most(smaller, larger, what="at most"):
        """sum(smaller) <= sum(larger), as an outsider knows without knowing how much."""
        coefs, const, _hidden = difference(smaller, larger)
        if not coefs:
            if const > 1e-9:
                system.broken.append((what, smaller[0]))
            return
        system.ub.append((coefs, -const))

    labels = pub.labels
    respondents = labels["respondents"]
    parts = [r for r in respondents if r.startswith(aggregate.PROXY + ":")]
    rating_cells = [c for c in pub.cells if c[0] != "theme"]
    statements_ = sorted({c[5] for c in rating_cells})
    areas = labels["areas"]
    regions = labels["regions"]
    sources, ages = (ALL, *aggregate.SOURCES), (ALL, *aggregate.AGE_BANDS)
    points = (*SCORES, ALL)
    for period, resp, area, source, age, stmt, point in itertools.product(
            PERIODS, respondents, areas, sources, ages, statements_, points):
        cell = (period, resp, area, source, age, stmt, point)

        def at(i, label, cell=cell):
            return (*cell[:i], label, *cell[i + 1:])

        if period == str(YEAR):
            line(cell, [at(0, q) for q in QUARTERS], what="year = its quarters")
        if resp == aggregate.PROXY:
            line(cell, [at(1, r) for r in parts], what="circle = its relationships")
        if area in regions:
            line(cell, [at(2, la) for la in regions[area]], what="region = its councils")
        if source == ALL:
            line(cell, [at(3, s) for s in aggregate.SOURCES], what="all sources")
        if age == ALL:
            line(cell, [at(4, a) for a in aggregate.AGE_BANDS], what="all ages")
        if point == ALL:
            line(cell, [at(6, p) for p in SCORES], what="people = points")
    for cells, n_cell, mean in pub.means:
        # sum(points x scores) - mean x n lies within 0.05 x n (one decimal place shown).
        coefs: dict = defaultdict(float)
        const = 0.0
        for cell in (*cells, n_cell):
            var, value = term(cell)
            weight = -mean if cell is n_cell else SCORES[cell[-1]]
            if var is None:
                const += weight * value
            else:
                coefs[var] += weight
        if coefs:
            slack = 0.05 * pub.cells[n_cell]
            system.ub.append((dict(coefs), slack - const))
            system.ub.append(({k: -v for k, v in coefs.items()}, slack + const))
    theme_cells = [c for c in pub.cells if c[0] == "theme"]
    themes = sorted({c[6] for c in theme_cells})
    for period, area, source, age, purpose, theme in itertools.product(
            PERIODS, areas, sources, ages, PURPOSES, themes):
        cell = ("theme", period, area, source, age, purpose, theme)

        def at(i, label, cell=cell):
            return (*cell[:i], label, *cell[i + 1:])

        if period == str(YEAR):
            line(cell, [at(1, q) for q in QUARTERS], what="year = its quarters")
        if area in regions:
            line(cell, [at(2, la) for la in regions[area]], what="region = its councils")
        if source == ALL:
            line(cell, [at(3, s) for s in aggregate.SOURCES], what="all sources")
        if age == ALL:
            line(cell, [at(4, a) for a in aggregate.AGE_BANDS], what="all ages")
    # Event reports: a council's event cells (all ages) are the sum of its events' reports.
    by_place = defaultdict(list)
    for event_id, la, quarter in labels["events"]:
        by_place[(la, quarter)].append(event_id)
    for (la, quarter), ids in by_place.items():
        for stmt, point in itertools.product(statements_, SCORES):
            line((quarter, aggregate.SELF, la, aggregate.EVENT, ALL, stmt, point),
                 [("report", e, stmt, point) for e in ids], what="council events = reports")
        yes_no = sorted(labels["yes_no"])
        for purpose, theme in itertools.product(PURPOSES, themes):
            qkeys = [q for q, p in labels["purposes"].items()
                     if p == purpose and q not in yes_no]
            members = [c for c in pub.report if c[0] == "report-card" and c[1] in ids
                       and c[2] in qkeys and c[3] == theme]
            council = ("theme", quarter, la, aggregate.EVENT, ALL, purpose, theme)
            point = POINT_COUNTED_AS.get(purpose)
            counted = [("split", e, q, theme, point) for e in ids for q in yes_no
                       if point and ("report-card", e, q, theme) in pub.report]
            if not counted:
                line(council, members, what="council event themes = reports")
                continue
            # A participant who chose the card on both questions is one person: the
            # council's count is at least each part and at most both together.
            at_most(members, [council], what="council event themes >= reports")
            at_most(counted, [council], what="council event themes >= yes/no cards")
            at_most([council], members + counted, what="council event themes <= reports")
        for e in ids:
            _yes_no_reports(pub, e, yes_no, line, at_most)
    for n, members in pub.report_totals:
        pub.report[("report-total", id(members))] = n
        line(("report-total", id(members)), members, small=event_threshold,
             what="report: chosen most = its questions")
    return system


def _yes_no_reports(pub: Published, event: int, yes_no, line, at_most) -> None:
    """What one event's report says of its questions: a card is chosen by at most the
    people who answered its question, and they are at most the people who joined. A yes/no
    question's card is chosen with one point or another (the parts, "split", are the
    outsider's unknowns), by at most the people at that point.

    A yes/no answer may have cards or words and no point, so an outsider cannot know that
    the points add up to the people who answered. Here every answer has one, and the
    outsider is given that they add up: the strongest case, which the report's rule
    (portal/events/report.py: _yes_no) is built for."""
    joined = ("report-joined", event)
    for cell in [c for c in pub.report if c[0] == "report-people" and c[1] == event]:
        at_most([cell], [joined], what="answered <= joined")
        cards = [c for c in pub.report if c[0] == "report-card" and c[1:3] == cell[1:3]]
        for card in cards:
            at_most([card], [cell], what="card <= answered")
        qkey = cell[2]
        if qkey not in yes_no:
            continue
        points = [("report-point", event, qkey, p) for p in YES_NO]
        published = all(p in pub.report for p in points)
        if published:
            line(cell, points, what="answered = its points")
        for card in cards:
            parts = [("split", event, qkey, card[3], p) for p in YES_NO]
            line(card, parts, what="yes/no card = its points' parts", published_parts=False)
            if published:
                for part, point in zip(parts, points, strict=True):
                    at_most([part], [point], what="card at a point <= the point")


def feasible(system: System) -> bool:
    """Do the published numbers satisfy every equation and inequality at once?"""
    if not system.bounds:
        return True
    members = list(range(len(system.bounds)))
    lp = _program(members, {v: v for v in members}, system.bounds, system.eq, system.ub)
    lp.run()
    return lp.getModelStatus() == highspy.HighsModelStatus.kOptimal


def structural_zero(cell) -> bool:
    """Cells nobody can be in, as anyone can tell from how the portal counts: reviews have
    no age band, and listening events have no proxy views."""
    if cell[0].startswith("report"):
        return False
    if cell[0] == "theme":
        source, age, respondent = cell[3], cell[4], aggregate.SELF
    else:
        respondent, source, age = cell[1], cell[3], cell[4]
    if source == aggregate.REVIEW and age not in (ALL, aggregate.UNKNOWN_AGE):
        return True
    return respondent != aggregate.SELF and (source == aggregate.EVENT
                                             or age not in (ALL, aggregate.UNKNOWN_AGE))


def events_only(cell, truth) -> bool:
    """A count of listening-event participants alone (nobody from a review in it). The
    event reports publish such counts from 3, event by event, so an outsider can always
    bound these as far as the reports go: for them the rule is the reports' (1 or 2 must
    not be pinned). A count with anyone from a review in it keeps the threshold of 10."""
    if cell[0].startswith("report") or cell[0] == "split":
        return True
    i = 4 if cell[0] == "theme" else 3
    if cell[i] == aggregate.EVENT:
        return True
    if cell[i] != ALL:
        return False
    return truth.get((*cell[:i], aggregate.REVIEW, *cell[i + 1:]), 0) == 0


def _program(members, local, bounds, eq, ub):
    """One linear programme for a connected part of the system (HiGHS, kept between the
    objectives so each later solve starts from the last basis)."""
    lp = highspy.Highs()
    lp.setOptionValue("output_flag", False)
    inf = highspy.kHighsInf
    for v in members:
        low, high = bounds[v]
        lp.addVar(low, inf if high is None else high)
    for rows, equal in ((eq, True), (ub, False)):
        for coefs, const in rows:
            index = np.array([local[v] for v in coefs], dtype=np.int32)
            value = np.array(list(coefs.values()), dtype=np.float64)
            lp.addRow(const if equal else -inf, const, len(index), index, value)
    return lp


def attack(pub: Published, truth: dict, threshold: int = 10,
           event_threshold: int = 3) -> list[Finding]:
    """Every hidden count (and hidden sum of a published total) the outsider pins."""
    system = build(pub, threshold, event_threshold)
    findings = []
    for fixed, members, small, what, total in system.sums:
        if all(events_only(m, truth) for m in members):
            small = min(small, event_threshold)
        if 0 < fixed < small - 1e-9:
            findings.append(Finding(f"hidden parts of a published total ({what})", total,
                                    fixed, fixed))
    cells = {v: c for c, v in system.index.items()}
    # Connected parts of the system, so each linear programme stays small.
    parent = list(range(len(system.bounds)))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for coefs, _const in (*system.eq, *system.ub):
        first, *rest = coefs
        for other in rest:
            parent[find(other)] = find(first)
    groups = defaultdict(list)
    for v in range(len(system.bounds)):
        groups[find(v)].append(v)
    rows_of = defaultdict(lambda: ([], []))
    for kind, rows in ((0, system.eq), (1, system.ub)):
        for coefs, const in rows:
            rows_of[find(next(iter(coefs)))][kind].append((coefs, const))
    for root, members in groups.items():
        targets = []
        for v in members:
            cell = cells[v]
            true = truth.get(cell, 0)
            if 1 <= true < (event_threshold if events_only(cell, truth) else threshold):
                targets.append((v, -1))  # maximise: can it be threshold or more?
        if not targets:
            continue
        local = {v: i for i, v in enumerate(members)}
        eq, ub = rows_of[root]
        lp = _program(members, local, system.bounds, eq, ub)
        previous = None
        high: dict = {}
        for v, sign in targets:  # (grows as it goes: a low maximum asks for the minimum)
            if previous is not None:
                lp.changeColCost(previous, 0.0)
            previous = local[v]
            lp.changeColCost(previous, float(sign))
            lp.run()
            status = lp.getModelStatus()
            if status == highspy.HighsModelStatus.kUnbounded:
                continue  # no upper bound at all: not pinned
            assert status == highspy.HighsModelStatus.kOptimal, lp.modelStatusToString(status)
            value = sign * lp.getInfo().objective_function_value
            cell = cells[v]
            if sign > 0 and cell[0] not in REPORT_CELLS:
                if value > 0.5:  # it cannot be 0 either: pinned
                    findings.append(Finding("hidden count", cell, value, high.pop(v),
                                            truth.get(cell)))
                continue
            if sign > 0 and value > 0.5:
                findings.append(Finding("event report count left out", cell, value, 2,
                                        truth.get(cell)))
            if sign < 0 and value < (event_threshold if events_only(cell, truth)
                                     else threshold) - 1e-6:
                if system.bounds[v][0] >= 1:
                    findings.append(Finding("hidden count", cell, 1, value, truth.get(cell)))
                else:
                    high[v] = value  # under the threshold: may it be 0?
                    targets.append((v, +1))
    return findings


def uncensored() -> Published:
    """Everything published with nothing hidden: threshold 1, and event reports that
    leave nothing out."""
    import portal.events.report as report_module
    from portal.commissioning import data, event_links, themes

    saved = report_module.shown_count, event_links.rough
    try:
        report_module.shown_count = lambda n, small=1: n if n >= 1 else None
        report_module.SMALL_NUMBER = 1
        event_links.rough = lambda leaves: set()
        data.HIDE_ZEROS = themes.HIDE_ZEROS = False
        pub = collect(new_method(), threshold=1)
        pub.report = {cell: value or 0 for cell, value in pub.report.items()}
        return pub
    finally:
        report_module.shown_count, event_links.rough = saved
        report_module.SMALL_NUMBER = 3
        data.HIDE_ZEROS = themes.HIDE_ZEROS = True
        data.cubes().clear()


def truth() -> dict:
    """The true value of every cell, to check the system and to pick the cells to attack."""
    pub = uncensored()
    assert None not in pub.cells.values()
    values = dict(pub.cells)
    values.update({cell: value or 0 for cell, value in pub.report.items()})
    return values
