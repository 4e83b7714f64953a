"""Picture mats: the person moves picture cards under the points of a scale."""

from flask import Blueprint

bp = Blueprint("mats", __name__, url_prefix="/me/mats", template_folder="templates")

from portal.answering.mats import routes  # noqa: E402,F401
