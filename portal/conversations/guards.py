"""Who may open which conversation: the person it is about, or a practitioner who is a
professional in that person's circle. Anyone else gets "not found" (404): the portal does
not say whether a conversation exists."""

from __future__ import annotations

from flask import abort
from flask_login import current_user
from sqlalchemy.orm import joinedload

from portal.conversations import store
from portal.core.extensions import db
from portal.models import Conversation, Person, Role


def may_hold(person_id: int | None) -> bool:
    if person_id is None:
        return False
    if current_user.role == Role.PERSON:
        person = db.session.get(Person, person_id)
        return person is not None and person.user_id == current_user.id
    if current_user.role == Role.PRACTITIONER:
        return store.is_professional_in_circle(current_user.id, person_id)
    return False


def conversation_or_404(conversation_id: int) -> Conversation:
    # The person comes in the same query: may_hold and the screens need them.
    conversation = db.session.get(Conversation, conversation_id,
                                  options=[joinedload(Conversation.person)])
    if conversation is None or not may_hold(conversation.person_id):
        abort(404)
    return conversation


def person_for_practitioner_or_404(person_id: int) -> Person:
    person = db.session.get(Person, person_id)
    if person is None or not store.is_professional_in_circle(current_user.id, person.id):
        abort(404)
    return person


def is_practitioner() -> bool:
    return current_user.role == Role.PRACTITIONER
