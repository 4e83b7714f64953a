"""Display names for stored codes, translated at render time."""

from flask_babel import lazy_gettext as _l

RELATION_LABELS = {
    "family": _l("Family"),
    "friend": _l("Friend"),
    "paid_carer": _l("Paid carer"),
    "advocate": _l("Advocate"),
    "professional": _l("Professional"),
}

ROLE_LABELS = {
    "person": _l("Person"),
    "supporter": _l("Supporter"),
    "practitioner": _l("Practitioner"),
    "facilitator": _l("Facilitator"),
    "commissioner": _l("Commissioner"),
    "admin": _l("Admin"),
}


def relation_label(code: str) -> str:
    return str(RELATION_LABELS.get(code, code))


def role_label(code: str) -> str:
    return str(ROLE_LABELS.get(code, code))
