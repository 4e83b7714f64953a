"""Render a saved mat to PNG (portal/answering/mats/drawing.py) and keep it under the instance
folder."""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path

from flask import current_app
from flask_babel import force_locale, format_date
from flask_babel import gettext as _

from portal.answering.mats.drawing import MatDrawing, PictureCard, PictureColumn, Rendered, render
from portal.answering.mats.store import Board
from portal.content.scales import Mat
from portal.core.i18n import ENDONYMS
from portal.models import MatSession
from portal.pictures import hexcode_for, openmoji_svg_dir
from portal.uploads.store import content_picture_source

PICTURES_DIR = Path("mats")
OWN_CARD_PICTURE = "writing"


def _source(item) -> Path | None:
    if item is None:
        return openmoji_svg_dir() / f"{hexcode_for(OWN_CARD_PICTURE)}.svg"
    try:
        return content_picture_source(item, 320)
    except KeyError:  # a picture name no longer known: draw the words alone
        return None


def drawing(session: MatSession, mat: Mat, board: Board) -> MatDrawing:
    """What the picture shows, in the language the mat was done in."""
    language = session.language
    with force_locale(language):
        meta = _("Saved on %(date)s, in %(language)s.",
                 date=format_date(session.finished_at or session.updated_at, "long"),
                 language=ENDONYMS.get(language, language))
        unplaced_title = _("Cards not placed")
        credit = _("Pictures: %(library)s", library="OpenMoji (CC BY-SA 4.0)")
    mat_item = session.mat_item or mat.item

    def card(c) -> PictureCard:
        return PictureCard(c.key, c.words, _source(c.item))

    return MatDrawing(
        title=mat_item.words(language),
        picture=_source(mat_item),
        meta=meta,
        columns=tuple(
            PictureColumn(col.key, col.item.words(language), _source(col.item),
                          tuple(card(c) for c in col.cards))
            for col in board.columns
        ),
        unplaced_title=unplaced_title,
        unplaced=tuple(card(c) for c in board.unplaced),
        credit=credit,
    )


def picture_file(session: MatSession) -> Path | None:
    """The saved PNG, when there is one. Only a file under the mats folder is served."""
    if not session.picture_path:
        return None
    root = (Path(current_app.instance_path) / PICTURES_DIR).resolve()
    path = (Path(current_app.instance_path) / session.picture_path).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        return None
    return path


def save_picture(session: MatSession, mat: Mat, board: Board) -> Rendered:
    """Draw the mat and write the PNG (whole or not at all); records its path.

    The file name has a random part: another database using the same instance folder (a
    test run beside a development portal) can then never overwrite or serve this one.
    """
    rendered = render(drawing(session, mat, board))
    target = (Path(current_app.instance_path) / PICTURES_DIR
              / f"{session.id}-{secrets.token_hex(8)}.png")
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(rendered.png)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    session.picture_path = (PICTURES_DIR / target.name).as_posix()
    return rendered
