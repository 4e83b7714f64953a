"""Retention (issue 9): `flask --app portal retention apply [--dry-run]` removes what people
did longer ago than the period, keeps the rest, and the rollups stay equal to a rebuild."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from portal.commissioning.rollups import expected_rollup, rollup_table
from portal.content.store import load_content
from portal.core.extensions import db
from portal.models import (
    Answer,
    AuditEntry,
    BestInterestsDecision,
    CircleMember,
    ContentItem,
    Conversation,
    Event,
    EventParticipant,
    LocalAuthority,
    MatSession,
    Person,
    Rating,
    RatingContribution,
    RatingSession,
    RatingStatus,
    SafetyFollowUp,
    Source,
)
from portal.ops.retention import months_before, plan_and_apply
from tests import rights_support as support

NOW = datetime(2026, 11, 24, 6, 0)
OLD = datetime(2024, 1, 10, 9, 0)  # more than 24 months before NOW
RECENT = datetime(2026, 6, 1, 9, 0)


def test_months_before_counts_calendar_months():
    assert months_before(datetime(2026, 11, 24, 6, 0), 24) == datetime(2024, 11, 24, 6, 0)
    assert months_before(datetime(2026, 3, 31), 1) == datetime(2026, 2, 28)
    assert months_before(datetime(2024, 3, 31), 1) == datetime(2024, 2, 29)
    assert months_before(datetime(2026, 1, 15), 13) == datetime(2024, 12, 15)


def _event(when: date, code: str) -> int:
    """An event with one participant who answered and rated; the participant's id."""
    facilitator = support.user_id("demo-facilitator")
    area = db.session.scalar(select(LocalAuthority.id).where(LocalAuthority.code == "cardiff"))
    event = Event(facilitator_id=facilitator, title_en="E", title_cy="D", event_date=when,
                  venue="Hall", local_authority_id=area, conversation_key="what-matters",
                  join_code=code)
    conversation = Conversation(person_id=None, conversation_key="what-matters",
                                source=Source.EVENT, language="en")
    question = db.session.scalar(select(ContentItem).where(
        ContentItem.key == "question.wm-worries", ContentItem.is_current))
    conversation.answers.append(Answer(question_key="wm-worries", question_item_id=question.id,
                                       status="answered", text="event words"))
    db.session.add_all([event, conversation])
    db.session.flush()
    participant = EventParticipant(token_hash=code.ljust(64, "0"), language="en",
                                   conversation_id=conversation.id)
    event.participants.append(participant)
    db.session.flush()
    statement = db.session.scalar(select(ContentItem).where(ContentItem.kind == "statement",
                                                            ContentItem.is_current))
    scale = db.session.scalar(select(ContentItem).where(ContentItem.key == "scale.how-true"))
    point = db.session.scalar(select(ContentItem).where(
        ContentItem.key == "scale_point.how-true.always"))
    session = RatingSession(participant_id=participant.id, language="en",
                            finished_at=datetime.combine(when, datetime.min.time()))
    session.ratings.append(Rating(statement_key=statement.key.split(".", 1)[1],
                                  statement_item_id=statement.id, scale_item_id=scale.id,
                                  point_item_id=point.id, status=RatingStatus.RATED, score=100.0))
    db.session.add(session)
    db.session.commit()
    return participant.id


@pytest.fixture()
def history(app, demo):
    """Alex did things long ago and recently; two events, one long ago."""
    with app.app_context():
        load_content()
        alex = db.session.scalar(select(Person.id).where(Person.display_name == "Alex"))
        old = support.add_record(alex, when=OLD)
        new = support.add_record(alex, when=RECENT)
        old_participant = _event(OLD.date(), "OLD001")
        new_participant = _event(RECENT.date(), "NEW001")
        db.session.add_all([AuditEntry(at=OLD, action="view", person_id=alex),
                            AuditEntry(at=RECENT, action="view", person_id=alex)])
        db.session.query(SafetyFollowUp).filter(SafetyFollowUp.id == old["follow_up"]).update(
            {"done_at": OLD})
        db.session.commit()
        db.session.remove()
    return alex, old, new, old_participant, new_participant


def snapshot(app) -> dict:
    with app.app_context():
        def n(model, *where):
            return db.session.scalar(select(func.count()).select_from(model).where(*where))

        found = {
            "people": n(Person), "circle": n(CircleMember),
            "decisions": n(BestInterestsDecision), "conversations": n(Conversation),
            "answers": n(Answer), "mats": n(MatSession), "rating_sessions": n(RatingSession),
            "ratings": n(Rating), "follow_ups": n(SafetyFollowUp),
            "participants": n(EventParticipant), "events": n(Event), "audit": n(AuditEntry),
            "contributions": n(RatingContribution),
        }
        db.session.remove()
    return found


def test_a_dry_run_counts_and_changes_nothing(app, history):
    _alex, old, _new, _op, _np = history
    before = snapshot(app)
    with app.app_context():
        outcome = plan_and_apply(24, 12, dry_run=True, now=NOW)
        db.session.remove()
    assert outcome.counts == {
        "conversations": 1, "mat_sessions": 1, "rating_sessions": 2, "follow_ups": 1,
        "invites": 0, "event_participants": 1, "event_conversations": 1,
        "audit_entries": 1, "picture_files": 1,
    }
    assert snapshot(app) == before
    assert old["picture"].is_file()


def test_apply_removes_only_what_is_older_and_the_rollups_stay_true(app, history):
    alex, old, new, old_participant, new_participant = history
    before = snapshot(app)
    with app.app_context():
        with_old = rollup_table(db.session.connection())
        outcome = plan_and_apply(24, 0, dry_run=False, now=NOW)
        connection = db.session.connection()
        after = rollup_table(connection)
        assert after == expected_rollup(connection)
        assert after != with_old  # the old ratings were counted, and are not now
        left = {
            "conversations": set(db.session.scalars(select(Conversation.id).where(
                Conversation.person_id == alex))),
            "mats": set(db.session.scalars(select(MatSession.id))),
            "ratings": set(db.session.scalars(select(RatingSession.id).where(
                RatingSession.person_id == alex))),
            "follow_ups": set(db.session.scalars(select(SafetyFollowUp.id))),
            "participants": set(db.session.scalars(select(EventParticipant.id))),
        }
        db.session.remove()
    assert outcome.counts["audit_entries"] == 0
    assert left == {"conversations": {new["conversation"]}, "mats": {new["mat"]},
                    "ratings": set(new["ratings"]), "follow_ups": {new["follow_up"]},
                    "participants": {new_participant}}
    assert not old["picture"].exists() and new["picture"].is_file()
    after_counts = snapshot(app)
    # The person, their circle and decisions, the events and the whole audit log stay.
    for kept in ("people", "circle", "events", "audit"):
        assert after_counts[kept] == before[kept], kept
    assert after_counts["decisions"] == before["decisions"]
    assert after_counts["answers"] == before["answers"] - 2  # Alex's old one, the event's


def test_the_audit_log_has_its_own_period(app, history):
    before = snapshot(app)
    with app.app_context():
        outcome = plan_and_apply(0, 12, dry_run=False, now=NOW)
        db.session.remove()
    after = snapshot(app)
    assert outcome.counts == {"audit_entries": 1, "picture_files": 0}
    assert after["audit"] == before["audit"] - 1
    assert {k: v for k, v in after.items() if k != "audit"} == {
        k: v for k, v in before.items() if k != "audit"}


def test_the_command(app, history):
    runner = app.test_cli_runner()
    before = snapshot(app)
    result = runner.invoke(args=["retention", "apply", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "everything is kept" in result.output  # no period set in the tests' config
    result = runner.invoke(args=["retention", "apply", "--dry-run", "--months", "1"])
    assert result.exit_code == 0, result.output
    assert "would remove conversations=2" in result.output
    assert snapshot(app) == before
    result = runner.invoke(args=["retention", "apply", "--months", "-3"])
    assert result.exit_code != 0
    assert "0 (keep) or more" in result.output


def test_the_setting_is_read_from_the_environment(make_app, monkeypatch):
    from portal.core.config import ConfigError

    monkeypatch.setenv("PORTAL_RETENTION_MONTHS", "36")
    monkeypatch.setenv("PORTAL_AUDIT_RETENTION_MONTHS", "")
    fresh = make_app(checked=False)
    assert (fresh.config["RETENTION_MONTHS"], fresh.config["AUDIT_RETENTION_MONTHS"]) == (36, 0)
    monkeypatch.setenv("PORTAL_RETENTION_MONTHS", "three years")
    with pytest.raises(ConfigError):
        make_app(checked=False)
