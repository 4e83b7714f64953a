"""A person's rights (issue 9): see what is held about them, export it (JSON and easy
read PDF), erase it; and the audit log for admins."""

from flask import Blueprint

bp = Blueprint("rights", __name__, template_folder="templates")

from portal.rights import audit_log, routes  # noqa: E402,F401
