"""Whole-sentence messages of the hand-over pages."""

from flask_babel import lazy_gettext as _l

TAKE_BACK_WRONG = _l("That password is not right. Please try again.")
TAKE_BACK_PASSWORD_REQUIRED = _l("Type your password to take the tablet back.")
TAKEN_BACK = _l("You have the tablet back. What the person saved is kept.")
