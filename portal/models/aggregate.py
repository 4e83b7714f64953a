"""Commissioning aggregate tables (issue 8).

`rating_contributions` holds, for each person (or event participant), period, respondent
level and statement,
the one rating that counts (the latest scored rating of a finished session): it lets
each change be applied to the rollup as a difference. It is internal: no commissioner
page reads it. `rating_rollups` is what the dashboard reads: people and summed scores
per (period, local authority, respondent, source, age band, statement, scale point).
Scores are summed in thousandths of a point as integers, so adding and taking away
always gives back exactly what a full rebuild gives.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from portal.core.extensions import db

DIMENSIONS = ("period", "local_authority_id", "respondent", "source", "age_band",
              "statement_key", "point_key")


class RatingContribution(db.Model):
    """Whose contribution: a person's or an anonymous event participant's, exactly one."""

    __tablename__ = "rating_contributions"
    __table_args__ = (
        # One contribution per owner, period, respondent and statement: two unique keys,
        # one per kind of owner, which together mean what the one key meant when
        # participants were stored as negative person ids. Each is partial (only the rows
        # of its kind of owner), so a row is written into one of them, not both; and each
        # serves the lookups by its owner column, which need no index of their own.
        Index("uq_rating_contributions_key",
              "person_id", "period", "respondent", "statement_key", unique=True,
              sqlite_where=text("person_id IS NOT NULL"),
              postgresql_where=text("person_id IS NOT NULL")),
        Index("uq_rating_contributions_participant_key",
              "participant_id", "period", "respondent", "statement_key", unique=True,
              sqlite_where=text("participant_id IS NOT NULL"),
              postgresql_where=text("participant_id IS NOT NULL")),
        CheckConstraint("(person_id IS NULL AND participant_id IS NOT NULL)"
                        " OR (person_id IS NOT NULL AND participant_id IS NULL)",
                        name="one_owner"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # No foreign keys, on purpose: the rollups lower their cells by the contributions
    # they find when an owner's ratings go (portal/commissioning/rollups.py). A cascade
    # would remove the rows first and leave the cells too high; SET NULL would break the
    # one-owner check; and a plain key would refuse to delete the person or participant.
    person_id: Mapped[int | None] = mapped_column()
    participant_id: Mapped[int | None] = mapped_column()
    period: Mapped[str] = mapped_column(String(7))
    respondent: Mapped[str] = mapped_column(String(60))
    statement_key: Mapped[str] = mapped_column(String(160))
    local_authority_id: Mapped[int] = mapped_column()
    source: Mapped[str] = mapped_column(String(12))
    age_band: Mapped[str] = mapped_column(String(12))
    point_key: Mapped[str] = mapped_column(String(80))
    score_milli: Mapped[int] = mapped_column(BigInteger)


class RatingRollup(db.Model):
    __tablename__ = "rating_rollups"
    __table_args__ = (
        UniqueConstraint(*DIMENSIONS, name="uq_rating_rollups_cell"),
        Index("ix_rating_rollups_view", "period", "respondent", "local_authority_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[str] = mapped_column(String(7))
    local_authority_id: Mapped[int] = mapped_column()
    respondent: Mapped[str] = mapped_column(String(60))
    source: Mapped[str] = mapped_column(String(12))
    age_band: Mapped[str] = mapped_column(String(12))
    statement_key: Mapped[str] = mapped_column(String(160))
    point_key: Mapped[str] = mapped_column(String(80))
    people: Mapped[int] = mapped_column(default=0)
    score_milli: Mapped[int] = mapped_column(BigInteger, default=0)


class CommissionerArea(db.Model):
    """Which areas a commissioner may see: a whole region or one local authority."""

    __tablename__ = "commissioner_areas"
    __table_args__ = (
        UniqueConstraint("user_id", "region_id", "local_authority_id",
                         name="uq_commissioner_areas_user_area"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id", ondelete="CASCADE"))
    local_authority_id: Mapped[int | None] = mapped_column(
        ForeignKey("local_authorities.id", ondelete="CASCADE"))


class RollupStamp(db.Model):
    """A new random stamp for a period each time any of its rollup cells moves (issue 16).

    The suppressed cubes are linked across a year and its quarters, which is slow to
    work out; a process keeps them and reuses them while the stamps of their periods are
    the ones they were built from: five tiny rows read, rather than every cell compared.
    """

    __tablename__ = "rollup_stamps"

    period: Mapped[str] = mapped_column(String(7), primary_key=True)
    stamp: Mapped[str] = mapped_column(String(32))
