""""What matters to me": the person's answers in pictures and words, and its one-page PDF."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import abort, render_template, request
from flask_babel import force_locale
from flask_babel import gettext as _

from portal.conversations import bp, flow, guards, onepage, store
from portal.core.access import allow
from portal.core.i18n import LANGUAGES
from portal.core.messages import CONVERSATION_CHOICE_SAVED
from portal.core.templating import current_locale
from portal.domain.yes_no import counted_purpose
from portal.models import Answer, AnswerStatus, ContentItem, Conversation, Role


@dataclass
class SummaryRow:
    key: str
    number: int
    item: ContentItem  # the version the person answered, else the current one
    answer: Answer | None
    cards: list[ContentItem] = field(default_factory=list)
    tags: list[ContentItem] = field(default_factory=list)
    point: ContentItem | None = None  # Yes / Not sure / No, on a question that asks

    @property
    def purpose(self) -> str:
        return str(self.item.data.get("purpose", ""))

    @property
    def counted_purpose(self) -> str:
        """Where the answer belongs on the one page: a Yes with what helps, a No with what
        gets in the way (as the aggregate counts it); otherwise the question's purpose."""
        point = self.answer.scale_point if self.answer else None
        return counted_purpose(self.purpose, point) or self.purpose


def summary_rows(conversation: Conversation) -> list[SummaryRow]:
    items = store.question_items()
    themes = store.theme_items()
    answers = store.answers_by_key(conversation)
    rows = []
    for number, question in enumerate(store.questions_for(conversation.conversation_key, items), 1):
        answer = answers.get(question.key)
        row = SummaryRow(question.key, number, answer.question_item if answer else
                         items[question.key], answer)
        if answer:
            row.cards = [themes[k] for k in answer.theme_keys("card") if k in themes]
            row.tags = [themes[k] for k in answer.theme_keys("tag") if k in themes]
            row.point = store.point_item(str(row.item.data.get("scale", "")),
                                         answer.scale_point)
        rows.append(row)
    return rows


@bp.get("/<int:conversation_id>/summary")
@allow(Role.PERSON, Role.PRACTITIONER)
def summary(conversation_id: int):
    conversation = guards.conversation_or_404(conversation_id)
    title_item = store.conversation_item(conversation.conversation_key)
    if title_item is None:
        abort(404)
    notice = CONVERSATION_CHOICE_SAVED if request.args.get("saved") == "choice" else None
    return render_template(
        "conversations/summary.html",
        conversation=conversation,
        title_item=title_item,
        rows=summary_rows(conversation),
        practitioner=guards.is_practitioner(),
        notice=notice,
    )


def person_language(conversation: Conversation) -> str:
    """The person's own language: their saved choice, else the conversation's."""
    user = conversation.person.user if conversation.person else None
    if user is not None and user.locale in LANGUAGES:
        return user.locale
    return conversation.language if conversation.language in LANGUAGES else current_locale()


@bp.get("/<int:conversation_id>/summary.pdf")
@allow(Role.PERSON, Role.PRACTITIONER)
def summary_pdf(conversation_id: int):
    from portal.core.pdf import easyread_pdf, pdf_response

    conversation = guards.conversation_or_404(conversation_id)
    title_item = store.conversation_item(conversation.conversation_key)
    if title_item is None:
        abort(404)
    language = person_language(conversation)
    title = title_item.words(language)
    answers = [
        (row.counted_purpose, [t.words(language) for t in row.cards + row.tags],
         row.answer.text, _point_line(row, language))
        for row in summary_rows(conversation)
        if row.answer is not None and row.answer.status != AnswerStatus.SKIPPED
    ]
    found = onepage.groups(answers, language)
    if not found:
        with force_locale(language):
            found = [onepage.GroupText("", _("There are no answers yet."), "question", (), ())]

    def render(lines):
        return easyread_pdf(title, [(_picture_file(p), text, "") for p, text in lines], language)

    data = onepage.one_page(found, render)
    return pdf_response(data, f"{flow.short_key(title_item.key)}.pdf", download=True)


def _point_line(row: SummaryRow, language: str) -> str | None:
    """A yes/no answer on the page: the question and the answer, "Question? No"."""
    if row.point is None:
        return None
    return f"{row.item.words(language)} {row.point.words(language)}"


def _picture_file(name: str):
    from portal.pictures import hexcode_for, openmoji_svg_dir

    return openmoji_svg_dir() / f"{hexcode_for(name)}.svg"
