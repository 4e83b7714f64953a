"""Who looked at, changed, exported or erased which person's data, and when.

An entry holds ids and names of routes only: never a person's name and never anything
they said, so the log itself is not a second copy of the personal data. `person_id` and
`user_id` are plain numbers, not foreign keys: when a person is erased (or an account
removed) the entries stay, and say only which number it was.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.core.extensions import db
from portal.models._types import enum_check, utcnow


class AuditAction(enum.StrEnum):
    VIEW = "view"
    CHANGE = "change"
    EXPORT = "export"
    ERASE = "erase"
    SIGN_IN_FAILED = "sign_in_failed"
    # A person moved from one practitioner's list to another's (portal/people/caseloads.py).
    CASELOAD_TRANSFER = "caseload_transfer"
    # Accounts (portal/accounts): the account acted on is in `account_id`.
    ACCOUNT_CREATED = "account_created"
    ACCOUNT_CHANGED = "account_changed"
    ACCOUNT_RESET = "account_reset"
    ACCOUNT_DEACTIVATED = "account_deactivated"
    ACCOUNT_REACTIVATED = "account_reactivated"
    SIGN_IN_UNLOCKED = "sign_in_unlocked"
    PASSWORD_SET = "password_set"  # noqa: S105 - an action name
    # An admin reset another account's second step at sign-in (portal/second_step).
    SECOND_STEP_RESET = "second_step_reset"


class AuditEntry(db.Model):
    __tablename__ = "audit_entries"
    __table_args__ = (
        CheckConstraint(enum_check("action", list(AuditAction)), name="action_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # Who: None when nobody was signed in (a failed sign-in).
    user_id: Mapped[int | None] = mapped_column(index=True)
    role: Mapped[str] = mapped_column(String(20), default="")
    action: Mapped[str] = mapped_column(String(20))
    # Whose data: None for entries about no one person (a failed sign-in).
    person_id: Mapped[int | None] = mapped_column(index=True)
    # Which account an account action was about (issue 15); a plain number like user_id.
    account_id: Mapped[int | None] = mapped_column(index=True)
    # From where: the route's endpoint name and the method, e.g. "practitioner.person" GET.
    endpoint: Mapped[str] = mapped_column(String(120), default="")
    method: Mapped[str] = mapped_column(String(8), default="GET")
