from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from portal.core.forms import PortalForm
from portal.core.messages import ERASE_CONFIRM_REQUIRED, NOT_A_DATE, NOT_A_NUMBER, TOO_LONG


class EraseForm(PortalForm):
    confirm = BooleanField(
        _l("I am sure. Delete everything about this person."),
        validators=[DataRequired(message=ERASE_CONFIRM_REQUIRED)],
    )


def _a_date(_form, field) -> None:
    try:
        date.fromisoformat(field.data)
    except ValueError:
        raise ValidationError(str(NOT_A_DATE)) from None


# Text fields, not IntegerField/DateField: what was typed stays on screen when it is wrong,
# and the message is ours, in the page's language (WTForms' own are English only).
_NUMBER = [Optional(), Regexp(r"^\d{1,9}$", message=NOT_A_NUMBER)]


class AuditFilterForm(PortalForm):
    """The filters of the audit log: a GET form (nothing changes), so no form token."""

    class Meta:
        csrf = False

    person = StringField(_l("Person number"), validators=_NUMBER)
    user = StringField(_l("Account: its number or username"), validators=[
        Optional(), Length(max=80, message=TOO_LONG)])
    action = SelectField(_l("What was done"), validators=[Optional()], validate_choice=False)
    since = StringField(_l("From"), validators=[Optional(), _a_date])
    until = StringField(_l("To"), validators=[Optional(), _a_date])

    def as_values(self) -> dict:
        """The valid filters as numbers and dates (None where not given)."""
        return {
            "person_id": int(self.person.data) if self.person.data else None,
            "user": self.user.data or None,
            "since": date.fromisoformat(self.since.data) if self.since.data else None,
            "until": date.fromisoformat(self.until.data) if self.until.data else None,
        }
