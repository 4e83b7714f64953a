"""`flask --app portal second-step reset NAME`: for when no admin can sign in to reset a
lost second step (the only admin lost their phone and their backup codes). Whoever can run
commands on the server can do this; it is in the audit log like an admin's reset."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select

from portal.core.extensions import db
from portal.models import AuditAction, AuditEntry, User
from portal.second_step import store


@click.group("second-step")
def second_step():
    """Staff sign-in's second step."""


@second_step.command("reset")
@click.argument("username")
@with_appcontext
def reset_command(username: str):
    """Reset USERNAME's second step: they set it up again at their next sign-in."""
    user = db.session.scalar(select(User).where(func.lower(User.username) == username.lower()))
    if user is None or not store.may_have(user):
        raise click.ClickException(f"No staff account is called {username!r}.")
    store.reset(user)
    # No request, so no signed-in admin: the entry says it came from the command line.
    db.session.add(AuditEntry(user_id=None, role="", action=str(AuditAction.SECOND_STEP_RESET),
                              person_id=None, account_id=user.id, endpoint="cli:second-step reset",
                              method="CLI"))
    db.session.commit()
    click.echo(f"{user.username}: second step reset; they set it up again at their next sign-in.")
