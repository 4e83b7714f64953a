"""The invite and poster: easy read, Welsh and English side by side, with the QR code and
the code to type; as a page to print and as a PDF."""

from __future__ import annotations

import io

from flask import Response, render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from portal.core.access import allow
from portal.core.i18n import LANGUAGES
from portal.events import bp, codes
from portal.events.facilitator import join_url, own_event_or_404
from portal.models import Event, Role


def qr_svg(event: Event, for_pdf: bool = False) -> bytes:
    import segno

    code = segno.make(join_url(event), error="m")
    out = io.BytesIO()
    if for_pdf:  # a viewBox and no title: what fpdf2 draws without a warning
        code.save(out, kind="svg", scale=8, border=4, xmldecl=False, svgns=True,
                  omitsize=True)
    else:
        code.save(out, kind="svg", scale=8, border=4, xmldecl=False, svgns=True,
                  title=join_url(event))
    return out.getvalue()


@bp.get("/facilitator/events/<int:event_id>/qr.svg")
@allow(Role.FACILITATOR)
def qr(event_id: int):
    return Response(qr_svg(own_event_or_404(event_id)), mimetype="image/svg+xml")


def _bilingual(*msgids_fn) -> dict:
    """The invite's words in both languages, side by side on one sheet."""
    words = {}
    for language in LANGUAGES:
        with force_locale(language):
            words[language] = [fn() for fn in msgids_fn]
    return words


def _invite_lines() -> dict:
    return _bilingual(
        lambda: _("Come and tell us what matters to you."),
        lambda: _("Bring a friend or a supporter if you like."),
        lambda: _("You answer on a tablet, with pictures and sound."),
        lambda: _("Your answers are anonymous. We will not ask your name."),
        lambda: _("To join, scan the QR code or type the code."),
    )


@bp.get("/facilitator/events/<int:event_id>/invite")
@allow(Role.FACILITATOR)
def invite(event_id: int):
    found = own_event_or_404(event_id)
    return render_template(
        "events/invite.html", event=found, lines=_invite_lines(),
        pictures=INVITE_PICTURES,
        join_url=join_url(found), spaced_code=codes.spaced(found.join_code),
    )


INVITE_PICTURES = ["speaking", "friend", "laptop", "shield", "key"]


@bp.get("/facilitator/events/<int:event_id>/invite.pdf")
@allow(Role.FACILITATOR)
def invite_pdf(event_id: int):
    """The invite and poster as an easy-read PDF: Welsh, then English, then the QR code and
    the code to type, on one document to print."""
    from portal.core.pdf import easyread_pdf, pdf_response
    from portal.pictures import hexcode_for, openmoji_svg_dir

    found = own_event_or_404(event_id)
    lines = _invite_lines()
    pictures = [openmoji_svg_dir() / f"{hexcode_for(name)}.svg" for name in INVITE_PICTURES]
    rows = []
    for language in ("cy", "en"):
        rows.append((None, found.title(language), ""))
        if found.description(language):
            rows.append((None, found.description(language), ""))
        rows.extend((picture, text, "") for picture, text in zip(pictures, lines[language],
                                                                 strict=True))
    rows.append((None, f"{found.event_date.isoformat()} · {found.venue}", ""))
    with force_locale("cy"):
        code_cy = _("The code is %(code)s.", code=codes.spaced(found.join_code))
    with force_locale("en"):
        code_en = _("The code is %(code)s.", code=codes.spaced(found.join_code))
    rows.append((qr_svg(found, for_pdf=True), f"{code_cy} {code_en} {join_url(found)}",
                 f"QR: {join_url(found)}"))
    title = f"{found.title_cy} – {found.title_en}"
    return pdf_response(easyread_pdf(title, rows, "cy"), f"event-{found.id}-invite.pdf")
