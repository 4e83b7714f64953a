"""Parse and check content files. Pure: no database, no Flask.

Every problem is collected (file, item, reason) so that one run of the loader shows
them all, and nothing is loaded while any remain.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field

from portal.content.easyread import MAX_WORDS_PER_SENTENCE, long_sentences

LANGUAGES = ("en", "cy")
TEXT_FIELDS = ("en", "cy", "alt_en", "alt_cy")
# Kind in the file -> the fields it must carry beyond key, picture and the text fields.
KINDS: dict[str, tuple[str, ...]] = {
    "domain": ("formal_en", "formal_cy"),
    "theme": ("domain",),
    "scale": (),
    "mat": ("domain", "scale"),
    "card": ("mat", "theme"),
    "conversation": (),
    "question": ("conversation", "purpose"),
    "statement": ("domain", "scale", "formal_en", "formal_cy"),
}
# What a question asks about, so the aggregate can count answers by purpose.
PURPOSES = ("about", "worries", "matters", "barriers", "helps", "risks", "strengths", "impact")
# Optional fields copied into the item's data when present.
OPTIONAL_TEXT = ("hint_en", "hint_cy")


@dataclass(frozen=True)
class ContentProblem:
    file: str
    item: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: {self.item}: {self.reason}"


class ContentError(ValueError):
    def __init__(self, problems: list[ContentProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class ContentSpec:
    key: str
    kind: str
    words_en: str
    words_cy: str
    alt_en: str
    alt_cy: str
    picture: str
    source_file: str
    data: dict = field(default_factory=dict)

    @property
    def checksum(self) -> str:
        payload = json.dumps(
            [self.words_en, self.words_cy, self.alt_en, self.alt_cy, self.picture, self.data],
            sort_keys=True,
            ensure_ascii=False,
        )
        return hashlib.sha256(payload.encode()).hexdigest()


@dataclass
class _Checker:
    file: str
    picture_exists: Callable[[str], bool]
    problems: list[ContentProblem] = field(default_factory=list)

    def add(self, item: str, reason: str) -> None:
        self.problems.append(ContentProblem(self.file, item, reason))

    def item(self, kind: str, raw: dict, label: str, required: tuple[str, ...]) -> bool:
        """Check the fields every item shares; True when it can be built."""
        ok = True
        for name in ("key", "picture", *TEXT_FIELDS, *required):
            value = raw.get(name)
            if not isinstance(value, str):
                ok = False
                if name == "picture":
                    self.add(label, "missing picture")
                elif name in TEXT_FIELDS:
                    language = "Welsh" if name.endswith("cy") else "English"
                    what = "alt text" if name.startswith("alt") else "words"
                    self.add(label, f"missing {language} {what} ({name})")
                else:
                    self.add(label, f"missing {name}")
            elif isinstance(value, str) and not value.strip():
                ok = False
                self.add(label, f"{name} is empty")
        picture = raw.get("picture")
        if isinstance(picture, str) and picture.strip() and not self.picture_exists(picture):
            ok = False
            self.add(label, f"unknown picture name {picture!r}")
        for name in TEXT_FIELDS:
            value = raw.get(name)
            if isinstance(value, str):
                for sentence in long_sentences(value):
                    ok = False
                    self.add(
                        label,
                        f"{name} has a sentence over {MAX_WORDS_PER_SENTENCE} words: {sentence!r}",
                    )
        return ok


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def parse_files(
    files: dict[str, str], picture_exists: Callable[[str], bool]
) -> list[ContentSpec]:
    """Turn {file name: TOML text} into checked content specs, or raise ContentError."""
    specs: list[ContentSpec] = []
    problems: list[ContentProblem] = []
    for file_name, text in sorted(files.items()):
        checker = _Checker(file_name, picture_exists)
        try:
            document = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            checker.add("(file)", f"not valid TOML: {error}")
            problems += checker.problems
            continue
        for kind, entries in document.items():
            if kind not in KINDS:
                checker.add(kind, f"unknown kind {kind!r} (known: {', '.join(KINDS)})")
                continue
            for index, raw in enumerate(entries if isinstance(entries, list) else [entries]):
                specs += _parse_entry(checker, kind, index, raw)
        problems += checker.problems
    problems += _cross_check(specs)
    if problems:
        raise ContentError(problems)
    return specs


def _parse_entry(checker: _Checker, kind: str, index: int, raw) -> list[ContentSpec]:
    if not isinstance(raw, dict):
        checker.add(f"{kind} #{index + 1}", "must be a table of fields")
        return []
    label = f"{kind} {raw.get('key', f'#{index + 1}')!s}"
    if not checker.item(kind, raw, label, KINDS[kind]):
        return []
    data = {name: raw[name] for name in KINDS[kind]}
    data["order"] = index
    if kind == "question" and not _question_ok(checker, raw, label, data):
        return []
    if kind == "statement":
        # A "No" to a safety statement makes a follow-up for the practitioner.
        if not isinstance(raw.get("safety", False), bool):
            checker.add(label, "safety must be true or false")
            return []
        data["safety"] = raw.get("safety", False)
    spec = _spec(f"{kind}.{raw['key']}", kind, raw, checker.file, data)
    if kind != "scale":
        return [spec]
    return [spec, *_scale_points(checker, raw, label)]


def _question_ok(checker: _Checker, raw: dict, label: str, data: dict) -> bool:
    ok = True
    if raw["purpose"] not in PURPOSES:
        checker.add(label, f"unknown purpose {raw['purpose']!r} (known: {', '.join(PURPOSES)})")
        ok = False
    hints = [raw.get(name) for name in OPTIONAL_TEXT]
    if any(hints) and not all(isinstance(h, str) and h.strip() for h in hints):
        checker.add(label, "a hint needs both hint_en and hint_cy")
        ok = False
    for name in OPTIONAL_TEXT:
        if isinstance(raw.get(name), str):
            data[name] = raw[name].strip()
            for sentence in long_sentences(raw[name]):
                checker.add(label, f"{name} has a sentence over {MAX_WORDS_PER_SENTENCE} words: "
                                   f"{sentence!r}")
                ok = False
    scale = raw.get("scale")
    if scale is not None:  # a yes/no question's picture scale (checked to exist later)
        if isinstance(scale, str) and scale.strip():
            data["scale"] = scale.strip()
        else:
            checker.add(label, "scale must be the key of a scale")
            ok = False
    cards = raw.get("cards", [])
    if not isinstance(cards, list) or not all(isinstance(c, str) for c in cards):
        checker.add(label, "cards must be a list of theme keys")
        ok = False
    data["cards"] = list(cards) if isinstance(cards, list) else []
    return ok


def _scale_points(checker: _Checker, raw: dict, label: str) -> list[ContentSpec]:
    points = raw.get("point")
    if not isinstance(points, list) or len(points) < 2:
        checker.add(label, "a scale needs at least two points")
        return []
    specs, scores = [], []
    for index, point in enumerate(points):
        point_label = f"{label} point {point.get('key', f'#{index + 1}')!s}"
        if not checker.item("point", point, point_label, ()):
            continue
        if not _is_number(point.get("score")):
            checker.add(point_label, "missing score (a number)")
            continue
        scores.append(point["score"])
        data = {"scale": raw["key"], "score": point["score"], "order": index}
        specs.append(_spec(f"scale_point.{raw['key']}.{point['key']}", "scale_point", point,
                           checker.file, data))
    if len(set(scores)) != len(scores):
        checker.add(label, "two points of the scale have the same score")
    return specs


def _spec(key: str, kind: str, raw: dict, file_name: str, data: dict) -> ContentSpec:
    return ContentSpec(
        key=key,
        kind=kind,
        words_en=raw["en"].strip(),
        words_cy=raw["cy"].strip(),
        alt_en=raw["alt_en"].strip(),
        alt_cy=raw["alt_cy"].strip(),
        picture=raw["picture"].strip(),
        source_file=file_name,
        data=data,
    )


def _cross_check(specs: list[ContentSpec]) -> list[ContentProblem]:
    """Keys are unique, and references (a theme's domain, a card's theme) exist."""
    problems = []
    seen: dict[str, str] = {}
    for spec in specs:
        if spec.key in seen:
            problems.append(ContentProblem(spec.source_file, spec.key,
                                           f"the key is used twice (also in {seen[spec.key]})"))
        seen[spec.key] = spec.source_file
    for spec in specs:
        for field_name, kind in (("domain", "domain"), ("theme", "theme"),
                                 ("conversation", "conversation"), ("mat", "mat"),
                                 ("scale", "scale")):
            target = spec.data.get(field_name)
            if target is not None and f"{kind}.{target}" not in seen:
                problems.append(ContentProblem(spec.source_file, spec.key,
                                               f"unknown {kind} {target!r}"))
        for card in spec.data.get("cards", []):
            if f"theme.{card}" not in seen:
                problems.append(ContentProblem(spec.source_file, spec.key,
                                               f"unknown theme {card!r} in cards"))
    return problems
