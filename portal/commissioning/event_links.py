"""What the event reports already publish, for the dashboard's disclosure control.

An event report (portal/events/report.py) shows its group each count of 3 or more, event
by event, and leaves out smaller ones. So a council's listening-event counts for all ages
(the sum of its events' reports) are known to outsiders exactly where every event's count
is shown or nobody (those cells are "public": hiding them protects nothing, and nothing is
hidden with their help), and known only roughly where an event left out 1 or 2 people:
those cells are hidden ("forced"), with everything that adds them up, so the dashboard
cannot give away what a report left out. Plain data in, plain data out, plus one query.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, select

from portal.commissioning import aggregate
from portal.commissioning.disclosure import ALL, Grid
from portal.core.extensions import db
from portal.models import EventParticipant, RatingContribution

SMALL = 3  # the event reports' threshold (portal/events/counts.py SMALL_NUMBER)


def rating_counts(quarters: tuple[str, ...], code_of: dict[int, str]) -> dict:
    """(quarter, area, statement, point) -> each event's count of participants."""
    c = RatingContribution
    rows = db.session.execute(
        select(c.period, c.local_authority_id, EventParticipant.event_id, c.statement_key,
               c.point_key, func.count())
        .join(EventParticipant, EventParticipant.id == c.participant_id)
        .where(c.period.in_(quarters), c.respondent == aggregate.SELF)
        .group_by(c.period, c.local_authority_id, EventParticipant.event_id,
                  c.statement_key, c.point_key))
    found: dict = defaultdict(list)
    for period, la, _event, statement, point, count in rows:
        if la in code_of:
            found[(period, code_of[la], statement, point)].append(int(count))
    return found


def rough(leaves: dict) -> set:
    """The leaves (quarter, area, last labels...) where some event left out 1 or 2."""
    return {leaf for leaf, counts in leaves.items() if any(0 < n < SMALL for n in counts)}


def links(rough_leaves: set, area_dim, year: str, totals_last: bool):
    """Every cell above a rough leaf, as (period, area, *rest) tuples: its year, its
    region and all Wales, and (for ratings) all points."""
    ups = area_dim.ancestors()
    found = set()
    for quarter, area, *rest in rough_leaves:
        rests = [tuple(rest)]
        if totals_last:
            rests.append((*rest[:-1], ALL))
        for period in (quarter, year):
            for place in (area, *ups.get(area, ())):
                for tail in rests:
                    found.add((period, place, *tail))
    return found


def public_rule(source_dim: int, age_dim: int, age_all: str, rough_cells: set,
                place) -> callable:
    """For protect(public=...): cells of source "event" and all ages, except the rough
    ones. `place(cell)` puts a (period, area, *rest) tuple into the cube's labels."""

    def build(grid: Grid):
        try:
            event = grid.index[source_dim][aggregate.EVENT]
            every_age = grid.index[age_dim][age_all]
        except KeyError:
            return lambda _code: False
        strides, sizes = grid.strides, grid.sizes
        excluded = {grid.code(place(cell)) for cell in rough_cells} - {None}

        def public(code: int) -> bool:
            return ((code // strides[source_dim]) % sizes[source_dim] == event
                    and (code // strides[age_dim]) % sizes[age_dim] == every_age
                    and code not in excluded)

        return public

    return build
