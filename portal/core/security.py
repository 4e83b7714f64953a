"""Security headers on every response.

The Content-Security-Policy allows no inline script and no other host: everything the
pages need is served by the portal itself.
"""

from flask import Flask, request

from portal.core.identity import signed_in

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "media-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


# Public files that are the same for everyone; their own views set long cache headers.
PUBLIC_FILE_ENDPOINTS = frozenset(
    {"static", "pictures.picture", "uploads.picture", "speech.audio", "speech.recording"}
)


def add_security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), geolocation=(), microphone=(self)")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    # Personal pages must not be kept by the browser or a shared tablet's cache.
    if request.endpoint not in PUBLIC_FILE_ENDPOINTS and (
        signed_in() is not None or response.mimetype == "text/html"
    ):
        headers["Cache-Control"] = "no-store"
    return response


def register(app: Flask) -> None:
    app.after_request(add_security_headers)
