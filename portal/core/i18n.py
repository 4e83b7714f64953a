"""Which language a page is in, and how a person changes it.

Order: the signed-in person's saved choice, then the cookie, then the browser, then
English. The first visit offers Welsh and English as equals (the "active offer").
"""

from __future__ import annotations

from flask import current_app, g, request
from flask_login import current_user

LANGUAGES = ("cy", "en")
COOKIE = "portal_lang"
COOKIE_MAX_AGE = 365 * 24 * 3600
# The name of each language in that language: the switch names the other one this way.
ENDONYMS = {"cy": "Cymraeg", "en": "English"}


def select_locale() -> str:
    if hasattr(g, "forced_locale"):
        return g.forced_locale
    if current_user and current_user.is_authenticated and current_user.locale in LANGUAGES:
        return current_user.locale
    chosen = request.cookies.get(COOKIE)
    if chosen in LANGUAGES:
        return chosen
    return browser_language() or "en"


def browser_language() -> str | None:
    """The browser's most wanted language of ours, by primary tag.

    Werkzeug's best_match prefers an exact tag at any quality, so "cy-GB,en;q=0.5"
    would give English and "en-GB,cy;q=0.5" Welsh: the wrong way round both times.
    """
    for tag, quality in request.accept_languages:  # highest quality first
        primary = tag.replace("_", "-").split("-")[0].lower()
        if quality > 0 and primary in LANGUAGES:
            return primary
    return None


def has_chosen_language() -> bool:
    if current_user and current_user.is_authenticated and current_user.locale in LANGUAGES:
        return True
    return request.cookies.get(COOKIE) in LANGUAGES


def other_language(locale: str) -> str:
    return "en" if locale == "cy" else "cy"


def remember_language(response, locale: str) -> None:
    response.set_cookie(
        COOKIE,
        locale,
        max_age=COOKIE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
    )
