"""`flask --app portal users …`: the first admin, and accounts from the command line.

Works with PORTAL_ENV=production. It never prints or asks for a password: it prints a
one-time set-up link (on PORTAL_BASE_URL) where the account holder chooses their own.
Every command is in the audit log, with no account as the doer (the command line)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from portal.accounts import store
from portal.accounts.forms import USERNAME_PATTERN
from portal.core.extensions import db
from portal.models import Role
from portal.models.setup_links import SETUP_LINK_HOURS


def _link(token: str) -> str:
    from portal.core.urls import public_url

    # url_for needs a request to build a path; the public address comes from the settings.
    with current_app.test_request_context():
        return public_url("accounts.set_up", token=token)


def _account(username: str):
    user = store.by_username(username)
    if user is None or user.role == Role.PERSON:
        raise click.ClickException(f"There is no staff account called {username!r}.")
    return user


def _say_link(username: str, token: str) -> None:
    click.echo(f"Set-up link for {username} (works once, for {SETUP_LINK_HOURS} hours):")
    click.echo(_link(token))
    click.echo("Open it to choose the password. Nobody else needs to know it.")


@click.group()
def users():
    """Staff accounts: create the first admin, list, deactivate, reset."""


@users.command("create-admin")
@click.argument("username")
@click.option("--name", "display_name", help="The admin's name as shown (default: USERNAME).")
@click.option("--email", default=None, help="An email address, for your records.")
@with_appcontext
def create_admin(username: str, display_name: str | None, email: str | None):
    """Make an admin account and print its one-time set-up link."""
    import re

    if not re.fullmatch(USERNAME_PATTERN, username):
        raise click.ClickException(
            "A username has 3 to 80 letters, numbers, dots, dashes or underscores.")
    try:
        user, token = store.create_account(
            username=username, display_name=display_name or username, role=Role.ADMIN,
            email=email, by=None, command="create-admin")
    except store.UsernameTaken:
        db.session.rollback()
        raise click.ClickException(
            f"There is already an account called {username!r} (in some letter case). "
            f"To give it a new set-up link: flask --app portal users reset {username}") from None
    db.session.commit()
    click.echo(f"Admin account {user.username} made.")
    _say_link(user.username, token)


@users.command("list")
@with_appcontext
def list_users():
    """Every staff account: username, role, state and name."""
    for user in store.staff_accounts():
        state = ("deactivated" if not user.active
                 else "active" if user.has_password else "waiting for a password")
        click.echo(f"{user.username}\t{user.role}\t{state}\t{user.display_name}")


@users.command("deactivate")
@click.argument("username")
@with_appcontext
def deactivate(username: str):
    """Sign a leaver out of every device at once; they cannot sign in. Records stay."""
    user = _account(username)
    if not user.active:
        click.echo(f"{user.username} is already deactivated.")
        return
    try:
        store.deactivate(user, None, command="deactivate")
    except store.LastAdmin:
        db.session.rollback()
        raise click.ClickException(
            f"{user.username} is the only active admin: make another admin first.") from None
    held = store.holdings(user)
    db.session.commit()
    click.echo(f"{user.username} is deactivated and signed out everywhere.")
    if held.anything:
        click.echo(f"To hand over: {len(held.people)} people on their list, "
                   f"{len(held.follow_ups)} open safety follow-ups, "
                   f"{len(held.events)} open events.")


@users.command("reset")
@click.argument("username")
@with_appcontext
def reset(username: str):
    """A new set-up link; the old password and every signed-in session end now."""
    user = _account(username)
    token = store.reset(user, None, command="reset")
    db.session.commit()
    _say_link(user.username, token)
    if not user.active:
        click.echo("The account is deactivated: the link works once an admin reactivates it.")
