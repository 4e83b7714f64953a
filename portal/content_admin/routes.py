"""The content list and the picture upload pages (admins only)."""

from __future__ import annotations

from itertools import groupby

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from portal.content_admin import bp
from portal.content_admin.forms import LibraryPictureForm, PictureUploadForm
from portal.core.access import allow
from portal.core.extensions import db
from portal.core.messages import PICTURE_BACK_TO_LIBRARY, PICTURE_CHANGED
from portal.models import ContentItem, Role
from portal.uploads.images import MAX_FILE_BYTES, PictureRefused, process_picture
from portal.uploads.store import active_upload_for, save_picture_upload, use_library_picture

RECORDINGS_ENDPOINT = "speech.recording_upload"

# The kinds the content loader knows (portal/content/schema.py), in the order shown.
KIND_LABELS = {
    "domain": _l("Well-being areas"),
    "theme": _l("Themes"),
    "mat": _l("Picture mats"),
    "card": _l("Cards"),
    "scale": _l("Scales"),
    "scale_point": _l("Scale answers"),
    "conversation": _l("Conversations"),
    "question": _l("Questions"),
    "statement": _l("Statements"),
}
KIND_ORDER = {kind: index for index, kind in enumerate(KIND_LABELS)}


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))


def _current_item(key: str) -> ContentItem:
    item = db.session.scalar(
        select(ContentItem).where(ContentItem.key == key, ContentItem.is_current.is_(True))
    )
    if item is None:
        abort(404)
    return item


def _recordings_available() -> bool:
    # The speech pages may not be installed yet: link to them only when they are.
    return RECORDINGS_ENDPOINT in current_app.view_functions


@bp.get("")
@allow(Role.ADMIN)
def content_list():
    items = db.session.scalars(
        select(ContentItem)
        .where(ContentItem.is_current.is_(True))
        .order_by(ContentItem.kind, ContentItem.key)
    ).all()
    items = sorted(items, key=lambda item: (KIND_ORDER.get(item.kind, len(KIND_ORDER)), item.kind))
    groups = [
        (kind, kind_label(kind), list(rows)) for kind, rows in groupby(items, lambda i: i.kind)
    ]
    return render_template(
        "content_admin/list.html",
        groups=groups,
        total=len(items),
        recordings_endpoint=RECORDINGS_ENDPOINT if _recordings_available() else None,
        active_upload_for=active_upload_for,
    )


@bp.route("/<key>/picture", methods=["GET", "POST"])
@allow(Role.ADMIN)
def change_picture(key: str):
    item = _current_item(key)
    form = PictureUploadForm()
    if form.validate_on_submit():
        # Read one byte more than allowed, so a too-big file is caught without reading it all.
        data = form.picture.data.stream.read(MAX_FILE_BYTES + 1)
        try:
            processed = process_picture(data)
        except PictureRefused as refused:
            form.picture.errors.append(refused.message)
            current_app.logger.info("Picture upload for %s refused: %s", key, refused.reason)
        else:
            save_picture_upload(processed, item.key, current_user.id)
            flash(str(PICTURE_CHANGED))
            return redirect(url_for("content_admin.content_list", _anchor=_anchor(item.key)))
    status = 400 if form.is_submitted() else 200
    return _picture_page(item, form, status)


@bp.post("/<key>/picture/library")
@allow(Role.ADMIN)
def use_library(key: str):
    item = _current_item(key)
    form = LibraryPictureForm()
    if not form.validate_on_submit():
        # Only the token can be wrong: show the picture page with the kind message.
        upload_form = PictureUploadForm(formdata=None)
        upload_form.csrf_token.errors = list(form.csrf_token.errors)
        return _picture_page(item, upload_form, 400)
    use_library_picture(item.key)
    flash(str(PICTURE_BACK_TO_LIBRARY))
    return redirect(url_for("content_admin.content_list", _anchor=_anchor(item.key)))


def _picture_page(item, form, status):
    return (
        render_template(
            "content_admin/picture.html",
            item=item,
            form=form,
            upload=active_upload_for(item.key),
            recordings_endpoint=RECORDINGS_ENDPOINT if _recordings_available() else None,
        ),
        status,
    )


def _anchor(key: str) -> str:
    return "item-" + key.replace(".", "-")
