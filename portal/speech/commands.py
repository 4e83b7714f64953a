"""`flask --app portal easyread build`: render the audio every easy-read page needs."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy.exc import SQLAlchemyError


@click.group(cls=AppGroup)  # its commands run inside an app context, also from tests
def easyread():
    """Build what the easy-read pages need."""


def sentences_to_render() -> tuple[list[tuple[str, str]], str | None]:
    """(language, text) pairs of the content and the catalogues, and a warning if any."""
    from portal.core.extensions import db
    from portal.speech.render import catalogue_sentences, content_sentences

    settings = current_app.extensions["portal_settings"]
    warning = None
    try:
        sentences = content_sentences()
        # Commissioners' "You said, we did" words are spoken too (saved since the last build).
        from portal.commissioning.feedback import sentences as you_said_sentences

        sentences += you_said_sentences()
    except SQLAlchemyError:
        db.session.rollback()
        sentences = []
        warning = ("The database has no content yet (run `flask --app portal db upgrade` and "
                   "load the content): only the fixed messages get audio this time.")
    return sentences + catalogue_sentences(settings.translations_dir), warning


@easyread.command("build")
@click.option("--force", is_flag=True, help="Render every clip again, even those already made.")
def build_command(force: bool):
    """Render each sentence's audio in Welsh and English (unchanged sentences are kept)."""
    from portal.speech.render import SpeechUnavailable, build_audio
    from portal.speech.store import audio_dir

    sentences, warning = sentences_to_render()
    if warning:
        click.echo(warning, err=True)
    target = audio_dir()
    try:
        result = build_audio(sentences, target, force=force)
    except SpeechUnavailable as error:
        click.echo(str(error), err=True)
        return  # exit 0: the pages work without audio
    _pages_show_new_clips()
    voices = ", ".join(f"{language}: {voice}" for language, voice in sorted(result.voices.items()))
    click.echo(
        f"audio: {result.rendered} rendered, {result.cached} cached, "
        f"{result.seconds:.1f} s, {result.total_kb:.0f} KB in {target}"
        + (f" (voices {voices})" if voices else "")
    )
    for language, problem in result.failed:
        click.echo(f"could not render ({language}) {problem}", err=True)
    if result.failed:
        sys.exit(1)


def _pages_show_new_clips() -> None:
    """Pages keep rendered play buttons (portal/core/fragments.py) until the content stamp
    changes: new clips on disk are a change."""
    from portal.content.cache import content_changed
    from portal.core.extensions import db

    try:
        content_changed()
        db.session.commit()
    except SQLAlchemyError:  # no database yet: nothing is kept either
        db.session.rollback()
