from flask import Blueprint

bp = Blueprint("person", __name__, url_prefix="/me", template_folder="templates")

from portal.person import routes  # noqa: E402,F401
