"""Sign-in cards: pure rules (which pictures, is the choice right) and the card's life
(made, checked, locked after five wrong tries, unlocked, revoked).

The card alone is not enough, and the pictures alone are not enough: the card's token says
whose card it is; the three pictures say it is really them. The nine pictures shown are
fixed for a card (others new at each try would give the three away by elimination); their
places are shuffled at each try.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable

from sqlalchemy import select, update

from portal.core.clock import utcnow
from portal.core.extensions import db
from portal.core.tokens import new_token, token_hash
from portal.models import Person, Role, SignInCard
from portal.signin.pictures import CARD_PICTURES

CHOSEN = 3
SHOWN = 9
MAX_WRONG = 5

_random = secrets.SystemRandom()


def choice_hash(salt: str, names: Iterable[str]) -> str:
    """The same for the same three pictures in any order."""
    joined = ",".join(sorted(names))
    return hashlib.sha256(f"{salt}:{joined}".encode()).hexdigest()


def is_valid_choice(names: list[str]) -> bool:
    return len(set(names)) == CHOSEN == len(names) and all(n in CARD_PICTURES for n in names)


def nine_pictures(chosen: list[str]) -> list[str]:
    others = _random.sample([n for n in CARD_PICTURES if n not in chosen], SHOWN - CHOSEN)
    return shuffled([*chosen, *others])


def shuffled(names: list[str]) -> list[str]:
    names = list(names)
    _random.shuffle(names)
    return names


def current_card(person_id: int) -> SignInCard | None:
    return db.session.scalar(
        select(SignInCard).where(SignInCard.person_id == person_id,
                                 SignInCard.revoked_at.is_(None))
        .order_by(SignInCard.id.desc()))


def make_card(person: Person, chosen: list[str], made_by: int) -> tuple[SignInCard, str]:
    """A new card (any earlier one stops working); (card, token for the QR code)."""
    revoke(person.id)
    token, hashed = new_token()
    salt = secrets.token_hex(16)
    card = SignInCard(person_id=person.id, token_hash=hashed,
                      pictures=",".join(nine_pictures(chosen)), salt=salt,
                      choice_hash=choice_hash(salt, chosen), created_by_id=made_by)
    db.session.add(card)
    db.session.flush()
    return card, token


def revoke(person_id: int) -> bool:
    card = current_card(person_id)
    if card is None:
        return False
    card.revoked_at = utcnow()
    return True


def unlock(person_id: int) -> bool:
    card = current_card(person_id)
    if card is None or card.locked_at is None:
        return False
    card.locked_at, card.failures = None, 0
    return True


def card_for_token(token: str) -> SignInCard | None:
    """The working card for a token: not revoked, and its person has an active account."""
    if not token or len(token) > 200:
        return None
    card = db.session.scalar(select(SignInCard).where(SignInCard.token_hash == token_hash(token)))
    if card is None or card.revoked_at is not None:
        return None
    user = card.person.user
    if user is None or not user.active or user.role != Role.PERSON:
        return None
    return card


def try_pictures(card: SignInCard, picked: list[str]) -> bool:
    """True when these are the card's three pictures; a wrong try counts towards the lock."""
    right = hmac.compare_digest(card.choice_hash, choice_hash(card.salt, picked))
    if right:
        card.failures = 0
        return True
    # Counted in the database, not in Python: two tries at once both count.
    db.session.execute(update(SignInCard).where(SignInCard.id == card.id)
                       .values(failures=SignInCard.failures + 1))
    db.session.execute(update(SignInCard).where(SignInCard.id == card.id,
                                                SignInCard.failures >= MAX_WRONG,
                                                SignInCard.locked_at.is_(None))
                       .values(locked_at=utcnow()))
    db.session.refresh(card)
    return False
