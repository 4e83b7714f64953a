"""Easy-read PDFs: a picture on the left, the words on the right, one idea a line.

    data = easyread_pdf("Beth sy'n bwysig i mi", [(picture, words, alt), ...], "cy")

`picture` is a file path (an OpenMoji SVG or an uploaded WebP/PNG), the bytes of an SVG
or of a raster picture, or None for a line with no picture. The words are 24 pt,
left-aligned (never justified), in Atkinson Hyperlegible Next: its "latin" subset is the
main font and its "latin-ext" subset the fallback, so every Welsh letter (ŵ ŷ ẁ ẃ ỳ ...)
prints. The document says its language and title, and each picture carries its alt text
(fpdf2 then writes a tagged structure with a Figure for each).

`content_lines(items, language)` turns ContentItems into lines, using an admin's uploaded
picture when there is one. `pdf_response(data, filename)` sends the PDF from a view.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path

from flask import Response, send_file
from fpdf import FPDF
from fpdf.prefs import ViewerPreferences

FONT_DIR = Path(__file__).resolve().parent.parent / "static" / "fonts" / "ttf"
FONT = "AtkinsonNext"
FALLBACK_FONT = "AtkinsonNextExt"
_FONT_FILES = {
    (FONT, ""): "atkinson-hyperlegible-next-latin-400-normal.ttf",
    (FONT, "B"): "atkinson-hyperlegible-next-latin-700-normal.ttf",
    (FALLBACK_FONT, ""): "atkinson-hyperlegible-next-latin-ext-400-normal.ttf",
    (FALLBACK_FONT, "B"): "atkinson-hyperlegible-next-latin-ext-700-normal.ttf",
}

TEXT_PT = 24  # easy read on paper: never smaller
TITLE_PT = 32
LINE_SPACING = 1.35
MARGIN_MM = 18
PICTURE_MM = 35
GAP_MM = 8  # between the picture and the words
ROW_GAP_MM = 9  # between one idea and the next
_PT_TO_MM = 25.4 / 72

PictureSource = str | Path | bytes | None
Line = tuple[PictureSource, str, str]


def easyread_pdf(
    title: str,
    lines: Sequence[Line],
    language: str,
    *,
    author: str | None = None,
    subject: str | None = None,
) -> bytes:
    pdf = _new_document(_nfc(title), language, author, subject)
    text_x = MARGIN_MM + PICTURE_MM + GAP_MM
    text_width = pdf.w - MARGIN_MM - text_x
    line_height = TEXT_PT * LINE_SPACING * _PT_TO_MM

    pdf.set_font(FONT, "B", TITLE_PT)
    pdf.start_section(_nfc(title), level=0)  # a bookmark a screen reader can jump to
    pdf.multi_cell(0, TITLE_PT * 1.25 * _PT_TO_MM, _nfc(title), align="L",
                   new_x="LMARGIN", new_y="NEXT")
    pdf.ln(ROW_GAP_MM)

    pdf.set_font(FONT, "", TEXT_PT)
    for picture, text, alt in lines:
        text = _nfc(text)
        text_height = pdf.multi_cell(text_width, line_height, text, align="L",
                                     dry_run=True, output="HEIGHT")
        row_height = max(PICTURE_MM if picture is not None else 0, text_height)
        # Keep each idea whole: move it to the next page rather than split it.
        if pdf.get_y() + row_height > pdf.page_break_trigger and pdf.get_y() > pdf.t_margin + 1:
            pdf.add_page()
        top = pdf.get_y()
        if picture is not None:
            pdf.image(
                _image_source(picture),
                x=MARGIN_MM,
                y=top + (row_height - PICTURE_MM) / 2,
                w=PICTURE_MM,
                h=PICTURE_MM,
                keep_aspect_ratio=True,
                alt_text=_nfc(alt) if alt else None,
            )
        pdf.set_xy(text_x, top + (row_height - text_height) / 2)
        pdf.multi_cell(text_width, line_height, text, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.set_y(max(pdf.get_y(), top + row_height) + ROW_GAP_MM)
    return bytes(pdf.output())


def content_lines(items: Iterable, language: str, size: int = 320) -> list[Line]:
    """Lines for ContentItems, each with its picture (an admin's upload when there is one)."""
    from portal.uploads.store import content_picture_source

    return [(content_picture_source(item, size), item.words(language), item.alt(language))
            for item in items]


def pdf_response(data: bytes, filename: str, *, download: bool = False) -> Response:
    return send_file(io.BytesIO(data), mimetype="application/pdf", as_attachment=download,
                     download_name=filename, max_age=0)


def _new_document(title: str, language: str, author: str | None, subject: str | None) -> FPDF:
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_margins(MARGIN_MM, MARGIN_MM, MARGIN_MM)
    pdf.set_auto_page_break(True, margin=MARGIN_MM)
    for (family, style), file_name in _FONT_FILES.items():
        pdf.add_font(family, style, str(FONT_DIR / file_name))
    # Letters the latin subset lacks (ŵ ŷ Ŵ Ŷ ẁ ẃ ỳ ...) come from the latin-ext subset.
    pdf.set_fallback_fonts([FALLBACK_FONT])
    pdf.set_lang(language)
    pdf.set_title(title)
    # Viewers show the title, not the file name, in the window and to screen readers.
    pdf.viewer_preferences = ViewerPreferences(display_doc_title=True)
    pdf.set_creator("What Matters portal")
    if author:
        pdf.set_author(author)
    if subject:
        pdf.set_subject(subject)
    pdf.add_page()
    return pdf


def _image_source(picture: PictureSource):
    if isinstance(picture, Path):
        return str(picture)
    if isinstance(picture, bytes):
        head = picture[:2048]
        if b"<svg" in head:
            # fpdf2 spots an SVG only by its first bytes: drop a comment or doctype before it.
            start = 0 if head.lstrip().startswith(b"<?xml ") else picture.index(b"<svg")
            return io.BytesIO(picture[start:].strip())
        return io.BytesIO(picture)
    return picture


def _nfc(text: str) -> str:
    # "w" + a combining circumflex becomes the single letter "ŵ", which the font has.
    return unicodedata.normalize("NFC", text)
