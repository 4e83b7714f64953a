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
    return request.accept_languages.best_match(LANGUAGES) or "en"


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
