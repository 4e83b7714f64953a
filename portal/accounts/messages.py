"""Whole-sentence messages for accounts and set-up links, in one place."""

from flask_babel import lazy_gettext as _l

PASSWORD_REQUIRED = _l("Enter a password.")
PASSWORD_TOO_SHORT = _l("Your password needs at least 10 characters.")
PASSWORD_TOO_LONG = _l("Your password is too long. Please use 200 characters or fewer.")
PASSWORD_IS_USERNAME = _l("Your password cannot be the same as your username.")
PASSWORD_TOO_COMMON = _l(
    "This is one of the most common passwords, so it is easy to guess. Please choose another."
)

NAME_REQUIRED = _l("Enter the person's name.")
USERNAME_NEEDED = _l("Enter a username.")
USERNAME_SHAPE = _l(
    "A username has 3 to 80 letters, numbers, dots, dashes or underscores, and no spaces."
)
USERNAME_TAKEN = _l(
    "That username is taken, in capital or small letters. Please choose another username."
)
EMAIL_SHAPE = _l("Enter an email address like name@example.org, or leave it empty.")
ROLE_REQUIRED = _l("Choose what this account is for.")
LAST_ADMIN = _l(
    "This is the only active admin account. Make another admin account first, so that "
    "someone can still run the portal."
)

ACCOUNT_DEACTIVATED = _l(
    "The account is deactivated. It is signed out on every device and cannot sign in."
)
ACCOUNT_REACTIVATED = _l("The account works again. It can sign in with its password.")
ACCOUNT_UNLOCKED = _l("Sign-in is unlocked. The account can try again now.")
ACCOUNT_SAVED = _l("The changes are saved.")
