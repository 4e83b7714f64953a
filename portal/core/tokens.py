"""One-time secrets (set-up links, set-up codes, sign-in cards): random, shown once, and
stored only as a hash, so a copy of the database cannot be used to sign in."""

from __future__ import annotations

import hashlib
import hmac
import secrets

TOKEN_BYTES = 32


def new_token() -> tuple[str, str]:
    """(token to show once, hash to store)."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    # SHA-256 is enough here: the token has 256 random bits, so it cannot be guessed
    # from its hash (a slow password hash protects guessable secrets, not random ones).
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def same_hash(a: str, b: str) -> bool:
    return hmac.compare_digest(a, b)
