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

# What Matters conversations (portal/conversations/)
CONVERSATION_EMPTY_ANSWER = _l(
    "Choose a picture or type your words. You can also press “I don't know” or “Skip”."
)
CONVERSATION_WORDS_TOO_LONG = _l("Your words are too long. Please use 2000 letters or fewer.")
CONVERSATION_UNKNOWN_CARD = _l(
    "We do not know one of the pictures you chose. Please choose from the pictures on this page."
)
CONVERSATION_NOT_HERE = _l("This question is not part of this conversation.")
CONVERSATION_KEPT_AND_SAVED = _l("You signed in again. We saved what you typed.")
CONVERSATION_KEPT = _l("You signed in again. Here is what you typed. Please check it.")
CONVERSATION_STOPPED = _l("Your answers are saved. You can carry on another time.")
CONVERSATION_CHOICE_SAVED = _l("Your choice is saved.")
CONVERSATION_TAGS_SAVED = _l("The themes are saved.")

# Mats and outcome ratings (portal/answering/mats/, portal/answering/ratings/)
MAT_CARD_NOT_HERE = _l("This card is not on this mat. Please use the cards on this page.")
MAT_POINT_NOT_HERE = _l("This place is not on this mat. Please choose one of the pictures.")
MAT_SAVED_ALREADY = _l("This mat is saved already. You can start it again from My picture mats.")
MAT_NOTHING_PLACED = _l("Put at least one card on the mat before you save it.")
MAT_OWN_CARD_REQUIRED = _l("Write some words for your card.")
MAT_OWN_CARD_TOO_LONG = _l("Your words are too long. Please use 80 letters or fewer.")
MAT_OWN_CARD_TOO_MANY = _l("You have added 10 cards of your own. That is the most for one mat.")
MAT_OWN_CARD_ADDED = _l("Your card is added. Now put it on the mat.")
MAT_NOT_SAVED = _l("This was not saved. Please check the internet and try again.")
RATING_CHOOSE = _l("Choose an answer. Or press Skip to go on.")
RATING_NOT_A_CHOICE = _l("This answer is not one of the choices. Please choose a picture.")
RATING_NOT_HERE = _l("This sentence is not one of the questions. Please go back and try again.")
RATING_SAVED_ALREADY = _l("These answers are saved already. You can start again from your page.")

# Sessions (portal/core/sessions.py)
SIGNED_OUT_IDLE = _l(
    "You were signed out because you were away for a while. Nothing you saved is lost."
)

# Circle of support, consent and proxy ratings (portal/circle/)
CIRCLE_INVITE_UNKNOWN = _l("We cannot find this invite. Please ask for a new link.")
CIRCLE_INVITE_EXPIRED = _l(
    "This invite is too old. A link works for 7 days. Please ask for a new link."
)
CIRCLE_INVITE_USED = _l(
    "This invite has been used already. A link works once. Please ask for a new link."
)
CIRCLE_INVITE_WRONG_ROLE = _l("Only a supporter or a practitioner can join a circle of support.")
CIRCLE_ALREADY_MEMBER = _l("You are in this circle of support already.")
CIRCLE_NAME_REQUIRED = _l("Enter their name.")
CIRCLE_RELATION_REQUIRED = _l("Choose how they know the person.")
CIRCLE_YEARS_INVALID = _l("Enter a number of years from 0 to 100.")
CIRCLE_USERNAME_REQUIRED = _l("Choose a username.")
CIRCLE_USERNAME_TAKEN = _l("This username is taken. Please choose another one.")
CIRCLE_PASSWORD_SHORT = _l("Your password must have at least 10 letters, numbers or symbols.")
CIRCLE_PASSWORDS_DIFFERENT = _l("The two passwords are not the same. Please type them again.")
CONSENT_SAVED = _l("Your choices are saved.")
BEST_INTERESTS_CONSULTED_REQUIRED = _l("Enter who was consulted.")
BEST_INTERESTS_DATE_REQUIRED = _l("Enter the date of the decision, for example 2026-11-24.")
BEST_INTERESTS_REASON_REQUIRED = _l("Enter the reason for the decision.")
BEST_INTERESTS_SAVED = _l("The best-interests decision is saved.")
PROXY_NO_CONSENT = _l(
    "You cannot give ratings for this person yet. The person has to agree first, "
    "or their practitioner has to record a best-interests decision."
)
PROXY_COMMENT_TOO_LONG = _l("Your comment is too long. Please use 1000 letters or fewer.")
PROXY_SAVED = _l("Your ratings are saved.")
FOLLOW_UP_NOTE_REQUIRED = _l("Write a note about what was done.")
FOLLOW_UP_NOTE_TOO_LONG = _l("The note is too long. Please use 2000 letters or fewer.")

# Listening events (portal/events/)
EVENT_TITLE_REQUIRED = _l("Enter the name of the event in English.")
EVENT_TITLE_CY_REQUIRED = _l("Enter the name of the event in Welsh.")
EVENT_DATE_REQUIRED = _l("Enter the date of the event, for example 2025-03-27.")
EVENT_VENUE_REQUIRED = _l("Enter where the event is.")
EVENT_CREATED = _l("Your event is ready. Share the code or the QR code with the group.")
EVENT_CLOSED_NOW = _l("The event is closed. It takes no more answers.")
EVENT_CODE_REQUIRED = _l("Type the code. You can find it on the poster or the big screen.")
EVENT_CODE_WRONG = _l(
    "We cannot find an event with this code. Please check the code and try again."
)
EVENT_IS_CLOSED = _l("This event has finished. Thank you for coming. You cannot answer now.")
GROUP_QUESTION_NOT_HERE = _l("That question is not in this event. Choose Back or Next.")

# A person's rights and the audit log (portal/rights/)
ERASE_CONFIRM_REQUIRED = _l("Tick the box to say you are sure.")
NOT_A_NUMBER = _l("Enter a number, like 12.")
NOT_A_DATE = _l("Enter a date, like 2026-11-24.")
