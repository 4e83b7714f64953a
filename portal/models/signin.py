"""A person's ways to sign in without a memory test (issue 15): a passkey on their own
tablet, set up with a one-time code; a printed sign-in card with their own three pictures.

Every secret is stored only as a hash (portal/core/tokens.py): a copy of the database signs
nobody in. The card's three pictures are stored as a keyed hash of the choice too, so the
portal can check them but never show them back.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.extensions import db
from portal.models._types import utcnow


class PasskeySetupCode(db.Model):
    """A one-time code a practitioner shows (as a QR code) to set up a person's tablet."""

    __tablename__ = "passkey_setup_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"),
                                           index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()
    # Set when the passkey is made, or when a newer code replaces this one.
    used_at: Mapped[datetime | None] = mapped_column()

    person = relationship("Person")


class PasskeyCredential(db.Model):
    """A passkey (WebAuthn discoverable credential) that signs one account in."""

    __tablename__ = "passkey_credentials"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         index=True)
    # base64url, as the browser sends it back when signing in.
    credential_id: Mapped[str] = mapped_column(String(1400), unique=True)
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    sign_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column()

    user = relationship("User")


class SignInCard(db.Model):
    """A printed card with the person's QR code; it signs in only with their three pictures."""

    __tablename__ = "sign_in_cards"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"),
                                           index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The nine pictures shown on the card's page (the three and six others), by name.
    # Fixed for the card: new others at each try would give the three away.
    pictures: Mapped[str] = mapped_column(String(400))
    salt: Mapped[str] = mapped_column(String(32))
    choice_hash: Mapped[str] = mapped_column(String(64))
    failures: Mapped[int] = mapped_column(default=0)
    locked_at: Mapped[datetime | None] = mapped_column()
    revoked_at: Mapped[datetime | None] = mapped_column()
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    person = relationship("Person")

    @property
    def picture_names(self) -> list[str]:
        return self.pictures.split(",")
