from flask import Blueprint

bp = Blueprint("settings", __name__, template_folder="templates")

from portal.settings import routes  # noqa: E402,F401
