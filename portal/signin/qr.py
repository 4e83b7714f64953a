import io


def qr_svg(address: str, *, title: str | None = None, for_pdf: bool = False) -> str:
    """The address as a QR code in SVG: inline on a page, or for fpdf2 to draw."""
    import segno

    code = segno.make(address, error="m")
    out = io.BytesIO()
    if for_pdf:  # a viewBox and no title: what fpdf2 draws without a warning
        code.save(out, kind="svg", scale=8, border=4, xmldecl=False, svgns=True, omitsize=True)
    else:
        code.save(out, kind="svg", scale=8, border=4, xmldecl=False, svgns=True,
                  omitsize=True, title=title, svgclass="qr-code")
    return out.getvalue().decode("utf-8")
