"""Where uploaded pictures live, and which picture a content item shows.

Files go to `<instance>/uploads/pictures/<upload id>/<size>.webp`. The database row and
the files are written together: when one fails, neither is kept.
"""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

from flask import current_app, url_for
from sqlalchemy import select, update

from portal.content.cache import copies, kept
from portal.core.extensions import db
from portal.models import PictureUpload
from portal.uploads.images import SIZES, ProcessedPicture

PICTURES_DIR = Path("uploads") / "pictures"


def instance_root() -> Path:
    return Path(current_app.instance_path).resolve()


def pictures_root() -> Path:
    return instance_root() / PICTURES_DIR


def save_picture_upload(
    processed: ProcessedPicture, content_key: str, uploaded_by_id: int | None
) -> PictureUpload:
    """Store the files, record the upload and make it the item's picture (older ones stop)."""
    upload = PictureUpload(
        content_key=content_key,
        uploaded_by_id=uploaded_by_id,
        width=processed.width,
        height=processed.height,
        files={},
        active=True,
    )
    db.session.add(upload)
    db.session.flush()  # gives the id the folder is named after

    root = pictures_root()
    root.mkdir(parents=True, exist_ok=True)
    final = root / str(upload.id)
    staging = root / f".incoming-{uuid.uuid4().hex}"
    try:
        staging.mkdir()
        files = {}
        for size, data in processed.files.items():
            (staging / f"{size}.webp").write_bytes(data)
            files[str(size)] = (PICTURES_DIR / str(upload.id) / f"{size}.webp").as_posix()
        if final.exists():  # left by a failed attempt whose id the database gave out again
            shutil.rmtree(final)
        staging.rename(final)
        upload.files = files
        db.session.execute(
            update(PictureUpload)
            .where(PictureUpload.content_key == content_key, PictureUpload.id != upload.id)
            .values(active=False)
        )
        db.session.commit()
    except BaseException:
        db.session.rollback()
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(final, ignore_errors=True)
        raise
    return upload


def use_library_picture(content_key: str) -> int:
    """Stop using uploaded pictures for an item; gives how many were in use.

    The files stay on disk (an admin may want them back later) but are no longer served.
    """
    result = db.session.execute(
        update(PictureUpload)
        .where(PictureUpload.content_key == content_key, PictureUpload.active.is_(True))
        .values(active=False)
    )
    db.session.commit()
    return result.rowcount or 0


def active_picture_uploads() -> dict[str, PictureUpload]:
    """The upload in use for each content key (copies, kept while the content is unchanged)."""
    def load() -> dict[str, PictureUpload]:
        table = PictureUpload.__table__
        query = select(table).where(table.c.active.is_(True)).order_by(table.c.id)
        return {row.content_key: row for row in copies(PictureUpload, query)}  # newest wins

    return kept("picture_uploads", load)


def active_upload_for(content_key: str) -> PictureUpload | None:
    return active_picture_uploads().get(content_key)


def nearest_size(size: int) -> int:
    """The smallest stored size at least as big as asked (the biggest when none is)."""
    for stored in SIZES:
        if stored >= size:
            return stored
    return SIZES[-1]


def upload_url(upload: PictureUpload, size: int = 160) -> str:
    return url_for("uploads.picture", upload_id=upload.id, size=nearest_size(size))


def content_picture_url(item, size: int = 160) -> str:
    """The picture an item shows: the admin's upload when there is one, else the library's.

    A Jinja global; `item` is a ContentItem (anything with `key` and `picture`).
    """
    upload = active_upload_for(item.key)
    if upload is not None:
        return upload_url(upload, size)
    from portal.pictures import picture_url

    return picture_url(item.picture)


def upload_file_path(upload: PictureUpload, size: int) -> Path | None:
    """The stored file of one size, or None when it is missing or outside the upload folder."""
    relative = (upload.files or {}).get(str(size))
    if not relative:
        return None
    root = pictures_root().resolve()
    path = (instance_root() / relative).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        return None
    return path


def content_picture_source(item, size: int = 320) -> Path:
    """A file for the item's picture, for PDFs: the upload's WebP, else the OpenMoji SVG."""
    upload = active_upload_for(item.key)
    if upload is not None:
        path = upload_file_path(upload, nearest_size(size))
        if path is not None:
            return path
    from portal.pictures import hexcode_for, openmoji_svg_dir

    return openmoji_svg_dir() / f"{hexcode_for(item.picture)}.svg"
