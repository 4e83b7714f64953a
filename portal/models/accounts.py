from __future__ import annotations

import enum
from datetime import datetime

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import CheckConstraint, Index, String, false, func, true
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from portal.core.extensions import db
from portal.models._types import enum_check, utcnow

# Not a hash of anything: check_password_hash refuses it for every password.
NO_PASSWORD = "!no-password"  # noqa: S105 - a marker, not a password


class Role(enum.StrEnum):
    PERSON = "person"
    SUPPORTER = "supporter"
    PRACTITIONER = "practitioner"
    FACILITATOR = "facilitator"
    COMMISSIONER = "commissioner"
    ADMIN = "admin"


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(enum_check("role", list(Role)), name="role_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    display_name: Mapped[str] = mapped_column(String(120))
    # The person's own language choice; None until they make one.
    locale: Mapped[str | None] = mapped_column(String(5))
    active: Mapped[bool] = mapped_column(default=True)
    # Easy-read preferences, applied on every page (see portal/core/preferences.py).
    pref_pictures: Mapped[bool] = mapped_column(default=True, server_default=true())
    pref_text_size: Mapped[str] = mapped_column(
        String(12), default="normal", server_default="normal"
    )
    pref_speech_rate: Mapped[str] = mapped_column(
        String(12), default="normal", server_default="normal"
    )
    pref_high_contrast: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Optional, for the admin's records; the portal sends no email.
    email: Mapped[str | None] = mapped_column(String(254))
    # Kept in the session at sign-in and checked on every request (portal/accounts/
    # sessions.py): a reset or a deactivation adds one, and every signed-in device of the
    # account is signed out on its next request.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")

    def set_password(self, password: str) -> None:
        # Tests use a cheaper hash so that seeding accounts for each test stays fast.
        method = (
            current_app.config.get("PASSWORD_HASH_METHOD", "scrypt") if current_app else "scrypt"
        )
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def clear_password(self) -> None:
        """No password signs in (until the account holder chooses one with a set-up link):
        a value no password hash can equal."""
        self.password_hash = NO_PASSWORD

    @property
    def has_password(self) -> bool:
        return self.password_hash != NO_PASSWORD

    @property
    def is_active(self) -> bool:  # Flask-Login reads this
        return self.active

    def has_role(self, *roles: str) -> bool:
        return self.role in roles


# "Sam" and "sam" are one account: sign-in matches any letter case, so the database refuses
# a second username that differs only in case (issue 15).
Index("uq_users_username_lower", func.lower(User.username), unique=True)


class LoginThrottle(db.Model):
    """Failed sign-ins per username (known or not, so nobody learns which exist)."""

    __tablename__ = "login_throttles"

    username: Mapped[str] = mapped_column(String(80), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    last_failure_at: Mapped[datetime] = mapped_column(default=utcnow)
