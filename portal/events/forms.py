"""Forms of the listening-event screens. Choices from the database are set per request."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from portal.core.forms import PortalForm
from portal.core.messages import (
    CHOOSE_ONE,
    EVENT_CODE_REQUIRED,
    EVENT_DATE_REQUIRED,
    EVENT_TITLE_CY_REQUIRED,
    EVENT_TITLE_REQUIRED,
    EVENT_VENUE_REQUIRED,
    TOO_LONG,
)
from portal.models import AgeBand

RESET_CHOICES = [("", _l("Never")), ("2", _l("After 2 minutes")),
                 ("5", _l("After 5 minutes")), ("10", _l("After 10 minutes"))]

AGE_BANDS = [
    (AgeBand.AGE_16_24.value, "16–24"),
    (AgeBand.AGE_25_34.value, "25–34"),
    (AgeBand.AGE_35_49.value, "35–49"),
    (AgeBand.AGE_50_64.value, "50–64"),
    (AgeBand.AGE_65_UP.value, "65+"),
    (AgeBand.NOT_SAID.value, _l("I'd rather not say")),
]


class _KindDateField(DateField):
    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(str(EVENT_DATE_REQUIRED)) from None


class _KindSelect(SelectField):
    def pre_validate(self, form):
        if str(self.data) not in {str(value) for value, _label in self.choices or ()}:
            raise ValidationError(str(CHOOSE_ONE))


class _KindRadio(RadioField):
    def pre_validate(self, form):
        if self.data not in (None, "") and str(self.data) not in {
            str(value) for value, _label in self.choices or ()
        }:
            raise ValidationError(str(CHOOSE_ONE))


class _KindMultiple(SelectMultipleField):
    """Zero or more of the choices; anything else is refused with a clear message."""

    def pre_validate(self, form):
        known = {str(value) for value, _label in self.choices or ()}
        if any(str(value) not in known for value in self.data or ()):
            raise ValidationError(str(CHOOSE_ONE))


class EventForm(PortalForm):
    title_en = StringField(_l("Name of the event in English"), validators=[
        DataRequired(EVENT_TITLE_REQUIRED), Length(max=120, message=TOO_LONG)])
    title_cy = StringField(_l("Name of the event in Welsh"), validators=[
        DataRequired(EVENT_TITLE_CY_REQUIRED), Length(max=120, message=TOO_LONG)])
    description_en = TextAreaField(_l("What the event is about, in English"), validators=[
        Optional(), Length(max=1000, message=TOO_LONG)])
    description_cy = TextAreaField(_l("What the event is about, in Welsh"), validators=[
        Optional(), Length(max=1000, message=TOO_LONG)])
    event_date = _KindDateField(_l("Date"), validators=[InputRequired(EVENT_DATE_REQUIRED)])
    venue = StringField(_l("Where"), validators=[
        DataRequired(EVENT_VENUE_REQUIRED), Length(max=200, message=TOO_LONG)])
    area = _KindSelect(_l("Local authority"), choices=[])
    conversation = _KindRadio(_l("Which conversation"), choices=[],
                              validators=[InputRequired(CHOOSE_ONE)])
    mats = _KindMultiple(_l("Which picture mats people can do (you can choose none)"), choices=[])
    use_ratings = BooleanField(_l("Also ask people how true the well-being sentences are"))
    reset_minutes = _KindSelect(_l("Reset a tablet when nobody touches it"),
                                choices=RESET_CHOICES, default="")


class JoinForm(PortalForm):
    code = StringField(_l("Event code"), validators=[
        DataRequired(EVENT_CODE_REQUIRED), Length(max=20, message=EVENT_CODE_REQUIRED)])


class AgreeForm(PortalForm):
    age_band = _KindRadio(_l("How old are you? You do not have to say."),
                          choices=AGE_BANDS, validators=[Optional()])


class GroupForm(PortalForm):
    """The question group mode shows (a question key), or nothing to end group mode."""

    question = StringField(validators=[Optional(), Length(max=80, message=TOO_LONG)])
