"""Circle of support: members and invites, consent, proxy ratings, self and proxy side by
side, safety follow-ups (issue 6)."""

from flask import Blueprint

bp = Blueprint("circle", __name__, template_folder="templates")

from portal.circle import proxy, routes, sidebyside_routes  # noqa: E402,F401
