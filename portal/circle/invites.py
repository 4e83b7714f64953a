"""Invites to join a circle. Database only: no requests, no templates.

The token is random (secrets.token_urlsafe) and only its SHA-256 hash is stored. A link
works once: accepting sets `used_at` with a conditional UPDATE, so two presses (or two
browsers) cannot both use it.
"""

from __future__ import annotations

import enum
import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update

from portal.core.clock import utcnow
from portal.core.extensions import db
from portal.models import CircleInvite, CircleMember, User

INVITE_LIFETIME = timedelta(days=7)


class InviteState(enum.StrEnum):
    OK = "ok"
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    USED = "used"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create(person_id: int, invited_by: int, *, name: str, relation: str,
           role_label: str | None, known_for_years: int | None,
           contact_frequency: str | None, contact: str | None,
           now: datetime | None = None) -> tuple[CircleInvite, str]:
    """A new member without an account yet, and an invite; returns (invite, token)."""
    now = now or utcnow()
    member = CircleMember(person_id=person_id, relation=relation, role_label=role_label or None,
                          known_for_years=known_for_years,
                          contact_frequency=contact_frequency or None)
    token = secrets.token_urlsafe(32)
    invite = CircleInvite(member=member, invited_by_user_id=invited_by, name=name,
                          contact=contact or None, token_hash=token_hash(token),
                          expires_at=now + INVITE_LIFETIME, created_at=now)
    db.session.add_all([member, invite])
    db.session.commit()
    return invite, token


def find(token: str, now: datetime | None = None) -> tuple[InviteState, CircleInvite | None]:
    if not token or len(token) > 200:
        return InviteState.UNKNOWN, None
    invite = db.session.scalar(
        select(CircleInvite).where(CircleInvite.token_hash == token_hash(token)))
    if invite is None:
        return InviteState.UNKNOWN, None
    if invite.used_at is not None:
        return InviteState.USED, invite
    if (now or utcnow()) >= invite.expires_at:
        return InviteState.EXPIRED, invite
    return InviteState.OK, invite


def already_in_circle(invite: CircleInvite, user: User) -> bool:
    return db.session.scalar(select(CircleMember.id).where(
        CircleMember.person_id == invite.member.person_id,
        CircleMember.user_id == user.id)) is not None


def accept(invite: CircleInvite, user: User, now: datetime | None = None) -> bool:
    """Join the circle as the invited member. False when the link was used meanwhile."""
    now = now or utcnow()
    claimed = db.session.execute(
        update(CircleInvite)
        .where(CircleInvite.id == invite.id, CircleInvite.used_at.is_(None),
               CircleInvite.expires_at > now)
        .values(used_at=now, used_by_user_id=user.id)
    ).rowcount
    if claimed != 1:
        db.session.rollback()
        return False
    db.session.execute(update(CircleMember).where(CircleMember.id == invite.member_id)
                       .values(user_id=user.id))
    db.session.commit()
    return True


def open_invites(person_id: int) -> dict[int, CircleInvite]:
    """The latest invite of each member, by member id."""
    query = (select(CircleInvite).join(CircleMember)
             .where(CircleMember.person_id == person_id).order_by(CircleInvite.id))
    return {invite.member_id: invite for invite in db.session.scalars(query)}
