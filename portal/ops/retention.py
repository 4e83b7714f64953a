"""Keeping personal data no longer than needed: `flask --app portal retention apply`.

Two settings (environment, or the app's config in tests):

- PORTAL_RETENTION_MONTHS (RETENTION_MONTHS), default 0 = keep everything. When set to
  N, everything a person *did* whose last change is more than N months old is removed:
    * conversations (with their answers and themes): finished before the cut-off, or
      never finished and not touched since;
    * picture mat sessions (with their placements and saved picture files) and rating
      sessions (with their ratings and comments), the same way; self and proxy alike;
    * safety follow-ups that were marked done before the cut-off (open ones stay);
    * circle invites that expired before the cut-off;
    * at listening events held before the cut-off: the anonymous participants with their
      answers, mats and ratings (the event itself, its title and date, stays).
  What stays, however old: the person, their account, their circle and consents, and
  best-interests decisions: the record that lets the portal work for them. Erasing a
  person (the rights pages) removes those.
- PORTAL_AUDIT_RETENTION_MONTHS (AUDIT_RETENTION_MONTHS), default 0 = keep: audit log
  entries older than this are removed. Kept apart, because the log must outlive the data
  it is about for long enough to answer "who saw my data?".

Rows are deleted through the ORM, so the commissioning rollups follow in the same
transaction (portal/commissioning/rollups.py): afterwards they equal a full rebuild. Picture files
are
removed only after the commit. `--dry-run` counts and changes nothing.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import and_, delete, or_, select

from portal.core.clock import utcnow
from portal.core.extensions import db
from portal.models import (
    AuditEntry,
    CircleInvite,
    Conversation,
    Event,
    EventParticipant,
    MatSession,
    RatingSession,
    SafetyFollowUp,
)

CHUNK = 500


def months_before(when: datetime, months: int) -> datetime:
    """The same day and time `months` calendar months earlier (the month's last day when
    that month is shorter: 31 March less one month is 28 or 29 February)."""
    year, month = divmod(when.year * 12 + when.month - 1 - months, 12)
    day = min(when.day, calendar.monthrange(year, month + 1)[1])
    return when.replace(year=year, month=month + 1, day=day)


def months_setting(value, name: str) -> int:
    """0 (keep) for None or empty; a whole number of months otherwise."""
    if value in (None, ""):
        return 0
    try:
        months = int(value)
    except (TypeError, ValueError):
        raise click.ClickException(f"{name} must be a whole number of months, not {value!r}") \
            from None
    if months < 0:
        raise click.ClickException(f"{name} must be 0 (keep) or more, not {months}")
    return months


def _old(model, cutoff: datetime):
    """Finished before the cut-off, or never finished and untouched since."""
    return or_(model.finished_at < cutoff,
               and_(model.finished_at.is_(None), model.updated_at < cutoff))


@dataclass
class Outcome:
    cutoff: datetime | None
    audit_cutoff: datetime | None
    counts: dict = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)

    def line(self) -> str:
        return " ".join(f"{k}={v}" for k, v in self.counts.items())


def _ids(query) -> list[int]:
    return list(db.session.scalars(query))


def _delete_objects(model, ids: list[int]) -> None:
    """One by one through the ORM (in chunks), so that the rollups see every deletion."""
    for start in range(0, len(ids), CHUNK):
        for obj in db.session.scalars(select(model).where(model.id.in_(ids[start:start + CHUNK]))):
            db.session.delete(obj)
        db.session.flush()


def _picture_files(session_ids: list[int]) -> list[Path]:
    from portal.answering.mats.picture import picture_file

    files = []
    for start in range(0, len(session_ids), CHUNK):
        for session in db.session.scalars(select(MatSession).where(
                MatSession.id.in_(session_ids[start:start + CHUNK]))):
            path = picture_file(session)
            if path is not None:
                files.append(path)
    return files


def plan_and_apply(months: int, audit_months: int, *, dry_run: bool,
                   now: datetime | None = None) -> Outcome:
    """Find (and unless dry_run, delete and commit) what is older than the settings."""
    now = now or utcnow()
    cutoff = months_before(now, months) if months else None
    audit_cutoff = months_before(now, audit_months) if audit_months else None
    outcome = Outcome(cutoff, audit_cutoff)
    found: dict[str, list[int]] = {}
    if cutoff is not None:
        participants = _ids(select(EventParticipant.id).join(Event).where(
            Event.event_date < cutoff.date()))
        event_conversations = _ids(select(EventParticipant.conversation_id).where(
            EventParticipant.id.in_(participants), EventParticipant.conversation_id.is_not(None)))
        found = {
            "conversations": _ids(select(Conversation.id).where(
                Conversation.person_id.is_not(None), _old(Conversation, cutoff))),
            "mat_sessions": _ids(select(MatSession.id).where(
                MatSession.person_id.is_not(None), _old(MatSession, cutoff))),
            "rating_sessions": _ids(select(RatingSession.id).where(
                RatingSession.person_id.is_not(None), _old(RatingSession, cutoff))),
            "follow_ups": _ids(select(SafetyFollowUp.id).where(
                SafetyFollowUp.done_at < cutoff)),
            "invites": _ids(select(CircleInvite.id).where(CircleInvite.expires_at < cutoff)),
            "event_participants": participants,
            "event_conversations": event_conversations,
        }
        participant_mats = _ids(select(MatSession.id).where(
            MatSession.participant_id.in_(participants))) if participants else []
        outcome.files = _picture_files(found["mat_sessions"] + participant_mats)
    outcome.counts = {name: len(ids) for name, ids in found.items()}
    audit_ids = (_ids(select(AuditEntry.id).where(AuditEntry.at < audit_cutoff))
                 if audit_cutoff is not None else [])
    outcome.counts["audit_entries"] = len(audit_ids)
    outcome.counts["picture_files"] = len(outcome.files)
    if dry_run:
        db.session.rollback()
        return outcome

    if found:
        _delete_objects(SafetyFollowUp, found["follow_ups"])
        _delete_objects(CircleInvite, found["invites"])
        _delete_objects(Conversation, found["conversations"])
        _delete_objects(MatSession, found["mat_sessions"])
        _delete_objects(RatingSession, found["rating_sessions"])
        # A participant's own sessions go with them (ON DELETE CASCADE); the rollups are
        # told through the participant. Then their answers (a conversation with no person).
        _delete_objects(EventParticipant, found["event_participants"])
        _delete_objects(Conversation, found["event_conversations"])
    for start in range(0, len(audit_ids), CHUNK):
        db.session.execute(delete(AuditEntry).where(
            AuditEntry.id.in_(audit_ids[start:start + CHUNK])))
    db.session.commit()
    for path in outcome.files:
        path.unlink(missing_ok=True)
    return outcome


retention = AppGroup("retention", help="Remove personal data older than the retention period.")


@retention.command("apply")
@click.option("--dry-run", is_flag=True, help="Count what would be removed; change nothing.")
@click.option("--months", type=int, default=None,
              help="Instead of PORTAL_RETENTION_MONTHS for this run (0 keeps everything).")
@click.option("--audit-months", type=int, default=None,
              help="Instead of PORTAL_AUDIT_RETENTION_MONTHS for this run (0 keeps the log).")
def apply_command(dry_run: bool, months: int | None, audit_months: int | None):
    """Remove what is older than the retention period (see portal/ops/retention.py)."""
    config = current_app.config
    months = months_setting(config.get("RETENTION_MONTHS") if months is None else months,
                            "RETENTION_MONTHS")
    audit_months = months_setting(
        config.get("AUDIT_RETENTION_MONTHS") if audit_months is None else audit_months,
        "AUDIT_RETENTION_MONTHS")
    if not months and not audit_months:
        click.echo("retention: no period is set (PORTAL_RETENTION_MONTHS, "
                   "PORTAL_AUDIT_RETENTION_MONTHS): everything is kept")
        return
    outcome = plan_and_apply(months, audit_months, dry_run=dry_run)
    cut = outcome.cutoff.isoformat(" ", "seconds") if outcome.cutoff else "keep"
    audit_cut = outcome.audit_cutoff.isoformat(" ", "seconds") if outcome.audit_cutoff else "keep"
    verb = "would remove" if dry_run else "removed"
    click.echo(f"retention: data before {cut}, audit before {audit_cut}; {verb} {outcome.line()}")
