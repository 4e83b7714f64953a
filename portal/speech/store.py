"""Where clips live and which one a sentence uses. Safe inside a request: no speech engine.

A person's recording (an active AudioRecording) wins over the synthetic clip. It has its
own URL with the recording's id in it, so a browser that cached the synthetic clip, or
an older recording, fetches the new one as soon as the page links to it.
"""

from __future__ import annotations

from pathlib import Path

from flask import current_app, has_request_context, url_for
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from portal.content.cache import kept
from portal.core.extensions import db
from portal.models import AudioRecording
from portal.speech.keys import VOICES, text_key

SYNTHETIC_SUFFIX = ".ogg"


def audio_dir() -> Path:
    configured = current_app.config.get("SPEECH_AUDIO_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "audio"


def recordings_dir() -> Path:
    configured = current_app.config.get("SPEECH_RECORDINGS_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "recordings"


def synthetic_path(key: str, directory: Path | None = None) -> Path:
    return (directory or audio_dir()) / f"{key}{SYNTHETIC_SUFFIX}"


def recording_file(recording: AudioRecording) -> Path:
    """The file of a recording; `path` is relative to the recordings folder."""
    return recordings_dir() / Path(recording.path).name


def active_recording_ids() -> dict[str, int]:
    """{text_key: recording id} of every active recording, kept while the content is
    unchanged (portal/content/cache.py)."""
    def load() -> dict[str, int]:
        query = (
            select(AudioRecording.text_key, AudioRecording.id)
            .where(AudioRecording.active.is_(True))
            .order_by(AudioRecording.id)
        )
        return dict(db.session.execute(query).all())

    try:
        return kept("recordings", load)
    except SQLAlchemyError:
        # No database (an error page while it is down, or not migrated yet): the pages
        # still work, with the synthetic clips only.
        db.session.rollback()
        return {}


def current_language() -> str:
    from portal.core.templating import current_locale

    return current_locale() if has_request_context() else "en"


def clip_for(text, language: str | None = None) -> tuple[str, int | None] | None:
    """(text key, recording id or None) of the clip for these words, or None without one.

    Needs only an app context, so checks (e.g. "every content item has audio") can use it.
    """
    if text is None or not str(text).strip():
        return None
    language = language or current_language()
    if language not in VOICES:
        return None
    key = text_key(language, str(text))
    recording_id = active_recording_ids().get(key)
    if recording_id is not None:
        return key, recording_id
    if synthetic_path(key).is_file():
        return key, None
    return None


def audio_url(text, language: str | None = None) -> str | None:
    """The URL of the clip for these words (in the page's language), or None without one."""
    found = clip_for(text, language)
    if found is None:
        return None
    key, recording_id = found
    if recording_id is not None:
        return url_for("speech.recording", recording_id=recording_id)
    return url_for("speech.audio", key=key)
