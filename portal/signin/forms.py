from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectMultipleField, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from portal.core.forms import PortalForm
from portal.signin.cards import CHOSEN
from portal.signin.messages import PICK_THREE
from portal.signin.pictures import CARD_PICTURES


class PictureField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form):
        # WTForms' own "not a valid choice" is English only; any unknown value is just wrong.
        offered = {str(value) for value, *_rest in self.choices}
        picked = self.data or []
        if len(set(picked)) != CHOSEN or len(picked) != CHOSEN or not set(picked) <= offered:
            raise ValidationError(str(PICK_THREE))


class ChoosePicturesForm(PortalForm):
    """The person picks their own three pictures (with the practitioner beside them)."""

    pictures = PictureField(_l("Pick your 3 pictures"),
                            choices=[(name, name) for name in CARD_PICTURES])


class CardSignInForm(PortalForm):
    """The card's page: the nine pictures are set per card, in the view."""

    pictures = PictureField(_l("Pick your 3 pictures"), choices=[])


class ButtonForm(PortalForm):
    """A form that is only a button (make a code, revoke, unlock): CSRF is all it carries."""


class PasskeyForm(PortalForm):
    """The browser's answer (JSON) from the tablet's fingerprint, face or PIN."""

    credential = HiddenField()
