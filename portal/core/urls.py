from urllib.parse import urlsplit


def safe_next(target: str | None, default: str) -> str:
    """Only ever redirect to a path on this site (no open redirects).

    Browsers drop tabs and newlines from a URL and read a backslash as a slash, so a
    path with either could leave the site: any control character or backslash is
    refused, as is anything with a scheme or a host.
    """
    if not target or not target.startswith("/") or target.startswith("//"):
        return default
    if "\\" in target or any(ord(c) < 0x20 or ord(c) == 0x7F for c in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target


def public_url(endpoint: str, **values) -> str:
    """The address of a page as printed or put in a QR code: on PORTAL_BASE_URL, the
    portal's public address, never the host this request happened to use."""
    from flask import current_app, url_for

    return current_app.config["BASE_URL"] + url_for(endpoint, _external=False, **values)
