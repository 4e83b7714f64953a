"""The commissioner's dashboard and exports (issue 8): thin routes over
portal/commissioning/aggregate.py,
portal/commissioning/disclosure.py and portal/commissioning/data.py, themes.py, trends.py; the
admin's commissioner areas are in admin.py, "you said, we did" in you_said.py."""

from flask import Blueprint

bp = Blueprint("commissioning", __name__, url_prefix="/commissioner",
               template_folder="templates")

from portal.commissioning import routes, you_said  # noqa: E402,F401
