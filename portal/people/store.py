"""Adding people, changing their details, and the practitioners' lists (caseloads).

A practitioner's list is the people in whose circle they are a professional member
(as portal/circle/guards.py and portal/answering/ratings/safety.py read it), so adding a person
puts that
membership in the same transaction, and a caseload transfer moves it.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.core.extensions import db
from portal.models import CircleMember, Person, Relationship, Role, User

# A password hash that no password matches (werkzeug refuses a hash without "$"): the
# person signs in by card, passkey or hand-over; a password can be set for them later.
NO_PASSWORD = "!no-password"  # noqa: S105  # nosec B105 - a marker, not a password


@dataclass(frozen=True)
class Details:
    name: str
    preferred_name: str | None
    language: str
    local_authority_id: int
    date_of_birth: date | None
    pictures: bool
    text_size: str
    speech_rate: str


def _new_username() -> str:
    # Nobody types it: it only has to be unique. It names no one.
    while True:
        username = f"person-{secrets.token_hex(4)}"
        if db.session.scalar(select(User.id).where(User.username == username)) is None:
            return username


def _apply(person: Person, user: User | None, details: Details) -> None:
    person.display_name = details.name
    person.preferred_name = details.preferred_name or None
    person.local_authority_id = details.local_authority_id
    person.date_of_birth = details.date_of_birth
    if user is not None:
        user.display_name = details.preferred_name or details.name
        user.locale = details.language
        user.pref_pictures = details.pictures
        user.pref_text_size = details.text_size
        user.pref_speech_rate = details.speech_rate


def add_person(details: Details, practitioner_id: int) -> Person:
    """The person, their sign-in account (no usable password), and their place on the
    practitioner's list. Not committed: the caller commits."""
    user = User(username=_new_username(), role=Role.PERSON, display_name=details.name,
                password_hash=NO_PASSWORD)
    person = Person(user=user, display_name=details.name)
    _apply(person, user, details)
    person.circle.append(CircleMember(user_id=practitioner_id, relation=Relationship.PROFESSIONAL))
    db.session.add_all([user, person])
    db.session.flush()
    return person


def change_details(person: Person, details: Details) -> None:
    _apply(person, person.user, details)


def details_of(person: Person) -> dict:
    """The form's starting values for a person."""
    user = person.user
    values = {"name": person.display_name, "preferred_name": person.preferred_name or "",
              "local_authority": str(person.local_authority_id or ""),
              "date_of_birth": person.date_of_birth}
    if user is not None:
        values.update(language=user.locale or "en",
                      pictures="yes" if user.pref_pictures else "no",
                      text_size=user.pref_text_size, speech_rate=user.pref_speech_rate)
    return values


# --- Caseloads (the admin's view) ---------------------------------------------------------


def practitioners() -> list[User]:
    return list(db.session.scalars(select(User).where(
        User.role == Role.PRACTITIONER, User.active.is_(True)).order_by(User.display_name)))


def _on_lists() -> dict[int, list[Person]]:
    """Each active practitioner's id with the people on their list."""
    rows = db.session.execute(
        select(CircleMember.user_id, Person)
        .join(Person, Person.id == CircleMember.person_id)
        .join(User, User.id == CircleMember.user_id)
        .where(CircleMember.relation == Relationship.PROFESSIONAL,
               User.role == Role.PRACTITIONER, User.active.is_(True))
        .options(selectinload(Person.local_authority))
        .order_by(Person.display_name, Person.id))
    lists: dict[int, list[Person]] = {}
    for user_id, person in rows:
        lists.setdefault(user_id, []).append(person)
    return lists


def caseloads() -> tuple[list[tuple[User, list[Person]]], list[Person]]:
    """(every active practitioner with their list, the people on nobody's list)."""
    lists = _on_lists()
    listed = {p.id for people in lists.values() for p in people}
    nobody = [p for p in db.session.scalars(select(Person).order_by(Person.display_name, Person.id))
              if p.id not in listed]
    return [(user, lists.get(user.id, [])) for user in practitioners()], nobody


def practitioners_of(person: Person) -> list[User]:
    return [m.user for m in person.circle
            if m.relation == Relationship.PROFESSIONAL and m.user is not None
            and m.user.role == Role.PRACTITIONER]


def transfer(person: Person, to_user: User) -> None:
    """Move the person to `to_user`'s list: every other practitioner leaves their circle
    (and with it their list); the new one joins as a professional. Not committed.

    Other professionals in the circle (a nurse who is not a practitioner on the portal,
    say) stay. A proxy rating the old practitioner gave stays theirs, but counts as a
    proxy of unknown relationship from now on, as after any member leaves a circle.
    """
    staying = None
    for member in list(person.circle):
        if member.user_id == to_user.id:
            staying = member
        elif (member.relation == Relationship.PROFESSIONAL and member.user is not None
              and member.user.role == Role.PRACTITIONER):
            person.circle.remove(member)
    if staying is None:
        person.circle.append(CircleMember(user_id=to_user.id, relation=Relationship.PROFESSIONAL))
    else:
        staying.relation = Relationship.PROFESSIONAL
