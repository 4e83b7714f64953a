"""Make, once before gunicorn forks its workers, what every worker would make on its first
requests (gunicorn.conf.py calls `warm_up` in the master, with `preload_app`).

Why: each worker used to create the app itself (about 1.7 s of CPU) and then spend about
half a second more on its first pages: the ORM's mappers configured, every template
compiled, both languages' catalogues read. A room of tablets joining an event at once met
those cold workers first (benchmarks/event_load.py, issue 18). Made once in the master,
they are shared by every worker, and by every worker gunicorn starts again later.

Nothing here reads or keeps anything of a person: the templates, the catalogues and the
mappers are the same for everyone. The master's database connections are closed before
the fork, so no two workers ever share one.
"""

from __future__ import annotations

from flask import Flask, g
from flask_babel import get_translations
from sqlalchemy.orm import configure_mappers

from portal.core import i18n
from portal.core.extensions import db


def warm_up(app: Flask) -> dict[str, int]:
    """Configure, compile and read what is the same for every request; how many of each."""
    configure_mappers()
    templates = app.jinja_env.list_templates(extensions=("html", "txt", "xml", "svg"))
    for name in templates:
        app.jinja_env.get_template(name)
    for locale in i18n.LANGUAGES:
        with app.test_request_context():
            g.forced_locale = locale  # read by i18n.select_locale
            get_translations()
    # Connections opened while the app was made must not be inherited by the workers.
    with app.app_context():
        db.engine.dispose()
    return {"templates": len(templates), "languages": len(i18n.LANGUAGES)}
