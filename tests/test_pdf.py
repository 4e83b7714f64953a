"""The easy-read PDF helper: Welsh letters, language, title, pictures with alt text, 24 pt
left-aligned words, one idea never split across pages."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import time

import pytest
from fontTools.ttLib import TTFont
from PIL import Image
from pypdf import PdfReader

from portal.core.pdf import FONT_DIR, TEXT_PT, content_lines, easyread_pdf
from portal.pictures import hexcode_for, openmoji_svg_dir
from portal.uploads.images import process_picture

WELSH_LETTERS = "ŵŷŴŶẁẃỳ"
WELSH_LINES_TEXT = [
    "Dw i'n hoffi gweld fy ffrindiau bob wythnos.",
    "Mae fy nhŷ yn dawel ac yn gynnes.",
    "Ŵyr fy mam-gu yw Ŷwain.",  # capitals with a circumflex
    "Mae'r ẁ, y ẃ, y ŵ a'r ỳ yn brin.",
    "Dw i eisiau mynd i'r gwaith ar y bws.",
]


def svg(name: str):
    return openmoji_svg_dir() / f"{hexcode_for(name)}.svg"


def webp_upload() -> bytes:
    out = io.BytesIO()
    Image.linear_gradient("L").resize((500, 400)).convert("RGB").save(out, "JPEG")
    return process_picture(out.getvalue()).files[320]


@pytest.fixture(scope="module")
def welsh_pdf() -> tuple[bytes, float]:
    lines = [
        (svg("friend"), WELSH_LINES_TEXT[0], "Dwy law yn ysgwyd."),
        (svg("home").read_bytes(), WELSH_LINES_TEXT[1], "Tŷ gyda gardd."),
        (webp_upload(), WELSH_LINES_TEXT[2], "Llun o deulu."),
        (None, WELSH_LINES_TEXT[3], ""),
        (str(svg("talk")), WELSH_LINES_TEXT[4], "Swigen siarad."),
    ]
    started = time.perf_counter()
    data = easyread_pdf("Beth sy'n bwysig i mi", lines, "cy")
    return data, time.perf_counter() - started


def page_text(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def figures(reader: PdfReader) -> list[str]:
    """The alt text of every Figure in the tagged structure, in order."""
    found = []

    def walk(node):
        node = node.get_object()
        if isinstance(node, list):
            for child in node:
                walk(child)
            return
        if not hasattr(node, "get"):
            return
        if node.get("/S") == "/Figure":
            found.append(str(node.get("/Alt")))
        if node.get("/K") is not None:
            walk(node["/K"])

    walk(reader.trailer["/Root"]["/StructTreeRoot"]["/K"])
    return found


def embedded_fonts(reader: PdfReader) -> list[TTFont]:
    fonts = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            descendant = font.get_object()["/DescendantFonts"][0].get_object()
            data = descendant["/FontDescriptor"]["/FontFile2"].get_object().get_data()
            fonts.append(TTFont(io.BytesIO(data)))
    return fonts


def test_welsh_letters_are_in_the_text_and_in_the_embedded_font(welsh_pdf):
    reader = PdfReader(io.BytesIO(welsh_pdf[0]))
    text = page_text(reader)
    for letter in WELSH_LETTERS:
        assert letter in text, f"{letter} was dropped"
    joined = " ".join(text.split())
    for sentence in WELSH_LINES_TEXT:
        assert sentence in joined
    drawn = {}
    for font in embedded_fonts(reader):
        for code, glyph in font.getBestCmap().items():
            drawn[chr(code)] = font["glyf"][glyph].numberOfContours
    for letter in WELSH_LETTERS:
        # -1 is a composite glyph (a "w" and a circumflex); 0 would be an empty box.
        assert drawn.get(letter, 0) != 0, f"no outline for {letter}"


def test_language_title_and_tags(welsh_pdf):
    reader = PdfReader(io.BytesIO(welsh_pdf[0]))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "cy"
    assert reader.metadata.title == "Beth sy'n bwysig i mi"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert bool(root["/MarkInfo"]["/Marked"])
    assert figures(reader) == ["Dwy law yn ysgwyd.", "Tŷ gyda gardd.", "Llun o deulu.",
                               "Swigen siarad."]
    assert [item.title for item in reader.outline] == ["Beth sy'n bwysig i mi"]


def test_pictures_are_embedded(welsh_pdf):
    reader = PdfReader(io.BytesIO(welsh_pdf[0]))
    page = reader.pages[0]
    images = [x.get_object() for x in page["/Resources"]["/XObject"].values()]
    assert [image["/Subtype"] for image in images] == ["/Image"]  # the uploaded WebP
    assert images[0]["/Width"] == 320
    content = page.get_contents().get_data().decode("latin-1")
    # The three SVGs are drawn as vector paths: many curves, each in its own marked block.
    assert content.count(" c\n") + content.count(" c ") > 50
    assert content.count("/Figure") >= 4 or len(figures(reader)) == 4


def test_a4_words_at_24_pt_left_aligned(welsh_pdf):
    reader = PdfReader(io.BytesIO(welsh_pdf[0]))
    page = reader.pages[0]
    assert [round(float(v)) for v in page.mediabox[2:]] == [595, 842]
    content = page.get_contents().get_data().decode("latin-1")
    sizes = [float(size) for size in re.findall(r"/F\d+ ([\d.]+) Tf", content)]
    assert sizes and min(sizes) >= TEXT_PT
    assert " Tw" not in content  # word spacing is how fpdf2 justifies: never here


def test_english_pdf_says_it_is_english():
    data = easyread_pdf("What matters to me", [(svg("friend"), "I like seeing my friends.",
                                                "Two hands shaking.")], "en")
    reader = PdfReader(io.BytesIO(data))
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert "I like seeing my friends." in page_text(reader)


def test_an_idea_is_never_split_across_pages():
    sentences = [f"Brawddeg rhif {n}: mae hon yn frawddeg hir sy'n mynd dros ddwy neu dair llinell."
                 for n in range(1, 19)]
    data = easyread_pdf("Llawer o syniadau", [(svg("question"), s, "Marc cwestiwn.")
                                             for s in sentences], "cy")
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 3
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    for sentence in sentences:
        assert sum(sentence in page for page in pages) == 1, sentence


def test_decomposed_welsh_letters_are_joined():
    data = easyread_pdf("Tŷ", [(None, "Mae fy nhy\u0302 yn dawel.", "")], "cy")
    assert "nhŷ" in page_text(PdfReader(io.BytesIO(data)))


def test_generation_is_quick(welsh_pdf):
    data, seconds = welsh_pdf
    assert seconds < 2.0, f"{seconds:.2f} s"
    assert len(data) < 150_000


def test_fonts_and_licence_are_in_the_project():
    names = sorted(path.name for path in FONT_DIR.iterdir())
    assert "OFL.txt" in names
    assert len([name for name in names if name.endswith(".ttf")]) == 4
    ext = TTFont(FONT_DIR / "atkinson-hyperlegible-next-latin-ext-400-normal.ttf")
    assert all(ord(letter) in ext.getBestCmap() for letter in WELSH_LETTERS)


def test_content_lines_use_the_uploaded_picture(app, demo, tmp_path, monkeypatch):
    from portal.core.extensions import db
    from portal.models import ContentItem
    from portal.uploads.store import save_picture_upload

    monkeypatch.setattr(app, "instance_path", str(tmp_path))
    with app.test_request_context():
        friends = ContentItem(key="theme.friends", kind="theme", words_en="Friends",
                              words_cy="Ffrindiau", alt_en="Two hands shaking.",
                              alt_cy="Dwy law yn ysgwyd.", picture="friend", data={},
                              checksum="x" * 64, source_file="themes.toml")
        home = ContentItem(key="theme.home", kind="theme", words_en="Home", words_cy="Cartref",
                           alt_en="A house.", alt_cy="Tŷ.", picture="home", data={},
                           checksum="y" * 64, source_file="themes.toml")
        db.session.add_all([friends, home])
        db.session.commit()
        out = io.BytesIO()
        Image.new("RGB", (300, 300), (0, 90, 78)).save(out, "PNG")
        save_picture_upload(process_picture(out.getvalue()), "theme.friends", None)

        lines = content_lines([friends, home], "cy")
        assert [(words, alt) for _, words, alt in lines] == [
            ("Ffrindiau", "Dwy law yn ysgwyd."), ("Cartref", "Tŷ.")]
        assert lines[0][0].suffix == ".webp" and lines[0][0].is_relative_to(tmp_path.resolve())
        assert lines[1][0] == svg("home")
        data = easyread_pdf("Ffrindiau a chartref", lines, "cy")
        db.session.remove()
    reader = PdfReader(io.BytesIO(data))
    assert figures(reader) == ["Dwy law yn ysgwyd.", "Tŷ."]
    assert "Ffrindiau" in page_text(reader)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils is not installed")
def test_the_pdf_renders(welsh_pdf, tmp_path):
    (tmp_path / "page.pdf").write_bytes(welsh_pdf[0])
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", "page.pdf", "page"],
                   cwd=tmp_path, check=True, timeout=60)
    [png] = list(tmp_path.glob("page*.png"))
    rendered = Image.open(png).convert("L")
    assert abs(rendered.width - 413) <= 2 and abs(rendered.height - 585) <= 2  # A4 at 50 dpi
    # Something is drawn in the picture column and in the words column.
    left, right = rendered.crop((30, 80, 110, 560)), rendered.crop((130, 80, 400, 560))
    assert left.getextrema()[0] < 100 and right.getextrema()[0] < 100


def test_print_layout_for_easy_read():
    """The browser's print: picture left, words right, 14 pt or more, nothing to press."""
    from portal.core.config import PROJECT_ROOT

    css = (PROJECT_ROOT / "portal" / "static" / "css" / "portal.css").read_text()
    start = css.index("@media print {")
    depth, end = 0, start
    for end in range(start, len(css)):
        depth += {"{": 1, "}": -1}.get(css[end], 0)
        if depth == 0 and css[end] == "}":
            break
    block = " ".join(css[start:end].split())
    sizes = [float(size) for size in re.findall(r"font-size: ([\d.]+)pt", block)]
    assert sizes and min(sizes) >= 14
    assert "html { font-size: 14pt; }" in block  # so rem sizes never print smaller
    for hidden in (".play-button", ".site-footer", ".site-header__tools", ".button"):
        assert re.search(re.escape(hidden) + r"[^{]*\{ display: none", block), hidden
    line_rule = re.search(r"\.easyread-line \{([^}]*)\}", block).group(1)
    assert "display: flex" in line_rule and "break-inside: avoid" in line_rule
    assert "text-align: left" in re.search(r"\.easyread-line__text \{([^}]*)\}", block).group(1)
