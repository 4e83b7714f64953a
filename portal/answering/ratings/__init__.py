"""Outcome ratings: how true each National Well-being statement is for the person."""

from flask import Blueprint

bp = Blueprint("ratings", __name__, url_prefix="/me/how-true", template_folder="templates")

from portal.answering.ratings import routes  # noqa: E402,F401
