"""The finished picture mat as a picture, like a photograph of a finished mat.

Pure drawing: plain data in, PNG bytes and the layout out (no Flask, no database). The
layout (where each column and card was drawn) comes back with the PNG so that tests,
and anything else, can check what went where.

Text is drawn with Atkinson Hyperlegible Next. Its files come in subsets (the latin one
lacks ŵ and ŷ), so each run of text is drawn with the first font in the chain that has
its letters; DejaVu Sans is the last resort and the only font when the others are absent.
"""

from __future__ import annotations

import io
import logging
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

log = logging.getLogger(__name__)

FONT_DIR = Path(__file__).resolve().parent.parent.parent / "static" / "fonts" / "ttf"
DEJAVU_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT_FILES = {
    "regular": (
        FONT_DIR / "atkinson-hyperlegible-next-latin-400-normal.ttf",
        FONT_DIR / "atkinson-hyperlegible-next-latin-ext-400-normal.ttf",
        DEJAVU_DIR / "DejaVuSans.ttf",
    ),
    "bold": (
        FONT_DIR / "atkinson-hyperlegible-next-latin-700-normal.ttf",
        FONT_DIR / "atkinson-hyperlegible-next-latin-ext-700-normal.ttf",
        DEJAVU_DIR / "DejaVuSans-Bold.ttf",
    ),
}

WIDTH = 1600
MARGIN = 40
GAP = 24
PAD = 16
HEADER_PICTURE = 128
POINT_PICTURE = 112
CARD_PICTURE = 96
TITLE_SIZE, META_SIZE, COLUMN_SIZE, CARD_SIZE, SMALL_SIZE = 56, 30, 36, 30, 22
INK = (27, 27, 27)
MUTED = (74, 74, 74)
WHITE = (255, 255, 255)
CARD_BORDER = (80, 90, 95)
# One calm tint a column (best first), and grey for the cards not placed.
COLUMN_TINTS = ((214, 239, 226), (255, 241, 204), (252, 223, 223), (221, 232, 252),
                (236, 225, 247), (230, 230, 230))
UNPLACED_TINT = (243, 242, 241)


@dataclass(frozen=True)
class PictureCard:
    key: str
    words: str
    picture: Path | None


@dataclass(frozen=True)
class PictureColumn:
    key: str
    title: str
    picture: Path | None
    cards: tuple[PictureCard, ...]


@dataclass(frozen=True)
class MatDrawing:
    title: str
    picture: Path | None
    meta: str  # the date and the language, as one line in the mat's language
    columns: tuple[PictureColumn, ...]
    unplaced_title: str
    unplaced: tuple[PictureCard, ...]
    credit: str


Box = tuple[int, int, int, int]  # left, top, right, bottom


@dataclass
class Layout:
    width: int = WIDTH
    height: int = 0
    columns: dict[str, Box] = field(default_factory=dict)
    column_tints: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    cards: dict[str, Box] = field(default_factory=dict)  # card key -> its box
    card_pictures: dict[str, Box] = field(default_factory=dict)
    card_column: dict[str, str | None] = field(default_factory=dict)  # None: not placed
    unplaced: Box | None = None


@dataclass(frozen=True)
class Rendered:
    png: bytes
    layout: Layout


# --- Fonts -----------------------------------------------------------------------------------


class FontChain:
    """Fonts of one size and weight, tried in order for each letter."""

    def __init__(self, weight: str, size: int):
        self.fonts: list[tuple[ImageFont.FreeTypeFont, frozenset[int]]] = [
            (ImageFont.truetype(str(path), size), _codepoints(path))
            for path in FONT_FILES[weight]
            if path.is_file()
        ]
        if not self.fonts:
            raise FileNotFoundError(
                "no font for the mat picture: install fonts-dejavu-core or add the "
                f"Atkinson Hyperlegible Next TTFs to {FONT_DIR}"
            )
        self.size = size

    def covers(self, text: str) -> bool:
        return all(any(ord(ch) in cmap for _f, cmap in self.fonts) for ch in text if ch != " ")

    def runs(self, text: str) -> list[tuple[ImageFont.FreeTypeFont, str]]:
        runs: list[tuple[ImageFont.FreeTypeFont, str]] = []
        for ch in unicodedata.normalize("NFC", text):
            font = next((f for f, cmap in self.fonts if ord(ch) in cmap or ch == " "),
                        self.fonts[-1][0])
            if runs and (runs[-1][0] is font or ch == " "):
                runs[-1] = (runs[-1][0], runs[-1][1] + ch)
            else:
                runs.append((font, ch))
        return runs

    def length(self, text: str) -> float:
        return sum(font.getlength(run) for font, run in self.runs(text))

    def draw(self, draw: ImageDraw.ImageDraw, xy: tuple[float, float], text: str, fill) -> None:
        x, y = xy
        for font, run in self.runs(text):
            draw.text((x, y), run, font=font, fill=fill)
            x += font.getlength(run)

    @property
    def line_height(self) -> int:
        return round(self.size * 1.3)


@cache
def _codepoints(path: Path) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(str(path), lazy=True) as font:
        return frozenset(font.getBestCmap() or {})


@cache
def fonts(weight: str, size: int) -> FontChain:
    return FontChain(weight, size)


def wrap(chain: FontChain, text: str, width: int, max_lines: int = 4) -> list[str]:
    """Lines of at most `width` pixels, breaking between words (a long word is cut)."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if chain.length(candidate) <= width or not line:
            line = candidate
        else:
            lines.append(line)
            line = word
        while chain.length(line) > width and len(line) > 1:  # one word wider than the box
            cut = len(line)
            while cut > 1 and chain.length(line[:cut]) > width:
                cut -= 1
            lines.append(line[:cut])
            line = line[cut:]
    if line:
        lines.append(line)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1].rstrip(".") + "…"
    return lines


# --- Pictures ------------------------------------------------------------------------------------


@cache
def _raster(path: Path, size: int) -> Image.Image | None:
    if path.suffix.lower() == ".svg":
        try:
            import cairosvg
        except (ImportError, OSError):  # no libcairo2: the words still show
            log.warning("cairosvg cannot run (is libcairo2 installed?): mat pictures without "
                        "symbols")
            return None
        png = cairosvg.svg2png(url=str(path), output_width=size, output_height=size)
        image = Image.open(io.BytesIO(png))
    else:
        image = Image.open(path)
        image.thumbnail((size, size))
    return image.convert("RGBA")


def _paste(canvas: Image.Image, path: Path | None, xy: tuple[int, int], size: int) -> Box | None:
    if path is None or not path.is_file():
        return None
    picture = _raster(path, size)
    if picture is None:
        return None
    x = xy[0] + (size - picture.width) // 2
    y = xy[1] + (size - picture.height) // 2
    canvas.alpha_composite(picture, (x, y))
    return (xy[0], xy[1], xy[0] + size, xy[1] + size)


# --- Drawing -------------------------------------------------------------------------------------


def _card_height(card: PictureCard, width: int) -> int:
    text_width = width - CARD_PICTURE - 3 * PAD
    lines = wrap(fonts("bold", CARD_SIZE), card.words, text_width)
    return max(CARD_PICTURE + 2 * PAD, len(lines) * fonts("bold", CARD_SIZE).line_height + 2 * PAD)


def _draw_card(canvas, draw, card: PictureCard, box: Box, layout: Layout) -> None:
    left, top, right, bottom = box
    draw.rounded_rectangle(box, radius=16, fill=WHITE, outline=CARD_BORDER, width=3)
    picture_box = _paste(canvas, card.picture, (left + PAD, top + PAD), CARD_PICTURE)
    if picture_box:
        layout.card_pictures[card.key] = picture_box
    chain = fonts("bold", CARD_SIZE)
    text_left = left + CARD_PICTURE + 2 * PAD
    lines = wrap(chain, card.words, right - text_left - PAD)
    y = top + (bottom - top - len(lines) * chain.line_height) // 2
    for line in lines:
        chain.draw(draw, (text_left, y), line, INK)
        y += chain.line_height
    layout.cards[card.key] = box


def _stack_height(cards, width: int) -> int:
    return sum(_card_height(c, width) + PAD for c in cards)


def render(mat: MatDrawing) -> Rendered:
    """Draw the mat; the layout says where each column and card went."""
    layout = Layout()
    n = max(len(mat.columns), 1)
    column_width = (WIDTH - 2 * MARGIN - (n - 1) * GAP) // n
    card_width = column_width - 2 * PAD
    title_chain, column_chain = fonts("bold", TITLE_SIZE), fonts("bold", COLUMN_SIZE)

    title_lines = wrap(title_chain, mat.title, WIDTH - 2 * MARGIN - HEADER_PICTURE - GAP, 2)
    header_height = max(HEADER_PICTURE,
                        len(title_lines) * title_chain.line_height + META_SIZE * 2)
    columns_top = MARGIN + header_height + GAP
    column_titles = [wrap(column_chain, c.title, column_width - 2 * PAD, 3) for c in mat.columns]
    heading_height = POINT_PICTURE + PAD + max((len(t) for t in column_titles), default=1) * \
        column_chain.line_height
    cards_height = max((_stack_height(c.cards, card_width) for c in mat.columns), default=0)
    column_height = PAD + heading_height + PAD + max(cards_height, CARD_PICTURE) + PAD

    unplaced_width = (WIDTH - 2 * MARGIN - 2 * PAD - (n - 1) * GAP) // n
    unplaced_rows = [mat.unplaced[i:i + n] for i in range(0, len(mat.unplaced), n)]
    unplaced_heights = [max(_card_height(c, unplaced_width) for c in row) for row in unplaced_rows]
    unplaced_top = columns_top + column_height + GAP
    unplaced_height = 0
    if mat.unplaced:
        unplaced_height = (PAD + column_chain.line_height + PAD
                           + sum(h + PAD for h in unplaced_heights))
    credit_top = unplaced_top + (unplaced_height + GAP if mat.unplaced else 0)
    layout.height = credit_top + SMALL_SIZE * 2 + MARGIN

    canvas = Image.new("RGBA", (WIDTH, layout.height), WHITE + (255,))
    draw = ImageDraw.Draw(canvas)

    # The topic, the date and the language.
    _paste(canvas, mat.picture, (MARGIN, MARGIN), HEADER_PICTURE)
    x = MARGIN + HEADER_PICTURE + GAP
    y = MARGIN
    for line in title_lines:
        title_chain.draw(draw, (x, y), line, INK)
        y += title_chain.line_height
    fonts("regular", META_SIZE).draw(draw, (x, y + 8), mat.meta, MUTED)

    # The columns, each with its cards.
    for index, column in enumerate(mat.columns):
        left = MARGIN + index * (column_width + GAP)
        box = (left, columns_top, left + column_width, columns_top + column_height)
        tint = COLUMN_TINTS[index % len(COLUMN_TINTS)]
        draw.rounded_rectangle(box, radius=20, fill=tint)
        layout.columns[column.key] = box
        layout.column_tints[column.key] = tint
        _paste(canvas, column.picture,
               (left + (column_width - POINT_PICTURE) // 2, columns_top + PAD), POINT_PICTURE)
        y = columns_top + PAD + POINT_PICTURE + PAD
        for line in column_titles[index]:
            line_x = left + (column_width - column_chain.length(line)) / 2
            column_chain.draw(draw, (line_x, y), line, INK)
            y += column_chain.line_height
        y = columns_top + PAD + heading_height + PAD
        for card in column.cards:
            height = _card_height(card, card_width)
            _draw_card(canvas, draw, card, (left + PAD, y, left + PAD + card_width, y + height),
                       layout)
            layout.card_column[card.key] = column.key
            y += height + PAD

    # The cards not placed, in a band below the mat.
    if mat.unplaced:
        box = (MARGIN, unplaced_top, WIDTH - MARGIN, unplaced_top + unplaced_height)
        draw.rounded_rectangle(box, radius=20, fill=UNPLACED_TINT)
        layout.unplaced = box
        column_chain.draw(draw, (MARGIN + PAD, unplaced_top + PAD), mat.unplaced_title, INK)
        y = unplaced_top + PAD + column_chain.line_height + PAD
        for row, height in zip(unplaced_rows, unplaced_heights, strict=True):
            for index, card in enumerate(row):
                left = MARGIN + PAD + index * (unplaced_width + GAP)
                _draw_card(canvas, draw, card, (left, y, left + unplaced_width, y + height),
                           layout)
                layout.card_column[card.key] = None
            y += height + PAD

    fonts("regular", SMALL_SIZE).draw(draw, (MARGIN, credit_top), mat.credit, MUTED)

    output = io.BytesIO()
    canvas.convert("RGB").save(output, format="PNG")
    return Rendered(output.getvalue(), layout)
