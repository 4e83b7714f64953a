"""The commissioner's dashboard and exports (issue 8): thin routes over portal/aggregate.py,
portal/disclosure.py and portal/commissioning/views.py."""

from flask import Blueprint

bp = Blueprint("commissioning", __name__, url_prefix="/commissioner",
               template_folder="templates")

from portal.commissioning import routes  # noqa: E402,F401
