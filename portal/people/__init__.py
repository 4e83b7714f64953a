"""People and caseloads (issue 15): a practitioner adds a person and changes their details;
an admin sees every practitioner's list and moves a person to another list."""

from flask import Blueprint

bp = Blueprint("people", __name__, template_folder="templates")

from portal.people import caseloads, routes  # noqa: E402,F401
