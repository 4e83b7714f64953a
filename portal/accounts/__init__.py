"""Staff accounts into service (issue 15): the `users` commands, the admin's account pages,
one-time set-up links where the account holder chooses their own password, and a session
version that signs an account out of every device at once.

store.py holds the rules (pure of Flask routes, used by the pages and the commands alike);
admin.py and setup.py are thin routes; cli.py is the `users` command group."""

from flask import Blueprint

bp = Blueprint("accounts", __name__, template_folder="templates")

from portal.accounts import admin, setup  # noqa: E402,F401
