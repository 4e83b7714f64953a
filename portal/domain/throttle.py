"""Sign-in throttling as a pure function, so the rule is easy to test and to read."""


def seconds_to_wait(failures: int, seconds_since_last: float, free: int, max_delay: int) -> int:
    """How long someone must still wait before trying to sign in again.

    The first `free` failures cost nothing (people mistype); after that each failure
    doubles the wait, from 2 seconds up to `max_delay`.
    """
    if failures < free:
        return 0
    delay = min(2 ** (failures - free + 1), max_delay)
    remaining = delay - seconds_since_last
    return max(0, int(remaining + 0.999))
