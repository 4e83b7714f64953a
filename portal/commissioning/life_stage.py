"""A person's life stage for the aggregate, from their date of birth (issue 15).

The date of birth is never published: it only picks one of the age bands the aggregate
already uses for event participants (portal/commissioning/aggregate.py AGE_BANDS), at the moment the
person answered (a rating session's or conversation's finish), so a rating stays in the
band it was given in as the person grows older. Without a date of birth, or for someone
younger than the youngest band, the band is "unknown", as for a participant who did not
say: the bands are for adults and young people from 16, and a child is never picked out.
"""

from __future__ import annotations

from datetime import date, datetime

from portal.commissioning.aggregate import UNKNOWN_AGE

# (youngest age in the band, band code), oldest first.
_BANDS = ((65, "65+"), (50, "50-64"), (35, "35-49"), (25, "25-34"), (16, "16-24"))


def age_on(date_of_birth: date, when: date) -> int:
    """Whole years between the two dates (a birthday on 29 February counts on 1 March)."""
    before_birthday = (when.month, when.day) < (date_of_birth.month, date_of_birth.day)
    return when.year - date_of_birth.year - int(before_birthday)


def band(date_of_birth: date | None, when: date | datetime) -> str:
    if date_of_birth is None:
        return UNKNOWN_AGE
    if isinstance(when, datetime):
        when = when.date()
    if date_of_birth > when:
        return UNKNOWN_AGE
    age = age_on(date_of_birth, when)
    for youngest, code in _BANDS:
        if age >= youngest:
            return code
    return UNKNOWN_AGE
