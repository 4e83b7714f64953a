"""The rules of the second step as plain functions (no Flask, no database), so they are
easy to read and to test.

A time-based code (RFC 6238, with pyotp): the phone's app and the portal share a secret
and both work out a 6-digit code from it for each 30-second slot ("step"). The portal
accepts the code of the slot before and after as well, as phone clocks drift; and it
refuses any slot at or before the last one that signed in, so a code works only once.

Backup codes: random, 16 letters and digits (about 79 bits), shown once, stored as a
SHA-256 hash. Letters and digits that look alike (0 and o, 1, i and l) are left out, so a
code read off paper is typed right; case, spaces and dashes do not matter.
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime

import pyotp

from portal.core.tokens import token_hash

DIGITS = 6
STEP_SECONDS = 30
DRIFT_STEPS = 1  # the slot before and the slot after are accepted too
BACKUP_CODE_COUNT = 10
BACKUP_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
BACKUP_LENGTH = 16
ISSUER = "What Matters"

_SIX_DIGITS = re.compile(r"[0-9]{6}")
_NOT_PART_OF_A_CODE = re.compile(r"[\s\-]")


def new_secret() -> str:
    return pyotp.random_base32()  # 32 base-32 letters: 160 bits, as RFC 4226 advises


def app_address(secret: str, username: str) -> str:
    """The otpauth:// address the phone's app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)


def secret_for_typing(secret: str) -> str:
    """The secret in groups of four, for someone who types it into their app."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def clean(code: str) -> str:
    return _NOT_PART_OF_A_CODE.sub("", code or "").lower()


def time_step(at: datetime) -> int:
    return int(at.timestamp()) // STEP_SECONDS


def matching_step(secret: str, code: str, at: datetime, last_step: int) -> int | None:
    """The slot whose code this is, if it is right now and newer than `last_step`."""
    code = clean(code)
    if not _SIX_DIGITS.fullmatch(code):
        return None
    totp = pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS)
    now = time_step(at)
    for step in range(now - DRIFT_STEPS, now + DRIFT_STEPS + 1):
        if step > last_step and secrets.compare_digest(
                totp.generate_otp(step), code):
            return step
    return None


def looks_like_backup_code(code: str) -> bool:
    cleaned = clean(code)
    return len(cleaned) == BACKUP_LENGTH and all(c in BACKUP_ALPHABET for c in cleaned)


def new_backup_codes(count: int = BACKUP_CODE_COUNT) -> list[str]:
    """Codes to show once, in groups of four: "abcd-efgh-jkmn-pqrs"."""
    codes = []
    for _ in range(count):
        raw = "".join(secrets.choice(BACKUP_ALPHABET) for _ in range(BACKUP_LENGTH))
        codes.append("-".join(raw[i:i + 4] for i in range(0, BACKUP_LENGTH, 4)))
    return codes


def backup_code_hash(code: str) -> str:
    return token_hash(clean(code))

