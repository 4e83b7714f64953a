from flask_babel import lazy_gettext as _l
from wtforms import PasswordField
from wtforms.validators import DataRequired, Length

from portal.core.forms import PortalForm
from portal.core.messages import TOO_LONG
from portal.handover.messages import TAKE_BACK_PASSWORD_REQUIRED


class GiveForm(PortalForm):
    """Only a button: CSRF is all it carries."""


class TakeBackForm(PortalForm):
    password = PasswordField(
        _l("Your password"),
        validators=[DataRequired(message=TAKE_BACK_PASSWORD_REQUIRED),
                    Length(max=200, message=TOO_LONG)])
