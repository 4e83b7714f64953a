"""Forms of the circle pages. Member choices are set per request."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from portal.answering.ratings.forms import RatingForm
from portal.core.forms import PortalForm
from portal.core.messages import (
    BEST_INTERESTS_CONSULTED_REQUIRED,
    BEST_INTERESTS_DATE_REQUIRED,
    BEST_INTERESTS_REASON_REQUIRED,
    CIRCLE_NAME_REQUIRED,
    CIRCLE_PASSWORD_SHORT,
    CIRCLE_PASSWORDS_DIFFERENT,
    CIRCLE_RELATION_REQUIRED,
    CIRCLE_USERNAME_REQUIRED,
    CIRCLE_YEARS_INVALID,
    FOLLOW_UP_NOTE_REQUIRED,
    FOLLOW_UP_NOTE_TOO_LONG,
    PROXY_COMMENT_TOO_LONG,
    TOO_LONG,
)
from portal.models import Relationship

FREQUENCIES = {
    "daily": _l("Every day"),
    "weekly": _l("Every week"),
    "monthly": _l("Every month"),
    "less_often": _l("Less often"),
}


PERSPECTIVE_LABELS = {
    "self": _l("their own answers"),
    "proxy_own_view": _l("what I think"),
    "proxy_their_view": _l("what I think they would say"),
}


def frequency_label(code: str | None) -> str:
    return str(FREQUENCIES.get(code, code or ""))


def perspective_label(code: str) -> str:
    return str(PERSPECTIVE_LABELS.get(code, code))


class _KindSelectField(SelectField):
    def pre_validate(self, form):
        # The empty first option is only the prompt: choosing it is choosing nothing.
        if not self.data or self.data not in {str(value) for value, _label in self.choices}:
            raise ValidationError(str(CIRCLE_RELATION_REQUIRED))


class InviteForm(PortalForm):
    name = StringField(_l("Their name"), validators=[
        DataRequired(message=CIRCLE_NAME_REQUIRED), Length(max=120, message=TOO_LONG)])
    relation = _KindSelectField(_l("How they know the person"), choices=[])
    role_label = StringField(_l("Their role in words, for example Mum or Key worker"),
                             validators=[Optional(), Length(max=80, message=TOO_LONG)])
    known_for_years = StringField(_l("How many years they have known the person"))
    contact_frequency = SelectField(_l("How often they see the person"), choices=[],
                                    validate_choice=False, validators=[Optional()])
    contact = StringField(_l("Email address or phone number"),
                          validators=[Optional(), Length(max=200, message=TOO_LONG)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from portal.core.labels import relation_label

        self.relation.choices = [("", "")] + [(r.value, relation_label(r.value))
                                              for r in Relationship]
        self.contact_frequency.choices = [("", "")] + [(k, str(v)) for k, v in FREQUENCIES.items()]

    def validate_known_for_years(self, field):
        if field.data and not (field.data.isdigit() and int(field.data) <= 100):
            raise ValidationError(str(CIRCLE_YEARS_INVALID))

    @property
    def years(self) -> int | None:
        return int(self.known_for_years.data) if self.known_for_years.data else None


class JoinForm(PortalForm):
    """A new supporter account; the invite says which circle it joins."""

    username = StringField(_l("Choose a username"), validators=[
        DataRequired(message=CIRCLE_USERNAME_REQUIRED), Length(max=80, message=TOO_LONG)])
    password = PasswordField(_l("Choose a password"), validators=[
        Length(min=10, max=200, message=CIRCLE_PASSWORD_SHORT)])
    confirm = PasswordField(_l("Type the password again"))

    def validate_confirm(self, field):
        if field.data != self.password.data:
            raise ValidationError(str(CIRCLE_PASSWORDS_DIFFERENT))


class AcceptForm(PortalForm):
    """Only the form token: "Join the circle"."""


class _Checkboxes(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def process_formdata(self, valuelist):
        # A value that is not a number is ignored like an unknown one (WTForms would show
        # its own English "Invalid choice(s)" message).
        data = []
        for value in valuelist:
            try:
                data.append(self.coerce(value))
            except (TypeError, ValueError):
                continue
        self.data = data

    def pre_validate(self, form):  # unknown values are ignored, never stored
        return None


class _KindDateField(DateField):
    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(str(BEST_INTERESTS_DATE_REQUIRED)) from None


class BestInterestsForm(PortalForm):
    consulted = TextAreaField(_l("Who was consulted"), validators=[
        DataRequired(message=BEST_INTERESTS_CONSULTED_REQUIRED),
        Length(max=2000, message=TOO_LONG)])
    decided_on = _KindDateField(_l("Date of the decision"), validators=[
        InputRequired(message=BEST_INTERESTS_DATE_REQUIRED)])
    reason = TextAreaField(_l("Reason for the decision"), validators=[
        DataRequired(message=BEST_INTERESTS_REASON_REQUIRED),
        Length(max=4000, message=TOO_LONG)])
    raters = _Checkboxes(_l("Who may give ratings for the person"), coerce=int, choices=[])

    def validate_decided_on(self, field):
        if field.data is None:
            raise ValidationError(str(BEST_INTERESTS_DATE_REQUIRED))


class ConsentForm(PortalForm):
    """The person's choices; one checkbox group a member, read from request.form."""


class ProxyRatingForm(RatingForm):
    comment = TextAreaField(_l("Your comment (you do not have to write one)"),
                            validators=[Optional(), Length(max=1000,
                                                           message=PROXY_COMMENT_TOO_LONG)])


class SaveForm(PortalForm):
    """Only the form token: "Yes, save it"."""


class FollowUpForm(PortalForm):
    note = TextAreaField(_l("What was done"), validators=[
        DataRequired(message=FOLLOW_UP_NOTE_REQUIRED),
        Length(max=2000, message=FOLLOW_UP_NOTE_TOO_LONG)])


