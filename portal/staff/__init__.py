from flask import Blueprint

bp = Blueprint("staff", __name__, template_folder="templates")

from portal.staff import routes  # noqa: E402,F401
