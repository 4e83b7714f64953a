"""The sign-in pages' whole-sentence messages (kept here, not in portal/core/messages.py, so the
sign-in work stays in one package)."""

from flask_babel import lazy_gettext as _l

PICK_THREE = _l("Please pick 3 pictures.")
PICTURES_WRONG = _l("Those pictures are not right. Please try again.")
CARD_MADE = _l("The new card is ready. Print it now. Any old card does not work now.")
CARD_REVOKED = _l("The card does not work now. Nobody can sign in with it.")
CARD_UNLOCKED = _l("The card works again.")
NO_CARD = _l("There is no card to print. Please make a new card.")
PASSKEY_FAILED = _l("Signing in with this tablet did not work. Please try again.")
PASSKEY_SETUP_FAILED = _l("Setting up the tablet did not work. Please try again.")
PASSKEYS_REMOVED = _l("Their tablets cannot sign them in now.")
