"""Made-up results for trying the commissioner's dashboard: many people, proxy views,
eight quarters, through the ORM so the rollups move as they do in use. Never in
production (the `aggregate demo` command refuses)."""

from __future__ import annotations

import hashlib
import random
from datetime import datetime, timedelta

from sqlalchemy import select

from portal.core.extensions import db
from portal.models import (
    AgeBand,
    Answer,
    AnswerStatus,
    AnswerTheme,
    CircleMember,
    CommissionerArea,
    ContentItem,
    Conversation,
    Event,
    EventParticipant,
    LocalAuthority,
    Person,
    Perspective,
    Rating,
    RatingSession,
    RatingStatus,
    Region,
    Relationship,
    Role,
    ThemeSource,
    User,
)

START = datetime(2024, 1, 1)
HOW_TRUE = {"always": 100.0, "mostly": 200 / 3, "sometimes": 100 / 3, "not-true": 0.0}


def grant_demo_commissioner() -> None:
    user = db.session.scalar(select(User).where(User.username == "demo-commissioner"))
    region = db.session.scalar(select(Region).where(Region.code == "cardiff-and-vale"))
    if user is None or region is None:
        return
    exists = db.session.scalar(select(CommissionerArea).where(
        CommissionerArea.user_id == user.id, CommissionerArea.region_id == region.id))
    if exists is None:
        db.session.add(CommissionerArea(user_id=user.id, region_id=region.id))
        db.session.flush()


def seed_results(people: int = 80, seed: int = 8, la_codes: tuple[str, ...] = ()) -> int:
    """Add `people` made-up people with self and proxy ratings; return the ratings added."""
    rng = random.Random(seed)  # noqa: S311 - made-up demo data, not secrets
    query = select(LocalAuthority)
    if la_codes:
        query = query.where(LocalAuthority.code.in_(la_codes))
    las = list(db.session.scalars(query.order_by(LocalAuthority.id)))
    statements = list(db.session.scalars(select(ContentItem).where(
        ContentItem.kind == "statement", ContentItem.is_current)))
    scale = db.session.scalar(select(ContentItem).where(
        ContentItem.key == "scale.how-true", ContentItem.is_current))
    points = {key: db.session.scalar(select(ContentItem).where(
        ContentItem.key == f"scale_point.how-true.{key}", ContentItem.is_current))
        for key in HOW_TRUE}
    if not las or not statements or scale is None:
        raise RuntimeError("load the content and the areas first")
    helper = db.session.scalar(select(User).where(User.username == "demo-results-helper"))
    if helper is None:
        helper = User(username="demo-results-helper", role=Role.SUPPORTER,
                      display_name="Results helper")
        helper.set_password("demo-password")
        db.session.add(helper)
        db.session.flush()
    added = 0
    for i in range(people):
        person = Person(display_name=f"Demo results {i}", local_authority_id=rng.choice(las).id)
        db.session.add(person)
        db.session.flush()
        db.session.add(CircleMember(person_id=person.id, user_id=helper.id,
                                    relation=rng.choice(list(Relationship))))
        leaning = rng.random()
        for n, quarter in enumerate(rng.sample(range(8), 2)):
            when = START + timedelta(days=quarter * 91 + rng.randrange(0, 80))
            if n == 0:
                db.session.add(_conversation(rng, person.id, when))
            for proxy in (False, rng.random() < 0.5):
                session = RatingSession(
                    person_id=person.id, language=rng.choice(["en", "cy"]),
                    perspective=Perspective.PROXY_OWN_VIEW if proxy else Perspective.SELF,
                    rated_by_user_id=helper.id if proxy else None, finished_at=when)
                for statement in statements:
                    key = rng.choices(list(HOW_TRUE), weights=[leaning, 1, 1, 1 - leaning])[0]
                    session.ratings.append(Rating(
                        statement_key=statement.key.split(".", 1)[1],
                        statement_item_id=statement.id, scale_item_id=scale.id,
                        point_item_id=points[key].id, status=RatingStatus.RATED,
                        score=HOW_TRUE[key]))
                    added += 1
                db.session.add(session)
        db.session.flush()
    for index, la in enumerate(las):
        added += _event(rng, index, la, helper, statements, scale, points)
    db.session.commit()
    return added


# Made-up shared words: some carry a name, a place and a phone number, which the
# dashboard must take out (portal/domain/redact.py) before showing them.
SHARED_WORDS = (
    "Going to the club with Dewi on a Friday in Cardiff.",
    "The bus does not come to my street any more.",
    "My support worker helps me with money. Call me on 07700 900123.",
    "Mae fy ffrindiau yn bwysig i fi.",
)


def _conversation(rng, person_id: int | None, when: datetime, source: str = "review"):
    """A finished What Matters conversation choosing a few pictures for each question."""
    questions = [q for q in db.session.scalars(select(ContentItem).where(
        ContentItem.kind == "question", ContentItem.is_current))
        if q.data.get("conversation") == "what-matters"
        and q.data.get("purpose") in ("matters", "barriers", "helps")]
    conversation = Conversation(person_id=person_id, conversation_key="what-matters",
                                source=source, language=rng.choice(["en", "cy"]),
                                share_words=rng.random() < 0.4, started_at=when,
                                finished_at=when)
    for question in questions:
        cards = question.data.get("cards") or []
        if not cards:
            continue
        # Themes lean to the first cards, so some are common enough to publish.
        chosen = set(rng.choices(cards[:5], k=rng.randrange(1, 3)))
        answer = Answer(question_key=question.key.removeprefix("question."),
                        question_item_id=question.id, status=AnswerStatus.ANSWERED,
                        text=rng.choice(SHARED_WORDS) if rng.random() < 0.3 else None)
        answer.themes = [AnswerTheme(theme_key=key, source=ThemeSource.CARD)
                         for key in sorted(chosen)]
        conversation.answers.append(answer)
    return conversation


def _event(rng, index: int, la, helper, statements, scale, points) -> int:
    """A listening event in this area: participants rate and choose pictures anonymously."""
    day = START + timedelta(days=rng.randrange(0, 730))
    event = Event(facilitator_id=helper.id, title_en=f"Demo listening event {index + 1}",
                  title_cy=f"Digwyddiad gwrando enghreifftiol {index + 1}",
                  event_date=day.date(), venue="Demo hall", local_authority_id=la.id,
                  conversation_key="what-matters", use_ratings=True,
                  join_code=f"DEMO{index:03d}", closed_at=day)
    db.session.add(event)
    added = 0
    for i in range(14):
        conversation = _conversation(rng, None, day, source="event")
        db.session.add(conversation)
        db.session.flush()
        participant = EventParticipant(
            token_hash=hashlib.sha256(f"demo-results-{la.code}-{i}".encode()).hexdigest(),
            language="en",
            age_band=rng.choice(list(AgeBand)), conversation_id=conversation.id,
            finished_at=day)
        event.participants.append(participant)
        db.session.flush()
        session = RatingSession(participant_id=participant.id, language="en", finished_at=day)
        for statement in statements:
            # A safety statement's lowest answer raises a follow-up for a named person
            # (portal/answering/ratings/safety.py); an anonymous participant has none, so the
            # made-up
            # answers stay above it.
            keys = list(HOW_TRUE)[:-1] if statement.data.get("safety") else list(HOW_TRUE)
            key = rng.choice(keys)
            session.ratings.append(Rating(
                statement_key=statement.key.split(".", 1)[1], statement_item_id=statement.id,
                scale_item_id=scale.id, point_item_id=points[key].id,
                status=RatingStatus.RATED, score=HOW_TRUE[key]))
            added += 1
        db.session.add(session)
    db.session.flush()
    return added
