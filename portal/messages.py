"""Whole-sentence messages, kept in one place.

Never build a message from pieces: Welsh mutations make f"Enter {thing}" untranslatable.
"""

from flask_babel import lazy_gettext as _l

FORM_EXPIRED = _l(
    "This page was open for a long time. We kept what you typed. Please press the button again."
)
USERNAME_REQUIRED = _l("Enter your username.")
PASSWORD_REQUIRED = _l("Enter your password.")
SIGN_IN_WRONG = _l("Your username or password is not right. Please try again.")
TOO_LONG = _l("This is too long. Please use fewer letters.")
