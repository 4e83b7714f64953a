from __future__ import annotations

from wtforms import HiddenField, RadioField
from wtforms.validators import Optional

from portal.core.forms import PortalForm
from portal.core.messages import RATING_CHOOSE, RATING_NOT_A_CHOICE

NEXT, SKIP = "next", "skip"


class RatingForm(PortalForm):
    """One statement: a point of its scale or "I don't know"; "Skip" needs no answer."""

    statement = HiddenField()
    shown = HiddenField()
    answer = RadioField(validate_choice=False, validators=[Optional()])

    def check_answer(self, allowed: list[str], action: str) -> bool:
        if action == SKIP:
            return True
        if not self.answer.data:
            self.answer.errors = [*self.answer.errors, str(RATING_CHOOSE)]
            return False
        if self.answer.data not in allowed:
            self.answer.errors = [*self.answer.errors, str(RATING_NOT_A_CHOICE)]
            return False
        return True


class SaveForm(PortalForm):
    """Only the form token: "Yes, save it"."""
