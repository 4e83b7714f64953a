from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from portal.core.forms import PortalForm
from portal.core.messages import PASSWORD_REQUIRED, TOO_LONG, USERNAME_REQUIRED


class LoginForm(PortalForm):
    username = StringField(
        _l("Username"),
        validators=[DataRequired(message=USERNAME_REQUIRED), Length(max=80, message=TOO_LONG)],
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(message=PASSWORD_REQUIRED), Length(max=200, message=TOO_LONG)],
    )


class LogoutForm(PortalForm):
    """Signing out is a POST with a CSRF token, so another site cannot sign you out."""
