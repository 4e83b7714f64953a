"""The one-page easy-read "What matters to me", made with portal/core/pdf.py.

One page at easy-read size (24 pt, a picture beside each idea) holds about twenty short
lines, so the page gathers the answers by what they tell us (what matters, what I am good
at, what helps, ...) rather than question by question: each group is one idea with its
picture, the themes chosen and the person's own words. When that does not fit on one
page, the words are left out (they are on the printed summary), then the last groups.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

# (purpose, heading, picture): the order the page shows them in.
GROUPS = (
    ("matters", _l("What matters to me"), "heart"),
    ("strengths", _l("What I am good at"), "strong"),
    ("helps", _l("What helps me"), "friend"),
    ("worries", _l("What worries me"), "worried"),
    ("barriers", _l("What gets in the way"), "barrier"),
    ("risks", _l("What could go wrong"), "warning"),
    ("about", _l("About me"), "person"),
    ("impact", _l("How things changed for me"), "thought"),
)
_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


@dataclass(frozen=True)
class GroupText:
    purpose: str
    heading: str
    picture: str
    themes: tuple[str, ...]
    words: tuple[str, ...]
    # Yes/no answers, each "Question? Answer": kept with the themes, as answers, when the
    # person's own words are left out to fit the page.
    points: tuple[str, ...] = ()

    def text(self, with_words: bool) -> str:
        lines = [self.heading, *self.points]
        if self.themes:
            lines.append(", ".join(self.themes))
        if with_words:
            lines += [f"“{w}”" for w in self.words]
        return "\n".join(lines)


Answer = tuple[str, list[str], str | None] | tuple[str, list[str], str | None, str | None]


def groups(answers: Sequence[Answer], language: str) -> list[GroupText]:
    """answers: (purpose, theme names, words[, yes/no line]) for each answer that says
    something; the yes/no line is "Question? Answer" for a question with a picture scale."""
    found = []
    with force_locale(language):
        for purpose, heading, picture in GROUPS:
            mine = [a for a in answers if a[0] == purpose]
            themes = tuple(dict.fromkeys(name for a in mine for name in a[1]))
            words = tuple(a[2] for a in mine if a[2])
            points = tuple(a[3] for a in mine if len(a) > 3 and a[3])
            if themes or words or points:
                found.append(GroupText(purpose, str(heading), picture, themes, words, points))
    return found


def page_count(pdf: bytes) -> int:
    return len(_PAGE.findall(pdf))


def one_page(
    found: list[GroupText], render: Callable[[list[tuple[str, str]]], bytes]
) -> bytes:
    """Render (picture, text) lines, leaving out words, then groups, until one page holds it."""
    attempts = [[(g.picture, g.text(True)) for g in found]]
    attempts.append([(g.picture, g.text(False)) for g in found])
    attempts += [attempts[1][:n] for n in range(len(found) - 1, 0, -1)]
    pdf = b""
    for lines in attempts:
        pdf = render(lines)
        if page_count(pdf) <= 1:
            return pdf
    return pdf
