"""Admin pages for easy-read content: see every item in both languages, change its
picture, and reach its recordings."""

from flask import Blueprint

bp = Blueprint("content_admin", __name__, url_prefix="/admin/content", template_folder="templates")

from portal.content_admin import routes  # noqa: E402,F401
