"""The one clock: naive UTC, so SQLite and PostgreSQL round-trip the same value."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Now, in UTC, without a time zone (both databases store it as given)."""
    return datetime.now(UTC).replace(tzinfo=None)
