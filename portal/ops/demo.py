"""Demo areas, accounts and a circle, so a newcomer can try every role at once.

Idempotent: running it again changes nothing that is already there.
"""

from __future__ import annotations

from sqlalchemy import select

from portal.core.extensions import db
from portal.models import CircleMember, LocalAuthority, Person, Region, Relationship, Role, User
from portal.ops.areas_data import REGIONS

DEMO_PASSWORD = "demo-password"  # noqa: S105 - documented demo password, refused in production

DEMO_USERS = [
    ("demo-person", Role.PERSON, "Alex"),
    ("demo-supporter", Role.SUPPORTER, "Siân Jones"),
    ("demo-practitioner", Role.PRACTITIONER, "Rhys Evans"),
    ("demo-facilitator", Role.FACILITATOR, "Megan Davies"),
    ("demo-commissioner", Role.COMMISSIONER, "Gareth Thomas"),
    ("demo-admin", Role.ADMIN, "Portal Admin"),
]


def seed_areas() -> int:
    """Create any missing region or council; return how many were added."""
    added = 0
    for code, name_en, name_cy, councils in REGIONS:
        region = db.session.scalar(select(Region).where(Region.code == code))
        if region is None:
            region = Region(code=code, name_en=name_en, name_cy=name_cy)
            db.session.add(region)
            db.session.flush()
            added += 1
        for la_code, la_en, la_cy in councils:
            exists = db.session.scalar(select(LocalAuthority).where(LocalAuthority.code == la_code))
            if exists is None:
                db.session.add(
                    LocalAuthority(code=la_code, name_en=la_en, name_cy=la_cy, region_id=region.id)
                )
                added += 1
    db.session.flush()
    return added


def _user(username: str, role: Role, name: str) -> User:
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        user = User(username=username, role=role, display_name=name)
        user.set_password(DEMO_PASSWORD)
        db.session.add(user)
        db.session.flush()
    return user


def seed_demo() -> dict[str, int]:
    areas_added = seed_areas()
    users = {username: _user(username, role, name) for username, role, name in DEMO_USERS}
    cardiff = db.session.scalar(select(LocalAuthority).where(LocalAuthority.code == "cardiff"))
    person = db.session.scalar(select(Person).where(Person.user_id == users["demo-person"].id))
    if person is None:
        person = Person(
            user_id=users["demo-person"].id, display_name="Alex", local_authority_id=cardiff.id
        )
        db.session.add(person)
        db.session.flush()
    circle = [
        ("demo-supporter", Relationship.FAMILY, "Mum", 30),
        ("demo-practitioner", Relationship.PROFESSIONAL, "Social worker", 2),
    ]
    for username, relation, label, years in circle:
        member_id = users[username].id
        exists = db.session.scalar(
            select(CircleMember).where(
                CircleMember.person_id == person.id, CircleMember.user_id == member_id
            )
        )
        if exists is None:
            db.session.add(
                CircleMember(
                    person_id=person.id,
                    user_id=member_id,
                    relation=relation,
                    role_label=label,
                    known_for_years=years,
                    contact_frequency="weekly",
                )
            )
    # The demo commissioner sees the Cardiff and Vale region (issue 8).
    from portal.ops.aggregate_demo import grant_demo_commissioner

    grant_demo_commissioner()
    db.session.commit()
    return {"areas_added": areas_added, "users": len(users)}
