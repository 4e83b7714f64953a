"""What every template can use: the language, the switch link, the role's home."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Flask, request, url_for
from flask_babel import get_locale
from flask_login import current_user

from portal.core.i18n import ENDONYMS, other_language
from portal.core.labels import relation_label, role_label
from portal.core.preferences import current_preferences


def current_locale() -> str:
    return str(get_locale() or "en")


def switch_language_url() -> str:
    """The link to this same page in the other language."""
    target = other_language(current_locale())
    # Error pages too (no endpoint): the same address, so a 404 is shown again in the
    # other language; set_language refuses anything that would leave the site.
    here = request.full_path.rstrip("?")
    return url_for("main.set_language", code=target) + "?" + urlencode({"next": here})


def language_switch_target() -> tuple[str, str]:
    """(code, name in that language) of the language the switch offers."""
    other = other_language(current_locale())
    return other, ENDONYMS[other]


def register(app: Flask) -> None:
    from portal.content.cache import current_stamp
    from portal.core.homes import home_endpoint
    from portal.core.sessions import WARNING_SECONDS, idle_limit_seconds
    from portal.pictures import picture_url
    from portal.uploads.store import content_picture_url

    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.add_extension("portal.core.fragments.KeptExtension")
    # Globals (not context variables) so that imported macros can use them too.
    app.jinja_env.globals["picture_url"] = picture_url
    # Without a stamp row nothing may be reused: a value that matches no other.
    app.jinja_env.globals["content_stamp"] = lambda: current_stamp() or object()
    app.jinja_env.globals["content_picture_url"] = content_picture_url
    app.jinja_env.globals["switch_language_url"] = switch_language_url
    app.jinja_env.globals["language_switch_target"] = language_switch_target
    app.jinja_env.globals["relation_label"] = relation_label
    app.jinja_env.globals["role_label"] = role_label

    @app.context_processor
    def inject():
        locale = current_locale()
        other = other_language(locale)
        preferences = current_preferences()
        return {
            "preferences": preferences,
            "current_locale": locale,
            "other_locale": other,
            "home_url": url_for(home_endpoint(current_user)),
            # For the idle warning (templates/_idle_warning.html, static/js/idle.js).
            "idle_seconds": (
                idle_limit_seconds(current_user) if current_user.is_authenticated else None
            ),
            "idle_warn_seconds": WARNING_SECONDS,
        }
