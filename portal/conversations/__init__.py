"""What Matters conversations: one question a screen, every answer saved as it is given.

The person's own screens, the practitioner's, and the summary ("What matters to me")
with its one-page PDF. The flow itself is plain functions in flow.py; store.py reads and
writes the rows.
"""

from flask import Blueprint

bp = Blueprint("conversations", __name__, url_prefix="/conversations", template_folder="templates")

from portal.conversations import practitioner, routes, summary  # noqa: E402,F401
