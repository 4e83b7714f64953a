"""Mats, cards, scales and outcome statements as the pages need them, read from the
current content (portal/content/). The mats and ratings blueprints both call this.

Keys here are the short keys of the content files: mat "home", card "home.bedroom",
statement "safe", scale "how-true", point "always". The content item keys add the kind:
"mat.home", "card.home.bedroom", "scale_point.how-true.always".

Each worker keeps what it reads here until the content changes (portal/content/cache.py):
transient copies in no session, so a mat placement or a rating reads no content at all,
and any change, made by any worker, is seen on the next request.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from portal.content.cache import copies, kept
from portal.domain.scoring import Scale, scale_from_scores
from portal.models import ContentItem


def _order(item: ContentItem) -> tuple:
    return ((item.data or {}).get("order", 0), item.id)


def current_items(kind: str) -> list[ContentItem]:
    """Copies of the current items of one kind, by id, kept while the content is unchanged.
    Shared: do not change the list or its items (sort a copy)."""
    def load() -> list[ContentItem]:
        table = ContentItem.__table__
        return copies(ContentItem, select(table).where(
            table.c.is_current.is_(True), table.c.kind == kind).order_by(table.c.id))

    return kept(f"items:{kind}", load)


def _current(kind: str) -> list[ContentItem]:
    return sorted(current_items(kind), key=_order)


def _current_item(key: str) -> ContentItem | None:
    kind = key.split(".", 1)[0]
    return next((item for item in current_items(kind) if item.key == key), None)


def short_key(item: ContentItem) -> str:
    return item.key.split(".", 1)[1]


@dataclass(frozen=True)
class LoadedScale:
    key: str
    item: ContentItem
    points: tuple[ContentItem, ...]  # best first, as shown
    scale: Scale

    def point_key(self, point: ContentItem) -> str:
        return point.key.removeprefix(f"scale_point.{self.key}.")

    def point(self, key: str | None) -> ContentItem | None:
        for point in self.points:
            if self.point_key(point) == key:
                return point
        return None

    def normalised(self, key: str) -> float:
        return self.scale.normalised(key)

    @property
    def point_keys(self) -> list[str]:
        return [self.point_key(p) for p in self.points]


def load_scale(key: str) -> LoadedScale | None:
    return kept(f"scale:{key}", lambda: _load_scale(key))


def _load_scale(key: str) -> LoadedScale | None:
    item = _current_item(f"scale.{key}")
    points = [p for p in _current("scale_point") if p.data.get("scale") == key]
    if item is None or len(points) < 2:
        return None
    scale = scale_from_scores(
        key, [(p.key.removeprefix(f"scale_point.{key}."), p.data["score"]) for p in points]
    )
    return LoadedScale(key, item, tuple(points), scale)


@dataclass(frozen=True)
class Mat:
    key: str
    item: ContentItem
    scale: LoadedScale
    cards: tuple[ContentItem, ...]

    def card(self, key: str) -> ContentItem | None:
        return next((c for c in self.cards if short_key(c) == key), None)


def current_mats() -> list[ContentItem]:
    return _current("mat")


def load_mat(key: str) -> Mat | None:
    return kept(f"mat:{key}", lambda: _load_mat(key))


def _load_mat(key: str) -> Mat | None:
    item = _current_item(f"mat.{key}")
    if item is None:
        return None
    scale = load_scale(item.data["scale"])
    if scale is None:
        return None
    cards = tuple(c for c in _current("card") if c.data.get("mat") == key)
    return Mat(key, item, scale, cards)


@dataclass(frozen=True)
class StatementSet:
    """The outcome statements, in order, each with its scale."""

    statements: tuple[ContentItem, ...]
    scales: dict[str, LoadedScale]

    def __len__(self) -> int:
        return len(self.statements)

    def number_of(self, key: str) -> int | None:
        """1-based place of a statement, or None when it is not in this set."""
        for index, item in enumerate(self.statements, start=1):
            if short_key(item) == key:
                return index
        return None

    def at(self, number: int) -> ContentItem | None:
        return self.statements[number - 1] if 1 <= number <= len(self.statements) else None

    def scale_of(self, statement: ContentItem) -> LoadedScale:
        return self.scales[statement.data["scale"]]


def load_statements() -> StatementSet:
    return kept("statements", _load_statements)


def _load_statements() -> StatementSet:
    statements = tuple(_current("statement"))
    scales = {}
    for key in {s.data["scale"] for s in statements}:
        loaded = load_scale(key)
        if loaded is not None:
            scales[key] = loaded
    return StatementSet(tuple(s for s in statements if s.data["scale"] in scales), scales)


def domains() -> list[ContentItem]:
    return _current("domain")
