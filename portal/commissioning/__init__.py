"""The commissioner's dashboard and exports (issue 8).

Thin routes (routes.py: read the filters, fetch, render or send) over: filters.py (the
query string checked, and the choices), labels.py (the words for the codes, and the rule),
presenters.py (tables and charts from suppressed results), exports.py (CSV and XLSX bytes),
and the queries: data.py, themes.py and trends.py over aggregate.py, rollups.py and
disclosure.py. The admin's commissioner areas are in admin.py, "you said, we did" in
you_said.py."""

from flask import Blueprint

bp = Blueprint("commissioning", __name__, url_prefix="/commissioner",
               template_folder="templates")

from portal.commissioning import routes, you_said  # noqa: E402,F401
