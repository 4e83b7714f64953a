"""Serving clips (public, cached for a year) and the admin's recordings page."""

from __future__ import annotations

import os
import secrets

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from sqlalchemy import select

from portal.core import messages
from portal.core.access import allow, public
from portal.core.extensions import db
from portal.core.i18n import ENDONYMS
from portal.models import AudioRecording, ContentItem, Role
from portal.speech import bp
from portal.speech.forms import RecordingForm, RemoveRecordingForm
from portal.speech.keys import VOICES, is_valid_key, normalise, text_key
from portal.speech.store import (
    active_recording_ids,
    audio_url,
    recording_file,
    recordings_dir,
    synthetic_path,
)

ONE_YEAR = 365 * 24 * 3600
# A clip's URL names exactly one sound (its key, or a recording's id): it never changes.
IMMUTABLE = f"public, max-age={ONE_YEAR}, immutable"


def _immutable(response):
    response.headers["Cache-Control"] = IMMUTABLE
    return response


@bp.get("/audio/<key>.ogg")
@public
def audio(key: str):
    if not is_valid_key(key):
        abort(404)
    path = synthetic_path(key)
    if not path.is_file():
        abort(404)
    return _immutable(send_file(path, mimetype="audio/ogg", max_age=ONE_YEAR))


@bp.get("/audio/recordings/<int:recording_id>")
@public
def recording(recording_id: int):
    found = db.session.get(AudioRecording, recording_id)
    if found is None or not found.active:
        abort(404)
    path = recording_file(found)
    if not path.is_file():
        abort(404)
    return _immutable(send_file(path, mimetype=found.mime_type, max_age=ONE_YEAR))


def _current_item(content_key: str) -> ContentItem:
    item = db.session.scalars(
        select(ContentItem).where(ContentItem.key == content_key, ContentItem.is_current.is_(True))
    ).first()
    if item is None:
        abort(404)
    return item


def _upload_form(language: str, form: RecordingForm | None = None) -> RecordingForm:
    form = form or RecordingForm(formdata=None, language=language)
    form.recording.id = f"recording-{language}"  # two forms on one page: ids must differ
    return form


def _save_recording(item: ContentItem, language: str, field) -> AudioRecording:
    text = item.words(language)
    key = text_key(language, text)
    directory = recordings_dir()
    directory.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_hex(16)}{field.suffix}"
    partial = directory / f".{name}.partial"
    partial.write_bytes(field.bytes)
    os.replace(partial, directory / name)
    for older in db.session.scalars(
        select(AudioRecording).where(AudioRecording.text_key == key, AudioRecording.active)
    ):
        older.active = False
    saved = AudioRecording(
        text_key=key,
        language=language,
        text=normalise(text),
        content_key=item.key,
        uploaded_by_id=current_user.id,
        mime_type=field.mime_type,
        path=f"recordings/{name}",
        active=True,
    )
    db.session.add(saved)
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        (directory / name).unlink(missing_ok=True)
        raise
    return saved


def _recordings_page(item: ContentItem, forms: dict, posted=None, status: int = 200):
    recordings = active_recording_ids()
    sentences = []
    for language in VOICES:
        words = item.words(language)
        sentences.append({
            "language": language,
            "name": ENDONYMS[language],
            "words": words,
            "audio_url": audio_url(words, language),
            "has_recording": text_key(language, words) in recordings,
            "form": forms[language],
            "remove_form": RemoveRecordingForm(formdata=None, language=language),
        })
    content_list_url = (
        url_for("content_admin.content_list", _anchor="item-" + item.key.replace(".", "-"))
        if "content_admin.content_list" in current_app.view_functions else None
    )
    page = render_template("speech/recordings.html", item=item, sentences=sentences, form=posted,
                           content_list_url=content_list_url)
    return page, status


@bp.route("/admin/audio/<content_key>", methods=["GET", "POST"])
@allow(Role.ADMIN)
def recording_upload(content_key: str):
    item = _current_item(content_key)
    forms = {language: _upload_form(language) for language in VOICES}
    if request.method == "GET":
        return _recordings_page(item, forms)
    posted = RecordingForm()
    language = posted.language.data
    if language not in VOICES:
        abort(400)
    if posted.validate():
        _save_recording(item, language, posted.recording)
        flash(str(messages.RECORDING_SAVED))
        return redirect(url_for(".recording_upload", content_key=item.key))
    forms[language] = _upload_form(language, posted)
    return _recordings_page(item, forms, posted, 400)


@bp.post("/admin/audio/<content_key>/remove")
@allow(Role.ADMIN)
def recording_remove(content_key: str):
    item = _current_item(content_key)
    form = RemoveRecordingForm()
    language = form.language.data
    if language not in VOICES:
        abort(400)
    if not form.validate():
        # Only the token can be wrong: show the page again with the kind message.
        forms = {code: _upload_form(code) for code in VOICES}
        forms[language].csrf_token.errors = list(form.csrf_token.errors)
        return _recordings_page(item, forms, forms[language], 400)
    key = text_key(language, item.words(language))
    for found in db.session.scalars(select(AudioRecording).where(AudioRecording.text_key == key)):
        # A person's voice is theirs: removing a recording removes its file, not just the link.
        recording_file(found).unlink(missing_ok=True)
        found.active = False
    db.session.commit()
    flash(str(messages.RECORDING_REMOVED))
    return redirect(url_for(".recording_upload", content_key=item.key))
