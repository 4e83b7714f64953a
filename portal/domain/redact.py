"""Taking names and places out of words people agreed to share: pure (text in, text out).

Used before a quote is shown to anyone but the person and their circle (the commissioner's
dashboard; listening-event reports may use it too). It removes more than it must: a
wrongly hidden word costs little, a name left in can identify someone.

What goes, each replaced by `MARK` (the same in Welsh and English):
- email addresses, phone numbers (6 or more digits, spaces allowed), UK postcodes, web links;
- the names given (people known to the portal, local authorities, regions), whole words,
  any case, longest first, and each word of a name on its own;
- any capitalised word that does not start a sentence ("I" and short capitals such as
  "GP" or "NHS" stay: they name no one).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

MARK = "[…]"

_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_LINK = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.IGNORECASE)
_PHONE = re.compile(r"(?<!\w)\+?\d(?:[\s-]?\d){5,}(?!\w)")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_SENTENCE_END = re.compile(r"[.!?…:;\n]\s*[\"'“‘(]*$")
# Capitalised words that name nobody: "I" and its contractions (English), and short
# all-capital abbreviations.
_KEEP = {"i", "i'm", "i’m", "i've", "i’ve", "i'd", "i’d", "i'll", "i’ll"}


def _name_words(names: Iterable[str]) -> list[str]:
    words: set[str] = set()
    for name in names:
        name = " ".join(name.split())
        if not name:
            continue
        words.add(name)
        words.update(part for part in re.split(r"[\s-]+", name) if len(part) >= 2)
    return sorted(words, key=lambda w: (-len(w), w))


def _sentence_start(text: str, index: int) -> bool:
    before = text[:index]
    return not before.strip() or bool(_SENTENCE_END.search(before))


def redact(text: str, names: Iterable[str] = ()) -> str:
    """`text` with contact details, the given names and mid-sentence capitalised words
    replaced by MARK."""
    out = text
    for pattern in (_EMAIL, _LINK, _POSTCODE, _PHONE):
        out = pattern.sub(MARK, out)
    for word in _name_words(names):
        out = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", MARK, out, flags=re.IGNORECASE)

    def capital(match: re.Match) -> str:
        word = match.group(0)
        if not word[0].isupper() or word.lower() in _KEEP:
            return word
        if word.isupper() and len(word) <= 3 and len(word) > 1:
            return word
        if _sentence_start(out, match.start()):
            return word
        return MARK

    out = _WORD.sub(capital, out)
    # Neighbouring marks say no more than one.
    return re.sub(rf"(?:{re.escape(MARK)}[\s,]*)+{re.escape(MARK)}", MARK, out)
