"""The easy-read event report, for the group to check together: "Did we get it right?".

Only when the event is closed. One sheet carries both languages, Welsh then English, each
block marked with its language, on screen, in print and as a PDF. Counts follow a simple
small-number rule (counts.py): a count below 3 shows as "fewer than 3", and so does any
count from which a left-out one could be worked out (_shown_cards); words are quoted
only from people who said they may be shared, with names and places taken out
(portal/domain/redact.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import abort, render_template, request
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from portal.commissioning.disclosure import ALL, flat, protect
from portal.content.scales import load_statements, short_key
from portal.conversations import store as conversation_store
from portal.core.access import allow
from portal.core.i18n import LANGUAGES
from portal.domain.redact import redact
from portal.events import bp, store
from portal.events.counts import (
    DONT_KNOW_KEY,
    SMALL_NUMBER,
    count_answers,
    shown_count,
    top_themes,
)
from portal.events.facilitator import event_mats, own_event_or_404
from portal.models import ContentItem, Event, Role

# Welsh first, as the Welsh Language Standards ask of a bilingual sheet.
REPORT_LANGUAGES = ("cy", "en")


@dataclass
class ReportQuestion:
    item: ContentItem
    people: int | None  # None: fewer than 3
    cards: list[tuple[ContentItem, int]] = field(default_factory=list)  # shown counts only
    quotes: list[str] = field(default_factory=list)
    # A yes/no question's answers (Yes / Not sure / No), shown counts only; None: no scale.
    choice: ReportChoice | None = None


@dataclass
class ReportChoice:
    """A mat card or a statement, with the places (points) 3 or more people chose."""

    item: ContentItem
    points: list[tuple[ContentItem | None, int]]  # None: "I don't know"


@dataclass
class ReportMat:
    item: ContentItem
    cards: list[ReportChoice]


@dataclass
class Report:
    event: Event
    joined: int
    questions: list[ReportQuestion]
    themes: list[tuple[ContentItem, int]]
    mats: list[ReportMat] = field(default_factory=list)
    statements: list[ReportChoice] = field(default_factory=list)


def _shown_points(counted, points: list[tuple[str, ContentItem | None]]):
    return [(point, counted.get(key, 0)) for key, point in points
            if shown_count(counted.get(key, 0)) is not None]


def build_report(event: Event) -> Report:
    items = conversation_store.question_items()
    themes = conversation_store.theme_items()
    rows = store.answer_rows(event)
    keys = store.question_keys(event)
    names = store.known_names(event)
    words = [(key, redact(text, names)) for key, text in store.shared_words(event)]
    questions = []
    counted = count_answers(keys, rows)
    shown = _shown_cards(counted, themes)
    for count in counted:
        cards = sorted(
            ((themes[key], n) for key, n in count.cards.items()
             if key in themes and shown(count.key, key, n)),
            key=lambda pair: -pair[1],
        )
        questions.append(ReportQuestion(
            item=items[count.key],
            people=shown_count(count.answered),
            cards=cards,
            quotes=[text for key, text in words if key == count.key],
            choice=_yes_no(items[count.key], count.points),
        ))
    top = [(themes[key], n) for key, n in top_themes(rows)
           if key in themes and shown(ALL, key, n)]
    joined = len(event.participants)
    counts = store.live_counts(event)
    return Report(event, joined, questions, top, _mats(event, counts["mats"]),
                  _statements(event, counts["ratings"]))


def _yes_no(item: ContentItem, counted) -> ReportChoice | None:
    points = conversation_store.scale_points(str(item.data.get("scale", "")))
    if not points:
        return None
    keyed = [(short_key(p).split(".", 1)[1], p) for p in points]
    # The question's count of people is shown beside its points, so one point left out
    # could be worked out by subtracting: the points are suppressed as one line, as the
    # cards are (a second point hidden with any hidden one, zeros hidden too).
    protected = protect({(key,): counted.get(key, 0) for key, _point in keyed},
                        (flat("point", [key for key, _point in keyed]),), SMALL_NUMBER,
                        hide_zeros=True)
    return ReportChoice(item, [(point, counted.get(key, 0)) for key, point in keyed
                               if protected.count((key,)) is not None])


def _shown_cards(counted, themes):
    """Which card counts the report may show: 3 or more, and never so that a left-out
    count can be worked out. "What people chose most" adds up each question's count of a
    card, so it and the questions are suppressed together (portal/commissioning/disclosure.py), with
    left-out counts treated as 0 to 2 (the report leaves zeros out too)."""
    cells = {(count.key, key): n for count in counted for key, n in count.cards.items()
             if key in themes}
    questions = tuple(count.key for count in counted)
    cards = tuple(sorted({key for _question, key in cells}))
    protected = protect(cells, (flat("question", questions), flat("card", cards, total=False)),
                        SMALL_NUMBER, hide_zeros=True)

    def shown(question: str, key: str, n: int) -> bool:
        return shown_count(n) is not None and protected.count((question, key)) is not None

    return shown


def _mats(event: Event, counts: dict) -> list[ReportMat]:
    return [ReportMat(mat.item, [
        ReportChoice(card, _shown_points(by_card.get(short_key(card), {}), points))
        for card in mat.cards]) for mat, points, by_card in event_mats(event, counts)]


def _statements(event: Event, counts: dict) -> list[ReportChoice]:
    if not event.use_ratings:
        return []
    statements = load_statements()
    found = []
    for item in statements.statements:
        scale = statements.scale_of(item)
        points = [*((scale.point_key(p), p) for p in scale.points), (DONT_KNOW_KEY, None)]
        found.append(ReportChoice(item, _shown_points(counts.get(short_key(item), {}), points)))
    return found


def people_chose(count: int | None) -> str:
    if count is None:
        return _("Fewer than 3 people chose this.")
    return ngettext("%(num)d person chose this.", "%(num)d people chose this.", count)


def people_answered(count: int | None) -> str:
    if count is None:
        return _("Fewer than 3 people answered this question.")
    return ngettext("%(num)d person answered this question.",
                    "%(num)d people answered this question.", count)


def point_words(point: ContentItem | None, language: str) -> str:
    return point.words(language) if point is not None else _("I don't know")


def choice_line(choice: ReportChoice, language: str) -> str:
    """ "Good for me: 4 people. Not sure: 3 people." or, when every count is left out,
    a sentence that is true whatever they are: a count of 3 or more is left out too when
    it would give a small one away (3 said No and 1 Yes, with 4 people shown)."""
    if not choice.points:
        return _("We do not show these numbers. This keeps everyone anonymous.")
    return " ".join(
        ngettext("%(answer)s: %(num)d person.", "%(answer)s: %(num)d people.", n,
                 answer=point_words(point, language))
        for point, n in choice.points)


# Why some numbers are not there, at the top of the report on screen and on paper.
HIDDEN_NUMBERS = (
    _l("We only show a number when 3 or more people chose the same thing. "
       "This keeps everyone anonymous."),
    _l("Sometimes we hide a bigger number too. Then nobody can work out a small one."),
)


def _closed_event_or_404(event_id: int) -> Event:
    event = own_event_or_404(event_id)
    if event.is_open:
        abort(404)  # the report comes when the event has closed
    return event


def _language_block(report: Report, language: str) -> Markup:
    # render_template escapes everything put into the page; Markup only keeps it from being
    # escaped twice when the block goes into report.html.
    with force_locale(language):
        return Markup(render_template(  # noqa: S704
            "events/_report_language.html", report=report, language=language,
            people_chose=people_chose, people_answered=people_answered,
            choice_line=choice_line, hidden_numbers=HIDDEN_NUMBERS))


@bp.get("/facilitator/events/<int:event_id>/report")
@allow(Role.FACILITATOR)
def report(event_id: int):
    found = build_report(_closed_event_or_404(event_id))
    return render_template(
        "events/report.html", report=found,
        blocks=[(language, _language_block(found, language)) for language in REPORT_LANGUAGES],
    )


def report_lines(found: Report, language: str) -> list:
    """The report in one language as easy-read PDF lines (picture, words, alt)."""
    from portal.core.pdf import content_lines

    def line(item, words):
        picture, _words, alt = content_lines([item], language)[0]
        return (picture, words, alt)

    lines = [(None, _("What you told us"), "")]
    lines += [(None, str(sentence), "") for sentence in HIDDEN_NUMBERS]
    if found.themes:
        lines.append((None, _("What people chose most"), ""))
        for theme, n in found.themes:
            lines.append(line(theme, f"{theme.words(language)} – {people_chose(n)}"))
    for question in found.questions:
        lines.append(line(question.item,
                          f"{question.item.words(language)} {people_answered(question.people)}"))
        if question.choice is not None:
            lines.append((None, choice_line(question.choice, language), ""))
        for quote in question.quotes:
            lines.append((None, f"“{quote}”", ""))
    for mat in found.mats:
        lines.append(line(mat.item, mat.item.words(language)))
        for card in mat.cards:
            lines.append(line(card.item,
                              f"{card.item.words(language)} – {choice_line(card, language)}"))
    for statement in found.statements:
        lines.append(line(statement.item, f"{statement.item.words(language)} – "
                                          f"{choice_line(statement, language)}"))
    lines.append((None, _("Did we get it right?"), ""))
    lines.append((None, _("Please tell us if we got something wrong or missed something."), ""))
    return lines


@bp.get("/facilitator/events/<int:event_id>/report.pdf")
@allow(Role.FACILITATOR)
def report_pdf(event_id: int):
    """Both languages on one PDF (Welsh first), or one language with ?lang=cy or en."""
    from portal.core.pdf import easyread_pdf, pdf_response

    event = _closed_event_or_404(event_id)
    asked = request.args.get("lang")
    languages = (asked,) if asked in LANGUAGES else REPORT_LANGUAGES
    found = build_report(event)
    lines = []
    for language in languages:
        with force_locale(language):
            if len(languages) > 1:
                lines.append((None, event.title(language), ""))
            lines.extend(report_lines(found, language))
    title = " – ".join(event.title(language) for language in languages)
    data = easyread_pdf(title, lines, languages[0])
    return pdf_response(data, f"event-{event.id}-{'-'.join(languages)}.pdf")
