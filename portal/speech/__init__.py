"""Speech: every easy-read sentence can be heard, in Welsh and in English.

Clips are rendered at build time (`flask --app portal easyread build`, see render.py) and
served as files; a request never runs the speech engine. An admin's upload of a person's
recording replaces the synthetic clip for that sentence.
"""

from flask import Blueprint

from portal.speech.keys import text_key
from portal.speech.store import audio_url

bp = Blueprint("speech", __name__, template_folder="templates")
# A global (not a context variable) so that imported macros can use it too.
bp.add_app_template_global(audio_url, "audio_url")

__all__ = ["audio_url", "bp", "text_key"]

from portal.speech import routes  # noqa: E402,F401
