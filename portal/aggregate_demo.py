"""Made-up results for trying the commissioner's dashboard: many people, proxy views,
eight quarters, through the ORM so the rollups move as they do in use. Never in
production (the `aggregate demo` command refuses)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import select

from portal.extensions import db
from portal.models import (
    CircleMember,
    CommissionerArea,
    ContentItem,
    LocalAuthority,
    Person,
    Perspective,
    Rating,
    RatingSession,
    RatingStatus,
    Region,
    Relationship,
    Role,
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
        for quarter in rng.sample(range(8), 2):
            when = START + timedelta(days=quarter * 91 + rng.randrange(0, 80))
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
    db.session.commit()
    return added
