"""The forms of the people pages. Choices that come from the database (councils,
practitioners) are set per request by the view."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField, ValidationError
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from portal.core.forms import KindRadioField, PortalForm
from portal.core.messages import CHOOSE_ONE
from portal.core.preferences import SPEECH_RATES, TEXT_SIZES
from portal.people import messages

EARLIEST_BIRTH = date(1900, 1, 1)


class KindSelectField(SelectField):
    """A select that refuses a value it does not offer with the page's own message."""

    def __init__(self, *args, refuse_message=CHOOSE_ONE, **kwargs):
        super().__init__(*args, **kwargs)
        self.refuse_message = refuse_message

    def pre_validate(self, form):
        offered = {str(value) for value, _label in self.choices if value != ""}
        if self.data not in (None, "") and str(self.data) not in offered:
            raise ValidationError(str(self.refuse_message))


class KindDateField(DateField):
    """A date whose "not a date" message is our own, in the page's language; what was
    typed stays in the box (DateField keeps the raw text for the page)."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            self.data = None
            raise ValueError(str(messages.DATE_OF_BIRTH_INVALID)) from error


class PersonForm(PortalForm):
    name = StringField(
        _l("Their name"),
        validators=[DataRequired(message=messages.NAME_REQUIRED),
                    Length(max=120, message=messages.NAME_TOO_LONG)])
    preferred_name = StringField(
        _l("What they like to be called (if it is not their name)"),
        validators=[Optional(), Length(max=120, message=messages.NAME_TOO_LONG)])
    language = KindRadioField(
        _l("Their language"), choices=[("cy", "Cymraeg"), ("en", "English")],
        validators=[InputRequired(message=CHOOSE_ONE)])
    local_authority = KindSelectField(
        _l("The council where they live"), refuse_message=messages.AREA_REQUIRED,
        validators=[DataRequired(message=messages.AREA_REQUIRED)])
    date_of_birth = KindDateField(_l("Date of birth (you can leave it empty)"),
                                  validators=[Optional()])
    pictures = KindRadioField(
        _l("Pictures"), choices=[("yes", _l("Show pictures")), ("no", _l("No pictures"))],
        validators=[InputRequired(message=CHOOSE_ONE)])
    text_size = KindRadioField(
        _l("Size of the words"),
        choices=list(zip(TEXT_SIZES, (_l("Normal"), _l("Big"), _l("Very big")), strict=True)),
        validators=[InputRequired(message=CHOOSE_ONE)])
    speech_rate = KindRadioField(
        _l("How fast the voice talks"),
        choices=list(zip(SPEECH_RATES, (_l("Slow"), _l("Normal"), _l("Fast")), strict=True)),
        validators=[InputRequired(message=CHOOSE_ONE)])

    def validate_date_of_birth(self, field):
        if field.data is None:
            return
        if field.data > date.today():
            raise ValidationError(str(messages.DATE_OF_BIRTH_FUTURE))
        if field.data < EARLIEST_BIRTH:
            raise ValidationError(str(messages.DATE_OF_BIRTH_TOO_EARLY))


class MoveForm(PortalForm):
    practitioner = KindSelectField(
        _l("Move to the list of"), refuse_message=messages.PRACTITIONER_REQUIRED,
        validators=[DataRequired(message=messages.PRACTITIONER_REQUIRED)])
