"""Whole-sentence messages of the people and caseload pages (kept in this package so the
work stays in one place)."""

from flask_babel import lazy_gettext as _l

NAME_REQUIRED = _l("Enter the person's name.")
NAME_TOO_LONG = _l("The name is too long. Please use 120 letters or fewer.")
AREA_REQUIRED = _l("Choose the council where the person lives.")
DATE_OF_BIRTH_INVALID = _l(
    "Enter the date of birth as a real date, for example 27 3 1990. Or leave it empty.")
DATE_OF_BIRTH_FUTURE = _l("The date of birth cannot be in the future. Please check it.")
DATE_OF_BIRTH_TOO_EARLY = _l("The date of birth must be after 1900. Please check the year.")
PERSON_ADDED = _l("The person is added. They are on your list now.")
PERSON_SAVED = _l("Their details are saved.")
PRACTITIONER_REQUIRED = _l("Choose the practitioner whose list the person moves to.")
PERSON_MOVED = _l("The person is on the new practitioner's list now.")
