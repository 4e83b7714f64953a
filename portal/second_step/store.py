"""The second step in the database: who has one, who must, checking a code, setting up,
new backup codes, and an admin's reset. The caller commits."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import current_app
from sqlalchemy import delete, func, select, update

from portal.core.clock import utcnow
from portal.core.extensions import db
from portal.models import BackupCode, PasskeyCredential, Role, SecondStep, User
from portal.second_step import codes

# A person signs in without a memory test (portal/signin); the second step is for staff.
STAFF_ROLES = (Role.SUPPORTER, Role.PRACTITIONER, Role.FACILITATOR, Role.COMMISSIONER,
               Role.ADMIN)


def second_step_of(user: User) -> SecondStep | None:
    return db.session.get(SecondStep, user.id)


def passkey_count(user: User) -> int:
    return db.session.scalar(select(func.count()).select_from(PasskeyCredential).where(
        PasskeyCredential.user_id == user.id)) or 0


def has_second_step(user: User) -> bool:
    """A code app or a passkey (passkey.py): either one is asked for after the password."""
    return second_step_of(user) is not None or (may_have(user) and passkey_count(user) > 0)


def is_required(user: User) -> bool:
    """Must this account have a second step? Admins and commissioners in production
    (config.py: SECOND_STEP_REQUIRED_ROLES); nobody in development and testing, so the
    demo accounts sign in with their password alone."""
    return user.role in current_app.config.get("SECOND_STEP_REQUIRED_ROLES", ())


def may_have(user: User) -> bool:
    return user.role in STAFF_ROLES


def backup_codes_left(user: User) -> int:
    return db.session.scalar(select(func.count()).select_from(BackupCode).where(
        BackupCode.user_id == user.id, BackupCode.used_at.is_(None))) or 0


def check(user: User, code: str) -> bool:
    """True, and the code used up, when it is the app's current code or an unused backup
    code of this account.

    Each is used up by one UPDATE that also checks it is still unused, so two requests
    sending the same code at once cannot both succeed (the second finds no row to change).
    """
    step = second_step_of(user)
    if step is not None:
        found = codes.matching_step(step.totp_secret, code, _now(), step.last_step)
        if found is not None:
            return _claimed(update(SecondStep).where(
                SecondStep.user_id == user.id, SecondStep.last_step < found,
            ).values(last_step=found))
    if not codes.looks_like_backup_code(code):
        return False
    return _claimed(update(BackupCode).where(
        BackupCode.user_id == user.id, BackupCode.code_hash == codes.backup_code_hash(code),
        BackupCode.used_at.is_(None),
    ).values(used_at=utcnow()))


def _claimed(statement) -> bool:
    return db.session.execute(statement.execution_options(synchronize_session=False)
                              ).rowcount == 1


def set_up(user: User, secret: str, code: str) -> list[str] | None:
    """Turn the second step on once the first code from the app is right: the backup
    codes to show once, or None when the code is wrong."""
    found = codes.matching_step(secret, code, _now(), 0)
    if found is None:
        return None
    db.session.execute(delete(SecondStep).where(SecondStep.user_id == user.id))
    db.session.add(SecondStep(user_id=user.id, totp_secret=secret, last_step=found))
    db.session.flush()
    return new_backup_codes(user)


def new_backup_codes(user: User) -> list[str]:
    """New backup codes; the old ones stop working."""
    db.session.execute(delete(BackupCode).where(BackupCode.user_id == user.id))
    made = codes.new_backup_codes()
    for code in made:
        db.session.add(BackupCode(user_id=user.id, code_hash=codes.backup_code_hash(code)))
    return made


def reset(user: User) -> None:
    """No app, no passkey, no backup codes: the account sets a second step up again at its
    next sign-in (when it must have one) or signs in with its password alone. Staff only:
    a person's passkeys are their way in (portal/signin), never touched here."""
    if not may_have(user):
        return
    db.session.execute(delete(PasskeyCredential).where(PasskeyCredential.user_id == user.id))
    db.session.execute(delete(BackupCode).where(BackupCode.user_id == user.id))
    db.session.execute(delete(SecondStep).where(SecondStep.user_id == user.id))



def _now() -> datetime:
    # Aware: a code's time slot counts from the Unix epoch, whatever the server's zone.
    return datetime.now(UTC)
