"""Hand the tablet over on a visit (issue 15): a signed-in practitioner or supporter gives
their tablet to a person; until they type their own password to take it back, the tablet
shows only that person's own easy-read screens, and what the person saves is theirs, with
who was there (portal/models/handover.py)."""

from flask import Blueprint

bp = Blueprint("tablet", __name__, template_folder="templates")

from portal.handover import routes  # noqa: E402,F401
