"""The easy-read event report, for the group to check together: "Did we get it right?".

Only when the event is closed. Counts follow a simple small-number rule (counts.py): a
card chosen by fewer than 3 people shows as "fewer than 3"; words are quoted only from
people who said they may be shared, and never with anything that says who they were.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import abort, render_template, request
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _

from portal.access import allow
from portal.conversations import store as conversation_store
from portal.events import bp, store
from portal.events.counts import count_answers, shown_count, top_themes
from portal.events.facilitator import own_event_or_404
from portal.i18n import LANGUAGES
from portal.models import ContentItem, Event, Role
from portal.templating import current_locale


@dataclass
class ReportQuestion:
    item: ContentItem
    people: int | None  # None: fewer than 3
    cards: list[tuple[ContentItem, int]] = field(default_factory=list)  # shown counts only
    quotes: list[str] = field(default_factory=list)


@dataclass
class Report:
    event: Event
    joined: int
    questions: list[ReportQuestion]
    themes: list[tuple[ContentItem, int]]


def build_report(event: Event) -> Report:
    items = conversation_store.question_items()
    themes = conversation_store.theme_items()
    rows = store.answer_rows(event)
    keys = store.question_keys(event)
    words = store.shared_words(event)
    questions = []
    for count in count_answers(keys, rows):
        cards = sorted(
            ((themes[key], n) for key, n in count.cards.items()
             if key in themes and shown_count(n) is not None),
            key=lambda pair: -pair[1],
        )
        questions.append(ReportQuestion(
            item=items[count.key],
            people=shown_count(count.answered),
            cards=cards,
            quotes=[text for key, text in words if key == count.key],
        ))
    top = [(themes[key], n) for key, n in top_themes(rows)
           if key in themes and shown_count(n) is not None]
    joined = len(event.participants)
    return Report(event, joined, questions, top)


def people_chose(count: int | None) -> str:
    if count is None:
        return _("Fewer than 3 people chose this.")
    return ngettext("%(num)d person chose this.", "%(num)d people chose this.", count)


def people_answered(count: int | None) -> str:
    if count is None:
        return _("Fewer than 3 people answered this question.")
    return ngettext("%(num)d person answered this question.",
                    "%(num)d people answered this question.", count)


def _closed_event_or_404(event_id: int) -> Event:
    event = own_event_or_404(event_id)
    if event.is_open:
        abort(404)  # the report comes when the event has closed
    return event


@bp.get("/facilitator/events/<int:event_id>/report")
@allow(Role.FACILITATOR)
def report(event_id: int):
    event = _closed_event_or_404(event_id)
    return render_template(
        "events/report.html", report=build_report(event), people_chose=people_chose,
        people_answered=people_answered,
    )


@bp.get("/facilitator/events/<int:event_id>/report.pdf")
@allow(Role.FACILITATOR)
def report_pdf(event_id: int):
    from portal.pdf import content_lines, easyread_pdf, pdf_response

    event = _closed_event_or_404(event_id)
    language = request.args.get("lang")
    language = language if language in LANGUAGES else current_locale()
    found = build_report(event)
    with force_locale(language):
        title = event.title(language)
        lines = [(None, _("What you told us"), "")]
        if found.themes:
            lines.append((None, _("What people chose most"), ""))
            for theme, n in found.themes:
                picture, words, alt = content_lines([theme], language)[0]
                lines.append((picture, f"{words} – {people_chose(n)}", alt))
        for question in found.questions:
            picture, words, alt = content_lines([question.item], language)[0]
            lines.append((picture, f"{words} {people_answered(question.people)}", alt))
            for quote in question.quotes:
                lines.append((None, f"“{quote}”", ""))
        lines.append((None, _("Did we get it right?"), ""))
        lines.append((None, _("Please tell us if we got something wrong or missed something."),
                      ""))
        data = easyread_pdf(title, lines, language)
    return pdf_response(data, f"event-{event.id}-{language}.pdf")
