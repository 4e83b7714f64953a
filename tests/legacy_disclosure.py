"""The disclosure method as it was before issue 16, kept so the attacker in
tests/test_disclosure_attack.py can be run against it and show that it fails there:

    PORTAL_ATTACK_LEGACY=1 .venv/bin/python -m pytest tests/test_disclosure_attack.py
    .venv/bin/python -m pytest tests/test_disclosure_attack.py -k legacy

Each (period, respondent) cube was suppressed on its own, a mean was published whenever
its row's people count was, and event reports had no secondary suppression. Not used by
the portal.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping

from sqlalchemy import select

from portal.commissioning import aggregate
from portal.commissioning.data import Content, Cube, DomainRow, Row, View, _area_dimension
from portal.commissioning.disclosure import (
    ALL,
    DEFAULT_THRESHOLD,
    Dimension,
    Grid,
    Protected,
    flat,
    margins,
)
from portal.commissioning.themes import ThemeRow, ThemeView, theme_facts, theme_words
from portal.core.extensions import db
from portal.models import RatingRollup

# Cubes built in this process (the attacker reads one unchanging data set).
_MEMO: dict = {}


def _fix_line(members, total, values, hidden, threshold):
    """Hide one more cell of this line if it needs it; return that cell (or None)."""
    shown_total = total not in hidden
    hidden_members = [c for c in members if c in hidden]
    hidden_count = len(hidden_members) + (0 if shown_total else 1)
    if hidden_count == 0:
        return None
    hidden_sum = sum(values.get(c, 0) for c in hidden_members)
    recoverable = hidden_count == 1 and (hidden_sum or (not shown_total and values.get(total)))
    too_small = shown_total and 0 < hidden_sum < threshold
    if not (recoverable or too_small):
        return None
    candidates = sorted((values.get(c, 0), c) for c in members
                        if c not in hidden and values.get(c, 0) > 0)
    if candidates:
        hidden.add(candidates[0][1])
        return candidates[0][1]
    if shown_total:
        hidden.add(total)
        return total
    return None


def protect(fine: Mapping[tuple[str, ...], int], dims: tuple[Dimension, ...],
            threshold: int = DEFAULT_THRESHOLD) -> Protected:
    """Suppress the whole cube built from the leaf counts `fine`."""
    if threshold < 1:
        raise ValueError("the threshold must be at least 1")
    grid = Grid(dims)
    values = grid.margins(fine)
    hidden = {code for code, count in values.items() if 0 < count < threshold}
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
        while (added := _fix_line(members, total, values, hidden, threshold)) is not None:
            push(added)
    return Protected(grid, values, hidden, threshold)


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
    built = _MEMO.get(("scores", period, respondent, threshold))
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
        _MEMO[("scores", period, respondent, threshold)] = built
    return built



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


def theme_cube(period: str, threshold: int) -> Cube:
    """The suppressed people counts of one period: area x source x age x purpose x theme.
    Purposes and themes have no totals (one person can name many themes)."""
    area_dim, code_of = _area_dimension()
    people = {}
    for (la, source, age, purpose, theme), count in aggregate.theme_people(
            theme_facts(period)).items():
        if la in code_of:
            people[(code_of[la], source, age, purpose, theme)] = count
    present = [sorted({c[i] for c in people}) for i in range(5)]
    aliases = {(i, ALL): present[i][0] for i in (1, 2) if len(present[i]) == 1}
    dims = (area_dim, flat("source", present[1], total=len(present[1]) > 1),
            flat("age", present[2], total=len(present[2]) > 1),
            flat("purpose", present[3], total=False), flat("theme", present[4], total=False))
    built = _MEMO.get(("themes", period, threshold))
    if built is None:
        built = Cube(protect(people, dims, threshold), {}, dims, aliases)
        _MEMO[("themes", period, threshold)] = built
    return built



def theme_view(c: Cube, area: str, source: str, age: str) -> ThemeView:
    """Themes named in this slice, most people first, hidden ones last; none for zero."""
    words = theme_words()
    themes = c.dims[4].leaves
    result = ThemeView()
    for purpose in aggregate.THEME_PURPOSES:
        rows = []
        for theme in themes:
            cell = c.cell(area, source, age, purpose, theme)
            count = c.protected.count(cell)
            if count == 0:
                continue
            en, cy = words.get(theme, (theme, theme))
            rows.append(ThemeRow(theme, en, cy, count))
        rows.sort(key=lambda r: (r.people is None, -(r.people or 0), r.words_en))
        result.by_purpose[purpose] = rows
    return result




def build_report(event):
    """The event report before issue 16: each count on its own against the threshold of 3."""
    from portal.conversations import store as conversation_store
    from portal.events import store
    from portal.events.counts import count_answers, shown_count, top_themes
    from portal.events.report import Report, ReportQuestion, _mats, _statements

    items = conversation_store.question_items()
    themes = conversation_store.theme_items()
    rows = store.answer_rows(event)
    keys = store.question_keys(event)
    questions = []
    for count in count_answers(keys, rows):
        cards = sorted(((themes[key], n) for key, n in count.cards.items()
                        if key in themes and shown_count(n) is not None),
                       key=lambda pair: -pair[1])
        questions.append(ReportQuestion(item=items[count.key],
                                        people=shown_count(count.answered), cards=cards))
    top = [(themes[key], n) for key, n in top_themes(rows)
           if key in themes and shown_count(n) is not None]
    counts = store.live_counts(event)
    return Report(event, len(event.participants), questions, top,
                  _mats(event, counts["mats"]), _statements(event, counts["ratings"]))
