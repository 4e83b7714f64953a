"""Database-backed sign-in throttling, shared by every worker process."""

from flask import current_app

from portal.core.clock import utcnow
from portal.core.extensions import db
from portal.domain.throttle import seconds_to_wait
from portal.models import LoginThrottle


def wait_for(username: str) -> int:
    record = db.session.get(LoginThrottle, username.lower())
    if record is None:
        return 0
    elapsed = (utcnow() - record.last_failure_at).total_seconds()
    return seconds_to_wait(
        record.failures,
        elapsed,
        current_app.config["LOGIN_FREE_FAILURES"],
        current_app.config["LOGIN_MAX_DELAY_SECONDS"],
    )


def record_failure(username: str) -> None:
    key = username.lower()
    record = db.session.get(LoginThrottle, key)
    if record is None:
        record = LoginThrottle(username=key, failures=0)
        db.session.add(record)
    record.failures += 1
    record.last_failure_at = utcnow()
    db.session.commit()


def clear(username: str) -> None:
    record = db.session.get(LoginThrottle, username.lower())
    if record is not None:
        db.session.delete(record)
        db.session.commit()
