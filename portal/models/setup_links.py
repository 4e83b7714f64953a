"""One-time set-up links for staff accounts (issue 15): the account holder opens the link
and chooses their own password. Only the token's hash is kept (portal/core/tokens.py); a link
works once, for SETUP_LINK_HOURS, and only while the account is active."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.extensions import db
from portal.models._types import utcnow

SETUP_LINK_HOURS = 72


class SetupLink(db.Model):
    __tablename__ = "setup_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # Who made it: an admin, or None when made by the `users` command.
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()
    used_at: Mapped[datetime | None] = mapped_column()

    user = relationship("User", foreign_keys=[user_id])

    def works_at(self, now: datetime) -> bool:
        return self.used_at is None and self.expires_at > now and self.user.active
