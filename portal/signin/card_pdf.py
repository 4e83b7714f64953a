"""The printed sign-in card: the person's QR code and a few easy-read lines, in Welsh and
English on one sheet (the card may be used on any tablet, in either language). The three
pictures are never printed: the card alone must not be enough."""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _

from portal.core.pdf import easyread_pdf
from portal.models import Person
from portal.pictures import hexcode_for, openmoji_svg_dir
from portal.signin.qr import qr_svg

CARD_PICTURES = ["key", "phone", "thinking", "shield", "raising-hand"]


def _lines(name: str) -> list[str]:
    return [
        _("This is the sign-in card of %(name)s.", name=name),
        _("Point the tablet's camera at the square code."),
        _("Then pick your 3 pictures."),
        _("Keep your card safe. Do not tell anyone your pictures."),
        _("Lost your card? Tell the person who helps you."),
    ]


def card_pdf_bytes(person: Person, address: str) -> bytes:
    pictures = [openmoji_svg_dir() / f"{hexcode_for(name)}.svg" for name in CARD_PICTURES]
    rows = []
    titles, alts = [], []
    for language in ("cy", "en"):
        with force_locale(language):
            titles.append(_("My sign-in card"))
            rows.extend((picture, text, "") for picture, text in zip(
                pictures, _lines(person.display_name), strict=True))
            alts.append(_("QR code to sign in"))
    rows.insert(0, (qr_svg(address, for_pdf=True).encode(), " ", " – ".join(alts)))
    return easyread_pdf(" – ".join(titles), rows, "cy")
