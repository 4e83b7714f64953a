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
CHOOSE_ONE = _l("Choose one answer.")

# Picture uploads (portal/uploads/images.py, portal/content_admin/)
PICTURE_REQUIRED = _l("Choose a picture to upload.")
PICTURE_NOT_A_PICTURE = _l("This file is not a picture. Please choose a photo or a drawing.")
PICTURE_TOO_BIG = _l("This picture is too big. Please choose a file smaller than 8 MB.")
PICTURE_TOO_MANY_PIXELS = _l(
    "This picture has too many pixels. Please make it smaller or choose another one."
)
PICTURE_TOO_SMALL = _l("This picture is too small. Please choose a bigger one.")
PICTURE_CHANGED = _l("The new picture is saved. It shows on every page now.")
PICTURE_BACK_TO_LIBRARY = _l("The picture from the picture library is back.")

# Human recordings (portal/speech/)
RECORDING_LABEL = _l("Recording")
RECORDING_REQUIRED = _l("Choose a recording to upload.")
RECORDING_EMPTY = _l("This file is empty. Please choose a recording.")
RECORDING_TOO_BIG = _l("This recording is too big. Please choose a file smaller than 5 MB.")
RECORDING_WRONG_TYPE = _l(
    "This file is not a recording we can play. Please choose an OGG, MP3, WAV, WebM or M4A file."
)
RECORDING_SAVED = _l("The recording is saved. People hear it instead of the computer voice.")
RECORDING_REMOVED = _l("The recording is removed. People hear the computer voice again.")
