"""The commissioning aggregate: pure functions over plain data (no Flask, no database).

What counts (the grain of the rollups):
- Only finished rating sessions count ("Is this right?" has been answered), and only
  scored answers ("I don't know" and skipped are not numbers).
- Each person counts once per period, respondent level and statement: their latest
  rating in that period. So a people count is a count of people, and a person rated
  twice in a quarter is not counted twice.
- Periods come at two levels, a quarter ("2025-Q2") and a year ("2025"), each counted
  once per person, so a year is not the sum of its quarters (no double counting).
- Respondent levels: "self"; each proxy view "proxy:<relation>:<perspective>"; and
  "proxy" (any proxy view, latest one). Self and proxy are never added together.
- Area, source and age band are properties of the person (or the event) and add up
  exactly, so a region is the sum of its local authorities: these are the dimensions
  disclosure control protects with totals (portal/commissioning/disclosure.py).

A contribution is keyed (owner, period, respondent, statement) and says where it
counts (local authority, source, age band) and what it was (point, score). The rollup
is the number of contributions and their summed score in each cell. Changing a person's
ratings replaces their contributions, and the rollup moves by the difference.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

SELF = "self"
PROXY = "proxy"
REVIEW = "review"
EVENT = "event"
UNKNOWN_AGE = "unknown"
AGE_BANDS = ("16-24", "25-34", "35-49", "50-64", "65+", UNKNOWN_AGE)
SOURCES = (REVIEW, EVENT)
PERSON = "person"
PARTICIPANT = "participant"


class Owner(NamedTuple):
    """Whose ratings: a person, or an anonymous event participant. People and participants
    are numbered separately, so the kind is part of the key (the two ids may be equal)."""

    kind: str  # PERSON or PARTICIPANT
    id: int


def person(person_id: int) -> Owner:
    return Owner(PERSON, person_id)


def participant(participant_id: int) -> Owner:
    return Owner(PARTICIPANT, participant_id)


@dataclass(frozen=True)
class RatingFact:
    """One scored rating of a finished session, with what the aggregate needs."""

    owner: Owner
    session_id: int
    finished_at: datetime
    respondent: str  # "self" or "proxy:<relation>:<perspective>"
    local_authority_id: int | None
    source: str
    age_band: str
    statement_key: str
    point_key: str
    score: float


ContributionKey = tuple[Owner, str, str, str]  # owner, period, respondent, statement
Contribution = tuple[int, str, str, str, int]  # la, source, age band, point, score (milli)
Cell = tuple[str, int, str, str, str, str, str]  # period, la, respondent, source, age, stmt, pt


def age_band(code: str | None) -> str:
    """An event participant's age band as the aggregate counts it ("not said": unknown)."""
    return code if code in AGE_BANDS else UNKNOWN_AGE


def quarter(when: datetime) -> str:
    return f"{when.year}-Q{(when.month - 1) // 3 + 1}"


def periods_of(when: datetime) -> tuple[str, str]:
    return quarter(when), str(when.year)


def is_quarter(period: str) -> bool:
    return len(period) == 7 and period[4:6] == "-Q"


def respondent_levels(label: str) -> tuple[str, ...]:
    return (SELF,) if label == SELF else (label, PROXY)


def milli(score: float) -> int:
    return round(score * 1000)


def contributions(facts: Iterable[RatingFact]) -> dict[ContributionKey, Contribution]:
    """The rating that counts for each (owner, period, respondent, statement): the latest."""
    best: dict[ContributionKey, tuple[tuple[datetime, int], Contribution]] = {}
    for f in facts:
        if f.local_authority_id is None:
            continue  # nowhere to count it: no commissioner's area
        order = (f.finished_at, f.session_id)
        value = (f.local_authority_id, f.source, f.age_band, f.point_key, milli(f.score))
        for period in periods_of(f.finished_at):
            for respondent in respondent_levels(f.respondent):
                key = (f.owner, period, respondent, f.statement_key)
                if key not in best or best[key][0] < order:
                    best[key] = (order, value)
    return {key: value for key, (_order, value) in best.items()}


def cell_of(key: ContributionKey, value: Contribution) -> Cell:
    _owner, period, respondent, statement = key
    la, source, age_band, point, _score = value
    return (period, la, respondent, source, age_band, statement, point)


def rollup(contribs: Mapping[ContributionKey, Contribution]) -> dict[Cell, tuple[int, int]]:
    """(people, summed score in thousandths) per cell."""
    people: Counter = Counter()
    scores: Counter = Counter()
    for key, value in contribs.items():
        cell = cell_of(key, value)
        people[cell] += 1
        scores[cell] += value[4]
    return {cell: (people[cell], scores[cell]) for cell in people}


def rollup_delta(old: Mapping[ContributionKey, Contribution],
                 new: Mapping[ContributionKey, Contribution]) -> dict[Cell, tuple[int, int]]:
    """How each rollup cell moves when `old` contributions are replaced by `new` ones."""
    delta: dict[Cell, list[int]] = {}
    for sign, side, other in ((-1, old, new), (1, new, old)):
        for key, value in side.items():
            if other.get(key) == value:
                continue
            moved = delta.setdefault(cell_of(key, value), [0, 0])
            moved[0] += sign
            moved[1] += sign * value[4]
    return {cell: (p, s) for cell, (p, s) in delta.items() if p or s}


# --- Themes from What Matters answers ------------------------------------------------------

# The purposes of the questions whose themes the dashboard counts, in the order shown.
THEME_PURPOSES = ("matters", "barriers", "helps")


@dataclass(frozen=True)
class ThemeFact:
    """One theme named in one non-skipped answer of a finished conversation."""

    owner: Owner  # a person or an event participant
    local_authority_id: int | None
    source: str
    age_band: str
    purpose: str
    theme_key: str


ThemeCell = tuple[int, str, str, str, str]  # la, source, age band, purpose, theme


def theme_people(facts: Iterable[ThemeFact]) -> dict[ThemeCell, int]:
    """People naming each theme for each purpose: a person counts once per theme and
    purpose however many answers name it, and only for the purposes the dashboard shows."""
    seen: set[tuple[Owner, str, str]] = set()
    counts: Counter = Counter()
    for f in facts:
        if f.local_authority_id is None or f.purpose not in THEME_PURPOSES:
            continue
        key = (f.owner, f.purpose, f.theme_key)
        if key in seen:
            continue
        seen.add(key)
        counts[(f.local_authority_id, f.source, f.age_band, f.purpose, f.theme_key)] += 1
    return dict(counts)


def period_bounds(period: str) -> tuple[datetime, datetime]:
    """[start, end) of a quarter ("2025-Q2") or a year ("2025")."""
    year = int(period[:4])
    if is_quarter(period):
        q = int(period[-1])
        start = datetime(year, 3 * (q - 1) + 1, 1)
        end = datetime(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1)
        return start, end
    return datetime(year, 1, 1), datetime(year + 1, 1, 1)
