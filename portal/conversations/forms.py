"""Forms of the conversation screens. Choices that come from content are set per request."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectMultipleField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import InputRequired

from portal.core.forms import PortalForm
from portal.core.messages import CHOOSE_ONE, CONVERSATION_UNKNOWN_CARD


def _values(choices) -> set[str]:
    return {str(choice[0]) for choice in choices or ()}


class _KindRadioField(RadioField):
    """A radio group whose refusal of an unknown value is kind and translated."""

    def pre_validate(self, form):
        if self.data is not None and str(self.data) not in _values(self.choices):
            raise ValidationError(str(CHOOSE_ONE))


class _KindPicturesField(SelectMultipleField):
    def pre_validate(self, form):
        if any(str(value) not in _values(self.choices) for value in self.data or ()):
            raise ValidationError(str(CONVERSATION_UNKNOWN_CARD))


class AnswerForm(PortalForm):
    # Cards are checked against the question's own cards in flow.decide (the route shows
    # its message), so that pressing "Skip" never fails on them.
    cards = SelectMultipleField(
        _l("Choose pictures. You can choose more than one."), validate_choice=False
    )
    # Yes / Not sure / No, on a question that asks yes or no (checked in flow.decide too).
    point = RadioField(CHOOSE_ONE, validate_choice=False)
    words = TextAreaField(_l("Type or say your words"))
    typed_for_person = BooleanField(_l("Someone typed this for me"))
    # The version of the question on the screen, so the answer points at those words.
    shown_item = HiddenField()


class WhoForm(PortalForm):
    who = _KindRadioField(_l("Who is with you today?"), validators=[InputRequired(CHOOSE_ONE)])


class ShareForm(PortalForm):
    share = _KindRadioField(
        _l("Can we share your words with the council?"),
        choices=[("no", _l("No, do not share my words")),
                 ("yes", _l("Yes, you can share my words"))],
        validators=[InputRequired(CHOOSE_ONE)],
    )


class TagForm(PortalForm):
    themes = _KindPicturesField(_l("Choose the themes in these words."))
