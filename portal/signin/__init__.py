"""A person's sign-in without a memory test (issue 15): a passkey on their own tablet, and
a sign-in card with their own three pictures on a shared tablet. The practitioner sets
both up from the person's "Ways to sign in" page (manage.py); the person's own pages are
in card.py and tablet.py."""

from flask import Blueprint

bp = Blueprint("signin", __name__, template_folder="templates")

from portal.signin import card, manage, tablet  # noqa: E402,F401
