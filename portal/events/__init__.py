"""Listening events for self-advocacy groups.

facilitator.py: the facilitator's screens (set up, live view, group mode, close);
invite.py the invite and poster; report.py the report. participants.py: joining with a
code and answering anonymously on the same question screens as everyone else.
activities.py: the participant's menu, and the mats and ratings (the signed-in person's
screens, owned by the participant: owner.py). codes.py and counts.py are plain functions;
store.py reads and writes the rows.
"""

from flask import Blueprint

bp = Blueprint("events", __name__, template_folder="templates")

from portal.events import (  # noqa: E402,F401
    activities,
    facilitator,
    invite,
    participants,
    report,
)
