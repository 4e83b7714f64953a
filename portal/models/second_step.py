"""Staff sign-in's second step (issue 15): a time-based code from an app on the phone, and
backup codes for when the phone is lost.

The app's secret has to be kept as it is: the portal works the same code out from it
(RFC 6238), so a hash would not do. The backup codes are random and stored only as a
hash (portal/core/tokens.py), like every other one-time secret.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.core.extensions import db
from portal.models._types import utcnow


class SecondStep(db.Model):
    """An account's code app, once the first code from it has been typed right."""

    __tablename__ = "second_steps"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    totp_secret: Mapped[str] = mapped_column(String(64))
    # The time step (30-second slot) of the last code that signed in: a code from that
    # slot or an earlier one is refused, so a code seen over a shoulder cannot be reused.
    last_step: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class BackupCode(db.Model):
    """One backup code; each signs in once, in place of the app's code."""

    __tablename__ = "second_step_backup_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column()
