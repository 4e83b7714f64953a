"""Convert the web fonts (WOFF2) in portal/static/fonts/ to TTF for fpdf2 (portal/core/pdf.py).

Run once when the fonts change: `.venv/bin/python scripts/fonts_to_ttf.py`. Needs
fonttools and brotli. The SIL Open Font License allows the conversion; its text is
copied next to the TTF files.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from fontTools.ttLib import TTFont

FONTS = Path(__file__).resolve().parent.parent / "portal" / "static" / "fonts"


def main() -> None:
    target = FONTS / "ttf"
    target.mkdir(exist_ok=True)
    for source in sorted(FONTS.glob("*.woff2")):
        font = TTFont(source, recalcTimestamp=False)  # the same bytes on every run
        font.flavor = None  # plain TrueType
        font.save(target / f"{source.stem}.ttf")
        print(f"{source.name} -> ttf/{source.stem}.ttf")
    shutil.copy(FONTS / "OFL.txt", target / "OFL.txt")


if __name__ == "__main__":
    main()
