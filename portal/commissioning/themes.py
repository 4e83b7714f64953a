"""Themes from What Matters answers (what matters, what gets in the way, what helps),
counted in people and suppressed like the scores.

A grouped query, not a rollup: it reads the chosen period's finished conversations and
their chosen themes (a few per answer), never a rating, so it stays small beside the
ratings; and it is always exactly what the answers say, with nothing to keep in step.
Database reads and plain data only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from portal.commissioning import aggregate, event_links, life_stage
from portal.commissioning.data import (
    HIDE_ZEROS,
    Cube,
    _area_dimension,
    cubes,
    linked_dims,
    year_periods,
)
from portal.commissioning.disclosure import ALL, flat, protect
from portal.core.extensions import db
from portal.domain.redact import redact
from portal.domain.yes_no import counted_purpose
from portal.models import (
    Answer,
    AnswerStatus,
    AnswerTheme,
    ContentItem,
    Conversation,
    Event,
    EventParticipant,
    LocalAuthority,
    Person,
    Region,
)


def _purposes() -> dict[int, str]:
    """Question version id -> its purpose (every version: old answers keep theirs)."""
    rows = db.session.execute(select(ContentItem.id, ContentItem.data)
                              .where(ContentItem.kind == "question"))
    return {item_id: str((data or {}).get("purpose", "")) for item_id, data in rows}


def _in_period(period: str):
    start, end = aggregate.period_bounds(period)
    return (Conversation.finished_at >= start, Conversation.finished_at < end,
            Answer.status != AnswerStatus.SKIPPED)


def theme_facts(period: str) -> list[aggregate.ThemeFact]:
    purposes = _purposes()
    wanted = [i for i, p in purposes.items() if p in aggregate.THEME_PURPOSES]
    base = (Answer.question_item_id.in_(wanted), *_in_period(period))
    # A yes/no question's Yes counts its themes as what helps, its No as what gets in the
    # way, its "Not sure" as neither (flow.counted_purpose says why).
    reviews = db.session.execute(
        select(Conversation.person_id, Person.local_authority_id, Answer.question_item_id,
               AnswerTheme.theme_key, Person.date_of_birth, Conversation.finished_at,
               Answer.scale_point).distinct()
        .join(Answer, Answer.id == AnswerTheme.answer_id)
        .join(Conversation, Conversation.id == Answer.conversation_id)
        .join(Person, Person.id == Conversation.person_id)
        .where(*base))
    events = db.session.execute(
        select(EventParticipant.id, Event.local_authority_id, EventParticipant.age_band,
               Answer.question_item_id, AnswerTheme.theme_key, Answer.scale_point).distinct()
        .join(Answer, Answer.id == AnswerTheme.answer_id)
        .join(Conversation, Conversation.id == Answer.conversation_id)
        .join(EventParticipant, EventParticipant.conversation_id == Conversation.id)
        .join(Event, Event.id == EventParticipant.event_id)
        .where(Conversation.person_id.is_(None), *base))
    facts = [aggregate.ThemeFact(aggregate.person(person), la, aggregate.REVIEW,
                                 life_stage.band(born, finished),
                                 counted_purpose(purposes[item], point), theme)
             for person, la, item, theme, born, finished, point in reviews]
    facts += [aggregate.ThemeFact(aggregate.participant(pid), la, aggregate.EVENT,
                                  aggregate.age_band(age), counted_purpose(purposes[item], point),
                                  theme)
              for pid, la, age, item, theme, point in events]
    return facts


def theme_cube(period: str, threshold: int) -> Cube:
    """The suppressed people counts of one period: area x source x age x purpose x theme,
    a slice of one cube linking the year and its quarters (data._linked says why).
    Purposes and themes have no totals (one person can name many themes)."""
    protected, dims, aliases = _linked_themes(period, threshold)
    return Cube(protected, {}, dims[1:], aliases, (period,))


def _linked_themes(period: str, threshold: int):
    area_dim, code_of = _area_dimension()
    linked_periods = year_periods(period)
    people = {}
    facts_of = {when: theme_facts(when) for when in linked_periods}
    for when, facts in facts_of.items():
        for (la, source, age, purpose, theme), count in aggregate.theme_people(facts).items():
            if la in code_of:
                people[(when, code_of[la], source, age, purpose, theme)] = count
    present = [sorted({c[i] for c in people}) for i in range(6)]
    aliases = {(i - 1, ALL): present[i][0] for i in (2, 3) if len(present[i]) == 1}
    dims, sums = linked_dims([p for p in linked_periods if p in present[0]], [aggregate.SELF],
                             area_dim, present[2:4])
    tail = (flat("purpose", present[4], total=False), flat("theme", present[5], total=False))
    dims = (dims[0], *dims[2:], *tail)
    sums = (sums[0], *sums[2:], *tail)
    key, inputs = ("themes", linked_periods[-1], threshold), (dims, people)
    built = cubes().get(key, inputs)
    if built is None:
        public, forced = None, ()
        if aggregate.EVENT in dims[2].labels:
            age_all = ALL if ALL in dims[3].labels else dims[3].leaves[0]
            rough = event_links.links(
                event_links.rough(_event_theme_counts(facts_of, code_of)), area_dim,
                linked_periods[-1], totals_last=False)

            def place(cell, age_all=age_all):
                when, area, purpose, theme = cell
                return (when, area, aggregate.EVENT, age_all, purpose, theme)

            public = event_links.public_rule(2, 3, age_all, rough, place)
            forced = [place(cell) for cell in rough]
        built = (protect(people, dims, threshold, margin_dims=sums, public=public,
                         forced=forced, hide_zeros=HIDE_ZEROS), dims, aliases)
        cubes().put(key, inputs, built)
    return built


def _event_theme_counts(facts_of: dict, code_of: dict) -> dict:
    """(quarter, area, purpose, theme) -> each event's count of participants naming it."""
    participants = [f.owner.id for facts in facts_of.values() for f in facts
                    if f.owner.kind == aggregate.PARTICIPANT]
    event_of = dict(db.session.execute(select(EventParticipant.id, EventParticipant.event_id)
                                       .where(EventParticipant.id.in_(participants))).all())
    counted: dict = {}
    for when, facts in facts_of.items():
        if not aggregate.is_quarter(when):
            continue
        seen = set()
        for f in facts:
            if f.owner.kind != aggregate.PARTICIPANT or f.local_authority_id not in code_of:
                continue
            key = (f.owner, f.purpose, f.theme_key)
            if key in seen or f.purpose not in aggregate.THEME_PURPOSES:
                continue
            seen.add(key)
            cell = (when, code_of[f.local_authority_id], f.purpose, f.theme_key)
            events = counted.setdefault(cell, {})
            event = event_of.get(f.owner.id)
            events[event] = events.get(event, 0) + 1
    return {cell: list(events.values()) for cell, events in counted.items()}


@dataclass
class ThemeRow:
    key: str
    words_en: str
    words_cy: str
    people: int | None  # None when hidden

    def words(self, locale: str) -> str:
        return self.words_cy if locale == "cy" else self.words_en


@dataclass
class ThemeView:
    by_purpose: dict[str, list[ThemeRow]] = field(default_factory=dict)

    @property
    def has_results(self) -> bool:
        return any(rows for rows in self.by_purpose.values())


def theme_words() -> dict[str, tuple[str, str]]:
    items = db.session.scalars(select(ContentItem).where(ContentItem.kind == "theme",
                                                         ContentItem.is_current))
    return {i.key.removeprefix("theme."): (i.words_en, i.words_cy) for i in items}


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


# --- Quotes --------------------------------------------------------------------------------


def _area_la_ids(area: str) -> set[int]:
    kind, _sep, code = area.partition(":")
    if kind == "la":
        return set(db.session.scalars(select(LocalAuthority.id)
                                      .where(LocalAuthority.code == code)))
    if kind == "region":
        return set(db.session.scalars(select(LocalAuthority.id).join(Region).where(
            Region.code == code)))
    return set(db.session.scalars(select(LocalAuthority.id)))


def _known_names() -> list[str]:
    """Names a quote must not carry: people in the portal, local authorities, regions."""
    names = list(db.session.scalars(select(Person.display_name)))
    for model in (LocalAuthority, Region):
        for en, cy in db.session.execute(select(model.name_en, model.name_cy)):
            names += [en, cy]
    from portal.models import User

    names += list(db.session.scalars(select(User.display_name)))
    return names


def quotes(period: str, c: Cube, area: str, source: str, age: str,
           limit: int = 3) -> dict[str, list[str]]:
    """Words people agreed to share, names and places taken out, for each purpose: only
    from answers naming a theme whose count is published in this slice, in this slice."""
    published = {(purpose, theme) for purpose in aggregate.THEME_PURPOSES
                 for theme in c.dims[4].leaves
                 if (c.protected.count(c.cell(area, source, age, purpose, theme)) or 0) > 0}
    if not published:
        return {}
    purposes = _purposes()
    la_ids = _area_la_ids(area)
    event_of = (select(Event.local_authority_id, EventParticipant.age_band)
                .join(EventParticipant, EventParticipant.event_id == Event.id))
    rows = db.session.execute(
        select(Answer.id, Answer.question_item_id, Answer.text, AnswerTheme.theme_key,
               Conversation.person_id, Conversation.id, Answer.scale_point)
        .join(AnswerTheme, AnswerTheme.answer_id == Answer.id)
        .join(Conversation, Conversation.id == Answer.conversation_id)
        .where(Conversation.share_words.is_(True), Answer.text.is_not(None),
               Answer.text != "", *_in_period(period))
        .order_by(Answer.id)).all()
    # The area of each shared answer is looked up one by one: shared words are few.
    found: dict[str, list[str]] = {}
    seen: set[int] = set()
    names = None
    for answer_id, item, text, theme, person_id, conversation_id, point in rows:
        purpose = counted_purpose(purposes.get(item, ""), point)
        if answer_id in seen or (purpose, theme) not in published:
            continue
        if person_id is not None:
            if source == aggregate.EVENT:
                continue
            la, born, finished = db.session.execute(
                select(Person.local_authority_id, Person.date_of_birth, Conversation.finished_at)
                .join(Conversation, Conversation.person_id == Person.id)
                .where(Person.id == person_id, Conversation.id == conversation_id)).one()
            if age != ALL and life_stage.band(born, finished) != age:
                continue
        else:
            if source == aggregate.REVIEW:
                continue
            found_event = db.session.execute(event_of.where(
                EventParticipant.conversation_id == conversation_id)).first()
            if found_event is None:
                continue
            la, band = found_event
            if age != ALL and aggregate.age_band(band) != age:
                continue
        if la not in la_ids or len(found.get(purpose, [])) >= limit:
            continue
        if names is None:
            names = _known_names()
        seen.add(answer_id)
        found.setdefault(purpose, []).append(redact(text, names))
    return found
