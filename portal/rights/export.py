"""Everything the portal holds about one person: as data (JSON) and as easy-read lines (PDF).

`person_data` is the one list of what is held; the PDF is made from the same dict, so the
two can never disagree. Other people in the circle appear by their relationship and the
name the person knows them by, not by their account.
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import force_locale, gettext
from sqlalchemy import select

from portal.core.extensions import db
from portal.models import (
    Answer,
    BestInterestsDecision,
    CircleInvite,
    Conversation,
    HandOver,
    MatSession,
    MemberConsent,
    Person,
    RatingComment,
    RatingSession,
    SafetyFollowUp,
)

FORMAT_VERSION = 1


def _when(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _key(item) -> str | None:
    return item.key if item is not None else None


def person_data(person: Person) -> dict:
    """The whole record of one person, ready for json.dumps."""
    user = person.user
    members = {m.id: m for m in person.circle}
    relation_of = {m.user_id: m.relation for m in person.circle if m.user_id is not None}
    return {
        "format_version": FORMAT_VERSION,
        "person": {
            "id": person.id,
            "name": person.display_name,
            "preferred_name": person.preferred_name,
            "date_of_birth": _when(person.date_of_birth),
            "local_authority": person.local_authority.code if person.local_authority else None,
            "created_at": _when(person.created_at),
            "account": None if user is None else {
                "username": user.username, "name": user.display_name, "language": user.locale,
                "created_at": _when(user.created_at),
                "preferences": {
                    "pictures": user.pref_pictures, "text_size": user.pref_text_size,
                    "speech_rate": user.pref_speech_rate, "high_contrast": user.pref_high_contrast,
                },
            },
        },
        "circle": [_member(m) for m in members.values()],
        "best_interests_decisions": [
            {"decided_on": _when(d.decided_on), "consulted": d.consulted, "reason": d.reason,
             "created_at": _when(d.created_at)}
            for d in db.session.scalars(select(BestInterestsDecision).where(
                BestInterestsDecision.person_id == person.id).order_by(BestInterestsDecision.id))
        ],
        "conversations": [_conversation(c) for c in db.session.scalars(
            select(Conversation).where(Conversation.person_id == person.id)
            .order_by(Conversation.id))],
        "mats": [_mat(s, relation_of) for s in db.session.scalars(
            select(MatSession).where(MatSession.person_id == person.id).order_by(MatSession.id))],
        "rating_sessions": [_ratings(s, relation_of) for s in db.session.scalars(
            select(RatingSession).where(RatingSession.person_id == person.id)
            .order_by(RatingSession.id))],
        "follow_ups": [
            {"statement": f.statement_key, "raised_by": f.raised_by_relation,
             "perspective": f.perspective, "raised_at": _when(f.raised_at),
             "done_at": _when(f.done_at), "note": f.note}
            for f in db.session.scalars(select(SafetyFollowUp).where(
                SafetyFollowUp.person_id == person.id).order_by(SafetyFollowUp.id))
        ],
        # Tablets handed over to the person on a visit: each answer, placement and rating
        # made in one names it ("hand_over"), and here is who was there.
        "hand_overs": [
            {"id": h.id, "given_by": h.given_by.display_name if h.given_by else None,
             "started_at": _when(h.started_at), "ended_at": _when(h.ended_at),
             "ended_how": h.ended_how}
            for h in db.session.scalars(select(HandOver).where(
                HandOver.person_id == person.id).order_by(HandOver.id))
        ],
    }


def _member(member) -> dict:
    consent = db.session.scalar(select(MemberConsent).where(MemberConsent.member_id == member.id))
    invites = db.session.scalars(select(CircleInvite).where(CircleInvite.member_id == member.id)
                                 .order_by(CircleInvite.id))
    return {
        "name": member.user.display_name if member.user else None,
        "relationship": member.relation, "called": member.role_label,
        "known_for_years": member.known_for_years, "contact": member.contact_frequency,
        "has_account": member.user_id is not None, "created_at": _when(member.created_at),
        "consent": None if consent is None else {
            "may_rate": consent.may_rate, "may_see_own_answers": consent.may_see_own_answers,
            "may_see_others": consent.may_see_others, "basis": consent.basis,
            "updated_at": _when(consent.updated_at),
        },
        "invites": [{"name": i.name, "contact": i.contact, "created_at": _when(i.created_at),
                     "expires_at": _when(i.expires_at), "used_at": _when(i.used_at)}
                    for i in invites],
    }


def _answer(answer: Answer) -> dict:
    return {
        "question": answer.question_key, "status": answer.status, "words": answer.text,
        "scale_point": answer.scale_point,  # Yes / Not sure / No, on a yes/no question
        "typed_for_person": answer.typed_for_person, "hand_over": answer.hand_over_id,
        "themes": [{"theme": t.theme_key, "source": t.source} for t in answer.themes],
        "created_at": _when(answer.created_at), "updated_at": _when(answer.updated_at),
    }


def _conversation(conversation: Conversation) -> dict:
    return {
        "conversation": conversation.conversation_key, "source": conversation.source,
        "mode": conversation.mode, "language": conversation.language,
        "share_words": conversation.share_words, "started_at": _when(conversation.started_at),
        "finished_at": _when(conversation.finished_at),
        "answers": [_answer(a) for a in conversation.answers],
    }


def _mat(session: MatSession, relation_of: dict) -> dict:
    return {
        "mat": session.mat_key, "perspective": session.perspective,
        "by": "self" if session.rated_by_user_id is None else relation_of.get(
            session.rated_by_user_id, "someone else"),
        "language": session.language, "created_at": _when(session.created_at),
        "finished_at": _when(session.finished_at), "has_picture": bool(session.picture_path),
        "placements": [{"card": p.card_key, "own_words": p.own_words, "status": p.status,
                        "point": _key(p.point_item), "score": p.score,
                        "hand_over": p.hand_over_id}
                       for p in session.placements],
    }


def _ratings(session: RatingSession, relation_of: dict) -> dict:
    comments = {c.rating_id: c.comment for c in db.session.scalars(
        select(RatingComment).where(RatingComment.rating_id.in_([r.id for r in session.ratings])))}
    return {
        "perspective": session.perspective,
        "by": "self" if session.rated_by_user_id is None else relation_of.get(
            session.rated_by_user_id, "someone else"),
        "language": session.language, "created_at": _when(session.created_at),
        "finished_at": _when(session.finished_at),
        "ratings": [{"statement": r.statement_key, "status": r.status,
                     "point": _key(r.point_item), "score": r.score,
                     "comment": comments.get(r.id), "hand_over": r.hand_over_id}
                    for r in session.ratings],
    }


# --- Easy read -------------------------------------------------------------------------------


def easyread_lines(person: Person, language: str) -> tuple[str, list[tuple[str, str]]]:
    """(title, [(picture name, words)]) for the PDF, in the person's language."""
    from portal.conversations.store import conversation_item

    with force_locale(language):
        title = gettext("What the portal keeps about you")
        lines = [("person", gettext("Your name here is %(name)s.", name=person.display_name))]
        names = [m.role_label or (m.user.display_name if m.user else "") for m in person.circle]
        names = [n for n in names if n]
        if names:
            lines.append(("circle", gettext("People in your circle: %(names)s.",
                                            names=", ".join(names))))
        for conversation in db.session.scalars(select(Conversation).where(
                Conversation.person_id == person.id).order_by(Conversation.id)):
            item = conversation_item(conversation.conversation_key)
            name = item.words(language) if item else conversation.conversation_key
            lines.append(("speaking", gettext("Conversation: %(name)s, %(date)s.", name=name,
                                              date=conversation.started_at.date().isoformat())))
            for answer in conversation.answers:
                if answer.text:
                    question = answer.question_item.words(language)
                    lines.append(("writing", f"{question} {answer.text}"))
        for session in db.session.scalars(select(MatSession).where(
                MatSession.person_id == person.id).order_by(MatSession.id)):
            lines.append(("chart", gettext("Picture mat: %(name)s, %(date)s.",
                                           name=session.mat_item.words(language),
                                           date=session.created_at.date().isoformat())))
            for placement in session.placements:
                card = (placement.card_item.words(language) if placement.card_item
                        else placement.own_words or "")
                if placement.point_item is not None:
                    lines.append(("list", f"{card}: {placement.point_item.words(language)}"))
        for session in db.session.scalars(select(RatingSession).where(
                RatingSession.person_id == person.id).order_by(RatingSession.id)):
            day = session.created_at.date().isoformat()
            if session.rated_by_user_id is None:
                lines.append(("scales", gettext("How true, %(date)s.", date=day)))
            else:
                lines.append(("two-people", gettext(
                    "Someone in your circle gave ratings for you, %(date)s.", date=day)))
            for rating in session.ratings:
                if rating.point_item is not None:
                    lines.append(("list", f"{rating.statement_item.words(language)} "
                                          f"{rating.point_item.words(language)}"))
        lines.append(("information", gettext("You can ask us to delete all of this.")))
    return title, lines
