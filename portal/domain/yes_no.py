"""Yes / Not sure / No: what a point on a yes/no question's picture scale means for the
themes chosen with it. Pure: shared by the conversation pages and the aggregate.

Three conversation questions ask yes or no (easyread_assets/conversations.toml:
wm-enough, jn-easy-to-get, jn-enough). The person answers on a picture scale and can
still choose cards (which things) and type words.
"""

from __future__ import annotations

# The points of the yes/no scales (easyread_assets/scales.toml), whatever the Welsh verb.
YES, NOT_SURE, NO = "yes", "not-sure", "no"


def counted_purpose(purpose: str, point: str | None) -> str:
    """What the themes of an answer tell the aggregate, given a yes/no scale's point.

    A clear Yes ("there is enough help", "help was easy to get") makes the cards chosen
    with it things that help; a clear No makes them things that get in the way, whatever
    the question's own purpose. "Not sure" counts toward neither: the person did not say
    whether the help is there, and counting their cards either way would claim what they
    did not say. Answers with no point (questions without a scale, and answers given
    before the scale existed) keep their question's purpose, so earlier figures stand.
    """
    if point == YES:
        return "helps"
    if point == NO:
        return "barriers"
    if point == NOT_SURE:
        return ""
    return purpose
