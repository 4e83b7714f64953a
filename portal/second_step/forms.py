from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, StringField
from wtforms.validators import DataRequired, Length

from portal.core.forms import PortalForm
from portal.second_step.messages import CODE_REQUIRED, CODE_TOO_LONG


class CodeForm(PortalForm):
    """The app's 6 numbers, or a backup code (spaces and dashes do not matter)."""

    code = StringField(
        _l("Code"),
        validators=[DataRequired(message=CODE_REQUIRED), Length(max=40, message=CODE_TOO_LONG)],
    )


class ButtonForm(PortalForm):
    """A button that changes something: only its CSRF token."""


class PasskeyForm(PortalForm):
    """The browser's answer (JSON) from the passkey (static/js/passkey.js fills it in)."""

    credential = HiddenField()
