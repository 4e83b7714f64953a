"""Consent and best-interests decisions. Database only: no requests, no templates.

A member may give proxy ratings only with `may_rate`, recorded either by the person
themselves or through a best-interests decision. Without either, nothing can start.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from portal.core.extensions import db
from portal.models import BestInterestsDecision, CircleMember, ConsentBasis, MemberConsent


def consent_of(member_id: int) -> MemberConsent | None:
    return db.session.scalar(select(MemberConsent).where(MemberConsent.member_id == member_id))


def consents(person_id: int) -> dict[int, MemberConsent]:
    query = select(MemberConsent).join(CircleMember).where(CircleMember.person_id == person_id)
    return {c.member_id: c for c in db.session.scalars(query)}


def may_rate(member: CircleMember) -> bool:
    consent = consent_of(member.id)
    return bool(consent and consent.may_rate)


def _set(member_id: int, *, may_rate: bool, may_see_own_answers: bool, may_see_others: bool,
         basis: str, recorded_by: int | None, best_interests_id: int | None = None) -> None:
    consent = consent_of(member_id)
    if consent is None:
        consent = MemberConsent(member_id=member_id)
        db.session.add(consent)
    consent.may_rate = may_rate
    consent.may_see_own_answers = may_see_own_answers
    consent.may_see_others = may_see_others
    consent.basis = basis
    consent.recorded_by_user_id = recorded_by
    consent.best_interests_id = best_interests_id


def record_person_agreement(person_id: int, choices: dict[int, set[str]],
                            recorded_by: int) -> None:
    """choices: member id -> the things the person agreed to
    ("rate", "see_own", "see_others"). Members not named agree to nothing."""
    members = db.session.scalars(select(CircleMember).where(CircleMember.person_id == person_id))
    for member in members:
        chosen = choices.get(member.id, set())
        _set(member.id, may_rate="rate" in chosen, may_see_own_answers="see_own" in chosen,
             may_see_others="see_others" in chosen, basis=ConsentBasis.PERSON_AGREED,
             recorded_by=recorded_by)
    db.session.commit()


def record_best_interests(person_id: int, recorded_by: int, *, consulted: str,
                          decided_on: date, reason: str,
                          raters: set[int]) -> BestInterestsDecision:
    """The decision, and `may_rate` for the chosen members (and no one else). Seeing other
    people's answers is left as it was: only the person can agree to share those."""
    decision = BestInterestsDecision(person_id=person_id, recorded_by_user_id=recorded_by,
                                     consulted=consulted, decided_on=decided_on, reason=reason)
    db.session.add(decision)
    db.session.flush()
    members = db.session.scalars(select(CircleMember).where(CircleMember.person_id == person_id))
    for member in members:
        old = consent_of(member.id)
        _set(member.id, may_rate=member.id in raters,
             may_see_own_answers=bool(old and old.may_see_own_answers),
             may_see_others=bool(old and old.may_see_others),
             basis=ConsentBasis.BEST_INTERESTS, recorded_by=recorded_by,
             best_interests_id=decision.id)
    db.session.commit()
    return decision


def decisions(person_id: int) -> list[BestInterestsDecision]:
    return list(db.session.scalars(select(BestInterestsDecision).where(
        BestInterestsDecision.person_id == person_id).order_by(BestInterestsDecision.id.desc())))
