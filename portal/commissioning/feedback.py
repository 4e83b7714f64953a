""""You said, we did": the commissioner's form, and who sees which answers.

People see the answers for their local authority and its region. A facilitator sees the
answers about themes their own listening events raised, in those events' areas.
Database reads and plain data only; the easy-read rule (sentences of 15 words or fewer)
is the one the content loader uses (portal/content/easyread.py).
"""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from wtforms import DateField, SelectField, TextAreaField, ValidationError
from wtforms.validators import DataRequired, InputRequired, Length

from portal.content.easyread import MAX_WORDS_PER_SENTENCE, long_sentences
from portal.core.extensions import db
from portal.core.forms import PortalForm
from portal.core.messages import TOO_LONG
from portal.models import (
    Answer,
    AnswerTheme,
    ContentItem,
    Conversation,
    Event,
    EventParticipant,
    LocalAuthority,
    Person,
    Region,
    YouSaidWeDid,
)

MAX_CHARS = 600
SHOWN = 6

CHOOSE_AREA = _l("Choose one of your areas.")
CHOOSE_THEME = _l("Choose the theme you are answering.")
HEARD_EN_REQUIRED = _l("Write what you heard, in English.")
HEARD_CY_REQUIRED = _l("Write what you heard, in Welsh.")
DOING_EN_REQUIRED = _l("Write what you will do, in English.")
DOING_CY_REQUIRED = _l("Write what you will do, in Welsh.")
BY_WHEN_REQUIRED = _l("Write the date you will do it by, like 2027-03-31.")
SENTENCE_TOO_LONG = _l("Please use sentences of 15 words or fewer. People read this in "
                       "easy read.")


class _KindDateField(DateField):
    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(str(BY_WHEN_REQUIRED)) from None


class _KindSelect(SelectField):
    """An unknown choice gets the form's own message, in the page's language."""

    def __init__(self, *args, message, **kwargs):
        super().__init__(*args, **kwargs)
        self.unknown_message = message

    def pre_validate(self, form):
        if self.data not in {value for value, _label in self.choices}:
            raise ValidationError(str(self.unknown_message))


def _easy_read(field) -> None:
    if long_sentences(field.data or "", MAX_WORDS_PER_SENTENCE):
        raise ValidationError(str(SENTENCE_TOO_LONG))


def _text(label, message):
    return TextAreaField(label, validators=[DataRequired(message=message),
                                            Length(max=MAX_CHARS, message=TOO_LONG)])


class YouSaidForm(PortalForm):
    area = _KindSelect(_l("Area"), choices=[], message=CHOOSE_AREA)
    theme = _KindSelect(_l("Theme"), choices=[], message=CHOOSE_THEME)
    heard_en = _text(_l("What you heard (English)"), HEARD_EN_REQUIRED)
    heard_cy = _text(_l("What you heard (Welsh)"), HEARD_CY_REQUIRED)
    doing_en = _text(_l("What you will do (English)"), DOING_EN_REQUIRED)
    doing_cy = _text(_l("What you will do (Welsh)"), DOING_CY_REQUIRED)
    by_when = _KindDateField(_l("By when"), validators=[InputRequired(message=BY_WHEN_REQUIRED)])

    def validate_heard_en(self, field):
        _easy_read(field)

    def validate_heard_cy(self, field):
        _easy_read(field)

    def validate_doing_en(self, field):
        _easy_read(field)

    def validate_doing_cy(self, field):
        _easy_read(field)

    def validate_by_when(self, field):
        if not isinstance(field.data, date):
            raise ValidationError(str(BY_WHEN_REQUIRED))


def themes() -> dict[str, ContentItem]:
    items = db.session.scalars(select(ContentItem).where(ContentItem.kind == "theme",
                                                        ContentItem.is_current)
                               .order_by(ContentItem.words_en))
    return {item.key.removeprefix("theme."): item for item in items}


def area_ids(key: str) -> tuple[int | None, int | None]:
    """(region id, local authority id) of "region:<code>" or "la:<code>"."""
    kind, _sep, code = key.partition(":")
    if kind == "region":
        return db.session.scalar(select(Region.id).where(Region.code == code)), None
    return None, db.session.scalar(select(LocalAuthority.id).where(LocalAuthority.code == code))


def add(user_id: int, form: YouSaidForm) -> YouSaidWeDid:
    region_id, la_id = area_ids(form.area.data)
    answer = YouSaidWeDid(
        commissioner_id=user_id, region_id=region_id, local_authority_id=la_id,
        theme_key=form.theme.data, heard_en=form.heard_en.data, heard_cy=form.heard_cy.data,
        doing_en=form.doing_en.data, doing_cy=form.doing_cy.data, by_when=form.by_when.data)
    db.session.add(answer)
    return answer


def written_by(user_id: int) -> list[YouSaidWeDid]:
    return list(db.session.scalars(select(YouSaidWeDid).where(
        YouSaidWeDid.commissioner_id == user_id).order_by(YouSaidWeDid.created_at.desc())))


def _in_areas(la_ids: set[int]):
    regions = select(LocalAuthority.region_id).where(LocalAuthority.id.in_(la_ids))
    return or_(YouSaidWeDid.local_authority_id.in_(la_ids), YouSaidWeDid.region_id.in_(regions))


def for_person(person: Person | None) -> list[YouSaidWeDid]:
    """The newest answers for the person's local authority and its region."""
    if person is None or person.local_authority_id is None:
        return []
    return list(db.session.scalars(
        select(YouSaidWeDid).where(_in_areas({person.local_authority_id}))
        .order_by(YouSaidWeDid.created_at.desc()).limit(SHOWN)))


def for_facilitator(user_id: int) -> list[YouSaidWeDid]:
    """Answers about themes the facilitator's own events raised, in those events' areas."""
    raised = db.session.execute(
        select(Event.local_authority_id, AnswerTheme.theme_key).distinct()
        .join(EventParticipant, EventParticipant.event_id == Event.id)
        .join(Conversation, Conversation.id == EventParticipant.conversation_id)
        .join(Answer, Answer.conversation_id == Conversation.id)
        .join(AnswerTheme, AnswerTheme.answer_id == Answer.id)
        .where(Event.facilitator_id == user_id)).all()
    if not raised:
        return []
    by_theme: dict[str, set[int]] = {}
    for la, theme in raised:
        by_theme.setdefault(theme, set()).add(la)
    found = []
    for answer in db.session.scalars(
            select(YouSaidWeDid).where(YouSaidWeDid.theme_key.in_(list(by_theme)))
            .order_by(YouSaidWeDid.created_at.desc())):
        las = by_theme[answer.theme_key]
        if answer.local_authority_id in las or (
                answer.region_id is not None and db.session.scalar(
                    select(LocalAuthority.id).where(LocalAuthority.id.in_(las),
                                                    LocalAuthority.region_id == answer.region_id)
                    .limit(1)) is not None):
            found.append(answer)
        if len(found) >= SHOWN:
            break
    return found


def sentences() -> list[tuple[str, str]]:
    """(language, words) of every answer, for rendering their audio with the easy-read
    build (portal/speech), as content and catalogue sentences are."""
    found = []
    for answer in db.session.scalars(select(YouSaidWeDid)):
        found += [("en", answer.heard_en), ("cy", answer.heard_cy),
                  ("en", answer.doing_en), ("cy", answer.doing_cy)]
    return found
