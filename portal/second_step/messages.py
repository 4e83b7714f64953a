"""The second step's whole-sentence messages, kept with the feature."""

from flask_babel import lazy_gettext as _l

CODE_REQUIRED = _l("Type the code.")
CODE_WRONG = _l("That code is not right. Please try again.")
CODE_TOO_LONG = _l("That code is too long. Please type the 6 numbers from the app.")
PASSWORD_FIRST = _l("Please type your username and password first.")
TOOK_TOO_LONG = _l("You took too long. Please sign in again.")
TURNED_OFF = _l("The second step is off. You sign in with your password only.")
MUST_KEEP = _l("Your account must have a second step. You cannot turn it off.")
RESET_DONE = _l("The second step is reset. They set it up again when they next sign in.")
NEW_CODES_DONE = _l("Here are your new backup codes. The old ones do not work now.")
PASSKEY_FAILED = _l("The passkey did not work. Please try again, or type a code.")
PASSKEY_ADDED = _l("Your passkey is added. It can be your second step now.")
PASSKEY_NOT_ADDED = _l("Adding the passkey did not work. Please try again.")
PASSKEYS_REMOVED = _l("Your passkeys are removed. They cannot be your second step now.")
