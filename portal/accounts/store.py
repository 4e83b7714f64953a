"""What can be done to a staff account, for the admin's pages and the `users` commands
alike. Each function changes the session and writes its audit entry; the caller commits
(or rolls back on an AccountError, which says in a whole sentence what is wrong)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app, has_request_context, request
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from portal.accounts import messages
from portal.answering.ratings.safety import open_follow_ups
from portal.core.clock import utcnow
from portal.core.extensions import db
from portal.core.tokens import new_token, token_hash
from portal.models import (
    AuditAction,
    AuditEntry,
    CircleMember,
    Event,
    LoginThrottle,
    Person,
    Role,
    SafetyFollowUp,
    SetupLink,
    User,
)
from portal.models.setup_links import SETUP_LINK_HOURS

# The accounts an admin makes here; a person's account comes with adding the person.
STAFF_ROLES = (Role.PRACTITIONER, Role.FACILITATOR, Role.COMMISSIONER, Role.SUPPORTER,
               Role.ADMIN)


class AccountError(Exception):
    def __init__(self, message):
        # Kept lazy: translated where it is shown (a page), never here (the command line).
        super().__init__()
        self.message = message


class UsernameTaken(AccountError):
    def __init__(self):
        super().__init__(messages.USERNAME_TAKEN)


class LastAdmin(AccountError):
    def __init__(self):
        super().__init__(messages.LAST_ADMIN)


def by_username(username: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.username) == username.lower()))


def staff_accounts() -> list[User]:
    return list(db.session.scalars(select(User).where(User.role != Role.PERSON)
                                   .order_by(User.role, func.lower(User.username))))


# --- The audit trail ---------------------------------------------------------------------


def _trail(action: AuditAction, account: User, by: User | None, command: str = "") -> None:
    """One entry: who did it (None for the `users` command), to which account."""
    if has_request_context():
        endpoint, method = request.endpoint or "", request.method
    else:
        endpoint, method = f"cli:users {command}".strip(), "CLI"
    db.session.add(AuditEntry(
        user_id=by.id if by else None, role=by.role if by else "", action=str(action),
        person_id=None, account_id=account.id, endpoint=endpoint[:120], method=method[:8]))


# --- Making accounts and set-up links ----------------------------------------------------


def create_account(*, username: str, display_name: str, role: str, email: str | None,
                   by: User | None, command: str = "") -> tuple[User, str]:
    """A new account with no password yet, and its set-up link's token (shown once)."""
    if by_username(username) is not None:
        raise UsernameTaken()
    user = User(username=username, display_name=display_name, role=str(role),
                email=email or None)
    user.clear_password()
    try:
        with db.session.begin_nested():  # two admins typing the same name at once
            db.session.add(user)
            db.session.flush()
    except IntegrityError:
        raise UsernameTaken() from None
    token = new_link(user, by)
    _trail(AuditAction.ACCOUNT_CREATED, user, by, command)
    return user, token


def new_link(user: User, by: User | None) -> str:
    """A new set-up link; any earlier link of the account stops working."""
    now = utcnow()
    for old in db.session.scalars(select(SetupLink).where(
            SetupLink.user_id == user.id, SetupLink.used_at.is_(None),
            SetupLink.expires_at > now)):
        old.expires_at = now
    token, hashed = new_token()
    db.session.add(SetupLink(token_hash=hashed, user_id=user.id,
                             created_by_id=by.id if by else None, created_at=now,
                             expires_at=now + timedelta(hours=SETUP_LINK_HOURS)))
    return token


def open_link(token: str) -> tuple[SetupLink | None, int]:
    """(the link, 200) when it works; (None, 404) when unknown; (link, 410) when used,
    expired, or its account deactivated."""
    if not token or len(token) > 200:
        return None, 404
    link = db.session.scalar(select(SetupLink).where(SetupLink.token_hash == token_hash(token)))
    if link is None:
        return None, 404
    return link, 200 if link.works_at(utcnow()) else 410


def set_password(link: SetupLink, password: str) -> None:
    """The account holder's own password, chosen on their set-up link (used up now)."""
    user = link.user
    link.used_at = utcnow()
    user.set_password(password)
    db.session.execute(delete(LoginThrottle).where(LoginThrottle.username == user.username.lower()))
    _trail(AuditAction.PASSWORD_SET, user, user)


# --- Changing an account -----------------------------------------------------------------


def _active_admins() -> int:
    return db.session.scalar(select(func.count()).select_from(User).where(
        User.role == Role.ADMIN, User.active.is_(True)))


def _keeping_an_admin(change: Callable[[], None]) -> None:
    """Make `change`, unless it would leave no active admin.

    Two admins removing each other at once must not both succeed. On PostgreSQL the
    active admins' rows are locked first (FOR UPDATE), so the second waits for the first
    and then counts what the first left. On SQLite the change itself takes the database's
    one write lock, so the count after it is exact. Either way the count is after."""
    db.session.scalars(select(User.id).where(User.role == Role.ADMIN, User.active.is_(True))
                       .order_by(User.id).with_for_update()).all()
    change()
    db.session.flush()
    if _active_admins() == 0:
        raise LastAdmin()


def _signed_out_everywhere(user: User) -> None:
    user.session_version = (user.session_version or 0) + 1


def reset(user: User, by: User | None, command: str = "") -> str:
    """A new set-up link; the old password and every signed-in session end now."""
    user.clear_password()
    _signed_out_everywhere(user)
    token = new_link(user, by)
    _trail(AuditAction.ACCOUNT_RESET, user, by, command)
    return token


def deactivate(user: User, by: User | None, command: str = "") -> None:
    """A leaver: signed out of every device at once and cannot sign in; records stay."""
    def change():
        user.active = False
        _signed_out_everywhere(user)

    if user.role == Role.ADMIN:
        _keeping_an_admin(change)
    else:
        change()
    _trail(AuditAction.ACCOUNT_DEACTIVATED, user, by, command)


def reactivate(user: User, by: User | None) -> None:
    user.active = True
    _trail(AuditAction.ACCOUNT_REACTIVATED, user, by)


def change(user: User, *, display_name: str, role: str, email: str | None,
           by: User | None) -> None:
    def apply():
        user.display_name, user.role, user.email = display_name, str(role), email or None

    if user.role == Role.ADMIN and role != Role.ADMIN and user.active:
        _keeping_an_admin(apply)
    else:
        apply()
    _trail(AuditAction.ACCOUNT_CHANGED, user, by)


def throttled(user: User) -> bool:
    record = db.session.get(LoginThrottle, user.username.lower())
    return record is not None and record.failures >= current_app.config["LOGIN_FREE_FAILURES"]


def unlock(user: User, by: User | None) -> None:
    """Wrong passwords tried for this account no longer make it wait."""
    db.session.execute(delete(LoginThrottle).where(LoginThrottle.username == user.username.lower()))
    _trail(AuditAction.SIGN_IN_UNLOCKED, user, by)


# --- What an account holds, to hand over ---------------------------------------------------


@dataclass(frozen=True)
class Holdings:
    people: list[Person]
    follow_ups: list[SafetyFollowUp]
    events: list[Event]

    @property
    def anything(self) -> bool:
        return bool(self.people or self.follow_ups or self.events)


def holdings(user: User) -> Holdings:
    people = list(db.session.scalars(
        select(Person).join(CircleMember, CircleMember.person_id == Person.id)
        .where(CircleMember.user_id == user.id).order_by(Person.display_name, Person.id)))
    events = list(db.session.scalars(
        select(Event).where(Event.facilitator_id == user.id, Event.closed_at.is_(None))
        .order_by(Event.event_date, Event.id)))
    return Holdings(people=people, follow_ups=open_follow_ups(user.id), events=events)


def live_link(user: User) -> SetupLink | None:
    """The account's set-up link that still works, if any (for the admin to see when)."""
    return db.session.scalar(select(SetupLink).where(
        SetupLink.user_id == user.id, SetupLink.used_at.is_(None),
        SetupLink.expires_at > utcnow()).order_by(SetupLink.id.desc()).limit(1))
