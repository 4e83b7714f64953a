from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, SelectField, StringField, ValidationError
from wtforms.validators import DataRequired, Length, Optional, Regexp

from portal.accounts import messages
from portal.accounts.passwords import MAX_LENGTH
from portal.accounts.store import STAFF_ROLES
from portal.commissioning.areas import AreasField
from portal.core.forms import PortalForm
from portal.core.labels import ROLE_LABELS
from portal.core.messages import TOO_LONG

# Plain letters, so no two usernames look alike but differ (a Cyrillic "а", a space).
USERNAME_PATTERN = r"^[A-Za-z0-9._-]{3,80}$"
# Something@something.something, no spaces: enough to catch a slip; the portal sends no mail.
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


class _RoleField(SelectField):
    def pre_validate(self, form):
        if self.data not in {str(role) for role in STAFF_ROLES}:
            raise ValidationError(str(messages.ROLE_REQUIRED))


def role_choices() -> list[tuple[str, str]]:
    return [("", _l("Choose one")), *((str(r), ROLE_LABELS[str(r)]) for r in STAFF_ROLES)]


def _name():
    return StringField(_l("Name"), validators=[
        DataRequired(message=messages.NAME_REQUIRED), Length(max=120, message=TOO_LONG)])


def _email():
    return StringField(_l("Email address (optional)"), validators=[
        Optional(), Length(max=254, message=TOO_LONG),
        Regexp(EMAIL_PATTERN, message=messages.EMAIL_SHAPE)])


class NewAccountForm(PortalForm):
    display_name = _name()
    username = StringField(_l("Username"), validators=[
        DataRequired(message=messages.USERNAME_NEEDED),
        Regexp(USERNAME_PATTERN, message=messages.USERNAME_SHAPE)])
    role = _RoleField(_l("What is this account for?"), choices=[])
    email = _email()
    areas = AreasField(_l("Areas a commissioner sees"), choices=[])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = role_choices()


class EditAccountForm(PortalForm):
    display_name = _name()
    role = _RoleField(_l("What is this account for?"), choices=[])
    email = _email()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = role_choices()


class ButtonForm(PortalForm):
    """A button that changes something: a POST with its CSRF token."""


class SetUpForm(PortalForm):
    password = PasswordField(_l("Your new password"), validators=[
        DataRequired(message=messages.PASSWORD_REQUIRED),
        Length(max=MAX_LENGTH, message=messages.PASSWORD_TOO_LONG)])
