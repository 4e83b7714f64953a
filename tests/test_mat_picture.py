"""The saved mat as a picture: read the PNG back, check its size, that each column holds the
cards it should (from the layout the renderer used, and by sampling pixels), that Welsh
letters have a font, and that the portal stores, shows and downloads it."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from portal.answering.mats import store
from portal.answering.mats.drawing import (
    CARD_SIZE,
    COLUMN_TINTS,
    UNPLACED_TINT,
    WHITE,
    WIDTH,
    MatDrawing,
    PictureCard,
    PictureColumn,
    fonts,
    render,
    wrap,
)
from portal.answering.mats.picture import drawing
from portal.content.scales import load_mat
from portal.content.store import load_content
from portal.core.extensions import db
from portal.models import MatSession
from portal.pictures import hexcode_for, openmoji_svg_dir
from tests.mat_support import complete_mat, mat_session

WELSH_LETTERS = "ŵŷẁẃỳẅŴŶẀẂỲ"


def svg(name: str) -> Path:
    return openmoji_svg_dir() / f"{hexcode_for(name)}.svg"


def card(key: str, words: str, picture: str) -> PictureCard:
    return PictureCard(key, words, svg(picture))


DRAWING = MatDrawing(
    title="Fy nghartref",
    picture=svg("home"),
    meta="Cadwyd ar 3 Mawrth 2025, yn Cymraeg.",
    columns=(
        PictureColumn("good", "Da i mi", svg("thumbs-up"), (
            card("bedroom", "Fy ystafell wely", "bed"),
            card("people", "Y bobl dw i'n byw gyda nhw", "family"),
            card("safe", "Teimlo'n ddiogel gartref", "shield"),
        )),
        PictureColumn("not-sure", "Ddim yn siŵr", svg("shrug"), (
            card("cooking", "Coginio", "cooking"),
        )),
        PictureColumn("not-good", "Ddim yn dda i mi", svg("thumbs-down"), (
            card("cleaning", "Glanhau", "broom"),
            PictureCard("own.1", "Fy nghi, Ŵyn", None),  # own words: no picture here
        )),
    ),
    unplaced_title="Cardiau heb eu gosod",
    unplaced=(card("garden", "Fy ngardd", "seedling"), card("map", "Ble mae fy nghartref", "map")),
    credit="Lluniau: OpenMoji (CC BY-SA 4.0)",
)


@pytest.fixture(scope="module")
def rendered():
    return render(DRAWING)


def inside(inner, outer) -> bool:
    return (outer[0] <= inner[0] and outer[1] <= inner[1]
            and inner[2] <= outer[2] and inner[3] <= outer[3])


def pixels_of(image: Image.Image) -> list[tuple[int, ...]]:
    data, bands = image.tobytes(), len(image.getbands())
    return [tuple(data[i:i + bands]) for i in range(0, len(data), bands)]


def share_not(image: Image.Image, box, colour, tolerance: int = 24) -> float:
    """The share of pixels in `box` that are not `colour`."""
    pixels = pixels_of(image.crop(box))
    differ = sum(1 for p in pixels if max(abs(a - b) for a, b in zip(p, colour, strict=False))
                 > tolerance)
    return differ / len(pixels)


def near(pixel, colour, tolerance: int = 6) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, colour, strict=False))


def test_the_png_reads_back_at_its_size(rendered):
    image = Image.open(io.BytesIO(rendered.png))
    assert image.format == "PNG"
    assert image.size == (WIDTH, rendered.layout.height)
    assert 600 < rendered.layout.height < 2000
    assert len(rendered.png) < 400_000


def test_each_column_holds_its_cards(rendered):
    layout = rendered.layout
    assert list(layout.columns) == ["good", "not-sure", "not-good"]
    lefts = [box[0] for box in layout.columns.values()]
    assert lefts == sorted(lefts)  # best first, left to right
    for column in DRAWING.columns:
        box = layout.columns[column.key]
        tops = []
        for placed in column.cards:
            assert layout.card_column[placed.key] == column.key
            assert inside(layout.cards[placed.key], box), placed.key
            tops.append(layout.cards[placed.key][1])
        assert tops == sorted(tops)  # in order, top to bottom
    for placed in DRAWING.unplaced:
        assert layout.card_column[placed.key] is None
        assert inside(layout.cards[placed.key], layout.unplaced)
    assert layout.unplaced[1] > max(box[3] for box in layout.columns.values())


def test_pixels_show_columns_cards_and_pictures(rendered):
    image = Image.open(io.BytesIO(rendered.png)).convert("RGB")
    layout = rendered.layout
    for index, (key, box) in enumerate(layout.columns.items()):
        tint = COLUMN_TINTS[index]
        assert layout.column_tints[key] == tint
        # Just inside the column's bottom edge, clear of its rounded corners: the tint.
        assert near(image.getpixel((box[0] + 30, box[3] - 6)), tint), key
    assert near(image.getpixel((layout.unplaced[0] + 30, layout.unplaced[3] - 6)), UNPLACED_TINT)
    for key, box in layout.cards.items():
        left, top, right, bottom = box
        # The card is white inside its border, left of its picture.
        assert near(image.getpixel((left + 8, (top + bottom) // 2)), WHITE), key
        # Its words are drawn: dark ink right of the picture.
        text_box = (left + 96 + 32, top + 8, right - 8, bottom - 8)
        assert share_not(image, text_box, WHITE, tolerance=120) > 0.01, key
    for key, box in layout.card_pictures.items():
        assert share_not(image, box, WHITE) > 0.05, f"no picture drawn for {key}"
    assert "own.1" not in layout.card_pictures  # the own card had no picture file


def test_welsh_letters_have_a_font():
    for weight in ("regular", "bold"):
        chain = fonts(weight, CARD_SIZE)
        assert chain.covers(WELSH_LETTERS), weight
        assert chain.covers("Fy nghartref – Ddim yn siŵr · 3 Mawrth")


def test_welsh_letters_are_drawn_not_left_blank():
    """Each accented letter has more ink than the plain one: the accent is drawn."""
    chain = fonts("bold", 60)

    def ink(text: str) -> int:
        image = Image.new("L", (120, 120), 255)
        chain.draw(ImageDraw.Draw(image), (10, 10), text, 0)
        return sum(1 for (p,) in pixels_of(image) if p < 128)

    for accented, plain in (("ŵ", "w"), ("ŷ", "y"), ("ẁ", "w"), ("ỳ", "y"), ("Ŵ", "W")):
        assert ink(accented) > ink(plain) + 20, accented


def test_long_words_wrap_within_the_card():
    chain = fonts("bold", CARD_SIZE)
    lines = wrap(chain, "Y bobl dw i'n byw gyda nhw yn y tŷ mawr ar y bryn", 300)
    assert len(lines) > 1
    assert all(chain.length(line) <= 300 for line in lines)
    assert wrap(chain, "Hirhirhirhirhirhirhirhirhirhirhirhir", 120, max_lines=9)
    assert all(chain.length(line) <= 120
               for line in wrap(chain, "Hirhirhirhirhirhirhirhirhirhirhirhir", 120, max_lines=9))


# --- The portal keeps, shows and downloads the picture --------------------------------------


@pytest.fixture()
def person(app, demo, login_as, tmp_path, monkeypatch):
    monkeypatch.setattr(app, "instance_path", str(tmp_path))  # pictures stay out of instance/
    with app.app_context():
        load_content()
        db.session.remove()
    return login_as("person")


PLACEMENTS = {
    "home.bedroom": "good", "home.people-i-live-with": "good", "home.cooking": "not-sure",
    "home.cleaning": "not-good", "home.where-i-live": None, "home.safe-at-home": "good",
    "home.garden": None,
}


def test_saving_a_mat_stores_its_picture(app, person):
    session_id = complete_mat(person, PLACEMENTS)
    saved = mat_session(app, session_id)
    assert re.fullmatch(rf"mats/{session_id}-[0-9a-f]{{16}}\.png", saved["picture_path"])
    stored = Path(app.instance_path) / saved["picture_path"]
    assert stored.is_file()

    response = person.get(f"/me/mats/saved/{session_id}/mat.png")
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert response.data == stored.read_bytes()
    image = Image.open(io.BytesIO(response.data)).convert("RGB")
    assert image.width == WIDTH

    # Draw it again from what was stored: the same layout puts each card in its column,
    # and the stored PNG has the cards (white boxes) and the tints where the layout says.
    with app.test_request_context():
        session = db.session.get(MatSession, session_id)
        mat = load_mat("home")
        again = render(drawing(session, mat, store.board(session, mat, session.language)))
        db.session.remove()
    assert again.png == response.data
    layout = again.layout
    for card_key, point in PLACEMENTS.items():
        assert layout.card_column[card_key] == point, card_key
        box = layout.cards[card_key]
        assert near(image.getpixel((box[0] + 8, (box[1] + box[3]) // 2)), WHITE)
    for index, box in enumerate(layout.columns.values()):
        assert near(image.getpixel((box[0] + 30, box[3] - 6)), COLUMN_TINTS[index])
    assert set(layout.columns) == {"good", "not-sure", "not-good"}


def test_the_picture_downloads_and_comes_back_if_lost(app, person):
    session_id = complete_mat(person, PLACEMENTS)
    response = person.get(f"/me/mats/saved/{session_id}/mat.png?download=1")
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment") and "home-" in disposition
    stored = Path(app.instance_path) / mat_session(app, session_id)["picture_path"]
    stored.unlink()
    assert person.get(f"/me/mats/saved/{session_id}").status_code == 200
    again = Path(app.instance_path) / mat_session(app, session_id)["picture_path"]
    assert again.is_file() and again != stored


def test_the_picture_is_in_the_language_the_mat_was_done_in(app, content_welsh_person):
    person = content_welsh_person
    session_id = complete_mat(person, PLACEMENTS)
    with app.test_request_context():
        session = db.session.get(MatSession, session_id)
        mat = load_mat("home")
        made = drawing(session, mat, store.board(session, mat, session.language))
        db.session.remove()
    assert made.title == "Fy nghartref"
    assert [c.title for c in made.columns] == ["Da i mi", "Ddim yn siŵr", "Ddim yn dda i mi"]
    assert "Cymraeg" in made.meta
    assert made.columns[0].cards[0].words == "Fy ystafell wely"


@pytest.fixture()
def content_welsh_person(app, person):
    person.get("/language/cy?next=/me/")
    return person
