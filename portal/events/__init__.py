"""Listening events for self-advocacy groups.

facilitator.py: the facilitator's screens (set up, invite, live view, group mode, close,
report). participants.py: joining with a code and answering anonymously on the same
question screens as everyone else. codes.py and counts.py are plain functions; store.py
reads and writes the rows.
"""

from flask import Blueprint

bp = Blueprint("events", __name__, template_folder="templates")

from portal.events import facilitator, participants, report  # noqa: E402,F401
