"""Join codes and participant tokens: plain functions, no Flask, no database.

A join code is 6 characters a facilitator can read aloud and a person can type on a
tablet: capital letters and digits with no look-alikes (no 0/O, 1/I/L, 5/S, 2/Z, 8/B).
Typing is forgiving: small letters, spaces and dashes are all fine.
"""

from __future__ import annotations

import hashlib
import secrets

ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 6
_LOOK_ALIKES = set("0O1IL5S2Z8B")


def new_code(length: int = CODE_LENGTH) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def normalise(typed: str | None) -> str:
    """What a person typed, as a code: capitals, without spaces or dashes."""
    return "".join(ch for ch in (typed or "").upper() if ch not in " -\t\u00a0")


def looks_like_code(code: str) -> bool:
    return len(code) == CODE_LENGTH and all(ch in ALPHABET for ch in code)


def spaced(code: str) -> str:
    """ "ACD3FG" -> "ACD 3FG": two groups of three are easier to read aloud."""
    half = len(code) // 2
    return f"{code[:half]} {code[half:]}"


def new_token() -> str:
    """A participant's secret, kept only in their browser session."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


assert not _LOOK_ALIKES & set(ALPHABET)  # noqa: S101 - a guard on the constant above
