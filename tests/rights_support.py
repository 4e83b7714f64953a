"""A whole record for one person, written straight to the database (plain functions): a
conversation with answers and a theme, a saved mat with a picture file, their own finished
ratings with a comment, a supporter's proxy ratings, a safety follow-up and a
best-interests decision. Used by the audit, rights and retention tests."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from portal.core.extensions import db
from portal.models import (
    Answer,
    AnswerStatus,
    AnswerTheme,
    BestInterestsDecision,
    CircleMember,
    ContentItem,
    Conversation,
    LocalAuthority,
    MatPlacement,
    MatSession,
    Person,
    Perspective,
    PlacementStatus,
    Rating,
    RatingComment,
    RatingSession,
    RatingStatus,
    Role,
    SafetyFollowUp,
    User,
)

SECRET_WORDS = "I worry about my neighbour Zebedee"  # answer content, never in the audit log
MAT_WORDS = "Feeding the cat Mittens"


def _item(key: str) -> ContentItem:
    return db.session.scalar(select(ContentItem).where(ContentItem.key == key,
                                                       ContentItem.is_current))


def user_id(username: str) -> int:
    return db.session.scalar(select(User.id).where(User.username == username))


def add_person(name: str = "Bea", username: str | None = None, *, area: str = "cardiff",
               circle: tuple[tuple[str, str], ...] = ()) -> int:
    """A person (with a sign-in when username is given), in the circles given as
    (username, relation) pairs; their id. Call inside an app context; commits."""
    user = None
    if username:
        user = User(username=username, role=Role.PERSON, display_name=name, locale="cy")
        user.set_password("demo-password")
        db.session.add(user)
        db.session.flush()
    la = db.session.scalar(select(LocalAuthority).where(LocalAuthority.code == area))
    person = Person(user_id=user.id if user else None, display_name=name,
                    local_authority_id=la.id if la else None)
    db.session.add(person)
    db.session.flush()
    for member, relation in circle:
        db.session.add(CircleMember(person_id=person.id, user_id=user_id(member),
                                    relation=relation, role_label=f"{relation} of {name}"))
    db.session.commit()
    return person.id


def add_record(person_id: int, *, when: datetime | None = None,
               proxy_by: str | None = "demo-supporter") -> dict:
    """Everything a person can have, finished at `when`; the ids made. Commits."""
    when = when or datetime(2026, 1, 15, 10, 0)
    made: dict = {}
    question = _item("question.wm-worries")
    conversation = Conversation(person_id=person_id, conversation_key="what-matters",
                                language="cy", started_at=when, updated_at=when,
                                finished_at=when)
    answer = Answer(question_key="wm-worries", question_item_id=question.id,
                    status=AnswerStatus.ANSWERED, text=SECRET_WORDS)
    answer.themes.append(AnswerTheme(theme_key="being-heard", source="tag"))
    conversation.answers.append(answer)
    db.session.add(conversation)

    scale = _item("scale.good-not-sure-bad")
    mat = MatSession(person_id=person_id, mat_key="home", mat_item_id=_item("mat.home").id,
                     scale_item_id=scale.id, language="cy", created_at=when, updated_at=when,
                     finished_at=when)
    mat.placements.append(MatPlacement(
        card_key="own-1", own_words=MAT_WORDS, status=PlacementStatus.PLACED,
        point_item_id=_item("scale_point.good-not-sure-bad.good").id, scale_item_id=scale.id,
        score=100.0))
    db.session.add(mat)

    how_true = _item("scale.how-true")
    always = _item("scale_point.how-true.always")
    statements = list(db.session.scalars(select(ContentItem).where(
        ContentItem.kind == "statement", ContentItem.is_current).order_by(ContentItem.key)))[:3]
    sessions = [RatingSession(person_id=person_id, language="cy", created_at=when,
                              updated_at=when, finished_at=when)]
    if proxy_by:
        sessions.append(RatingSession(person_id=person_id, language="en", created_at=when,
                                      updated_at=when, finished_at=when,
                                      perspective=Perspective.PROXY_OWN_VIEW,
                                      rated_by_user_id=user_id(proxy_by)))
    for session in sessions:
        for statement in statements:
            session.ratings.append(Rating(
                statement_key=statement.key.split(".", 1)[1], statement_item_id=statement.id,
                scale_item_id=how_true.id, point_item_id=always.id, status=RatingStatus.RATED,
                score=100.0))
        db.session.add(session)
    db.session.flush()
    rating = sessions[0].ratings[0]
    db.session.add(RatingComment(rating_id=rating.id, comment="Comment about Zebedee"))
    follow_up = SafetyFollowUp(person_id=person_id, rating_id=rating.id,
                               statement_key=rating.statement_key, raised_by_relation="self",
                               perspective=Perspective.SELF, raised_at=when)
    db.session.add(follow_up)
    db.session.add(BestInterestsDecision(person_id=person_id, consulted="Mum",
                                         decided_on=date(2026, 1, 1), reason="A reason"))
    db.session.flush()
    picture = Path(current_app.instance_path) / "mats" / f"{mat.id}-test.png"
    picture.parent.mkdir(parents=True, exist_ok=True)
    picture.write_bytes(b"\x89PNG test")
    mat.picture_path = f"mats/{picture.name}"
    db.session.commit()
    made.update(conversation=conversation.id, answer=answer.id, mat=mat.id,
                ratings=[s.id for s in sessions], follow_up=follow_up.id, picture=picture)
    return made
