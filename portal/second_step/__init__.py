"""Staff sign-in's second step (issue 15): a code from an app on the phone, or a backup
code. sign_in.py is the step itself (half-signed-in: see half_signed_in.py), account.py
a member of staff's own page, admin.py an admin's reset of someone's lost second step."""

from flask import Blueprint

bp = Blueprint("second_step", __name__, template_folder="templates")

from portal.second_step import account, admin, sign_in  # noqa: E402,F401
