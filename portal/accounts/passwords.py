"""The password rule (NCSC guidance): long enough, and not one of the most common
passwords; no rules about capitals, numbers or symbols, which make passwords harder to
remember and no harder to guess.

The list of common passwords is the one the `zxcvbn` package ships (30,000 passwords from
leaked sets, most common first), read once per worker."""

from __future__ import annotations

from functools import cache

from portal.accounts import messages

MIN_LENGTH = 10
MAX_LENGTH = 200


@cache
def common_passwords() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def password_problem(password: str, username: str = ""):
    """The message saying what is wrong with this password, or None when it is fine."""
    if len(password) < MIN_LENGTH:
        return messages.PASSWORD_TOO_SHORT
    if len(password) > MAX_LENGTH:
        return messages.PASSWORD_TOO_LONG
    folded = password.casefold()
    if username and folded == username.casefold():
        return messages.PASSWORD_IS_USERNAME
    if folded in common_passwords():
        return messages.PASSWORD_TOO_COMMON
    return None
