"""Load checked content into the database, adding a version only when an item changed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from portal.content.schema import ContentSpec, parse_files
from portal.core.config import PROJECT_ROOT
from portal.core.extensions import db
from portal.models import ContentItem
from portal.pictures import picture_exists

ASSETS = PROJECT_ROOT / "easyread_assets"
NOT_CONTENT = {"pictures.toml"}


@dataclass
class LoadResult:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    retired: int = 0

    def __str__(self) -> str:
        return (f"{self.added} added, {self.updated} updated, "
                f"{self.unchanged} unchanged, {self.retired} retired")


def read_asset_files(folder: Path = ASSETS) -> dict[str, str]:
    return {
        path.name: path.read_text(encoding="utf-8")
        for path in sorted(folder.glob("*.toml"))
        if path.name not in NOT_CONTENT
    }


def load_content(folder: Path = ASSETS) -> LoadResult:
    """Check every file, then load all of it in one transaction (or nothing)."""
    specs = parse_files(read_asset_files(folder), picture_exists)
    return apply_specs(specs)


def apply_specs(specs: list[ContentSpec]) -> LoadResult:
    result = LoadResult()
    current = {
        item.key: item
        for item in db.session.scalars(select(ContentItem).where(ContentItem.is_current))
    }
    try:
        for spec in specs:
            existing = current.pop(spec.key, None)
            if existing is not None and existing.checksum == spec.checksum:
                result.unchanged += 1
                continue
            version = 1
            if existing is not None:
                existing.is_current = False
                version = existing.version + 1
                result.updated += 1
            else:
                latest = db.session.scalar(
                    select(ContentItem.version)
                    .where(ContentItem.key == spec.key)
                    .order_by(ContentItem.version.desc())
                    .limit(1)
                )
                version = (latest or 0) + 1
                result.added += 1
            db.session.add(_item(spec, version))
        for retired in current.values():  # no longer in the files: kept for old answers
            retired.is_current = False
            result.retired += 1
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return result


def _item(spec: ContentSpec, version: int) -> ContentItem:
    return ContentItem(
        key=spec.key,
        kind=spec.kind,
        version=version,
        is_current=True,
        words_en=spec.words_en,
        words_cy=spec.words_cy,
        alt_en=spec.alt_en,
        alt_cy=spec.alt_cy,
        picture=spec.picture,
        data=spec.data,
        checksum=spec.checksum,
        source_file=spec.source_file,
    )


def current_items(kind: str | None = None) -> list[ContentItem]:
    query = select(ContentItem).where(ContentItem.is_current)
    if kind:
        query = query.where(ContentItem.kind == kind)
    return list(db.session.scalars(query.order_by(ContentItem.kind, ContentItem.id)))
