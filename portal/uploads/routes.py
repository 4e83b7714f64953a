"""Serves uploaded pictures. Each upload has its own id, so a file never changes:
browsers may keep it for a year."""

from __future__ import annotations

from flask import abort, send_file

from portal.core.access import public
from portal.core.extensions import db
from portal.models import PictureUpload
from portal.uploads import bp
from portal.uploads.images import SIZES
from portal.uploads.store import upload_file_path

ONE_YEAR = 365 * 24 * 3600


@bp.get("/uploads/pictures/<int:upload_id>/<int:size>.webp")
@public
def picture(upload_id: int, size: int):
    if size not in SIZES:
        abort(404)
    upload = db.session.get(PictureUpload, upload_id)
    # A picture an admin stopped using is no longer served.
    if upload is None or not upload.active:
        abort(404)
    path = upload_file_path(upload, size)
    if path is None:
        abort(404)
    response = send_file(path, mimetype="image/webp", max_age=ONE_YEAR, conditional=True)
    response.cache_control.public = True
    response.cache_control.immutable = True
    return response
