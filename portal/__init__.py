"""The What Matters portal.

`create_app()` builds the app; nothing happens at import time (no database
connection, no speech engine), so workers can fork safely.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from portal.core.config import load_settings
from portal.core.extensions import babel, csrf, db, login_manager, migrate


def create_app(overrides: dict | None = None) -> Flask:
    settings = load_settings(overrides)
    app = Flask(__name__, instance_path=str(settings.instance_path))
    app.config.update(settings.flask_config())
    app.extensions["portal_settings"] = settings
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    _bind_extensions(app)
    _register_blueprints(app)

    from portal.core import audit, errors, security, templating
    from portal.ops import cli

    errors.register(app)
    security.register(app)
    audit.register(app)
    templating.register(app)
    cli.register(app)
    return app


def _bind_extensions(app: Flask) -> None:
    from portal.core import i18n
    from portal.core.access import enforce_access
    from portal.core.sessions import check_idle

    db.init_app(app)
    # Every save's side effects (rollups, content stamp, hand-overs, safety follow-ups).
    from portal.core import hooks

    hooks.install()
    from portal.handover.state import register as _register_hand_overs

    migrate.init_app(app, db, directory=str(Path(__file__).resolve().parent.parent / "migrations"))
    # An idle session ends first, so that access is then checked as for a signed-out
    # visitor (who is sent to sign in, with a typed answer kept).
    app.before_request(check_idle)
    # Access is checked before the CSRF token: a CSRF failure re-runs the view to show
    # the form again (errors.py), so it must never reach a view its user may not use.
    # A hand-over that has ended elsewhere signs the tablet out (after the idle check,
    # before access is checked).
    _register_hand_overs(app)
    app.before_request(enforce_access)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None  # the sign-in page explains itself

    from portal.accounts import sessions as account_sessions
    from portal.content.cache import user_and_stamp

    account_sessions.install(app)

    @login_manager.user_loader
    def load_user(user_id: str):
        user = user_and_stamp(int(user_id)) if user_id.isdigit() else None
        # A reset or deactivation ends every older session (portal/accounts/sessions.py).
        return user if user and user.active and account_sessions.still_valid(user) else None

    from portal.core import database

    with app.app_context():
        database.install(db.engine)


def _register_blueprints(app: Flask) -> None:
    from portal.accounts import bp as accounts_bp
    from portal.answering.mats import bp as mats_bp
    from portal.answering.ratings import bp as ratings_bp
    from portal.auth import bp as auth_bp
    from portal.circle import bp as circle_bp
    from portal.commissioning import bp as commissioning_bp
    from portal.commissioning.admin import bp as commissioner_areas_bp
    from portal.content_admin import bp as content_admin_bp
    from portal.conversations import bp as conversations_bp
    from portal.events import bp as events_bp
    from portal.handover import bp as tablet_bp
    from portal.main import bp as main_bp
    from portal.people import bp as people_bp
    from portal.person import bp as person_bp
    from portal.pictures import bp as pictures_bp
    from portal.rights import bp as rights_bp
    from portal.second_step import bp as second_step_bp
    from portal.settings import bp as settings_bp
    from portal.signin import bp as signin_bp
    from portal.speech import bp as speech_bp
    from portal.staff import bp as staff_bp
    from portal.uploads import bp as uploads_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(person_bp)
    app.register_blueprint(staff_bp)
    app.register_blueprint(pictures_bp)
    app.register_blueprint(uploads_bp)
    app.register_blueprint(content_admin_bp)
    app.register_blueprint(settings_bp)
    app.register_blueprint(speech_bp)
    app.register_blueprint(conversations_bp)
    app.register_blueprint(mats_bp)
    app.register_blueprint(ratings_bp)
    app.register_blueprint(events_bp)
    app.register_blueprint(commissioning_bp)
    app.register_blueprint(commissioner_areas_bp)
    app.register_blueprint(circle_bp)
    app.register_blueprint(rights_bp)
    app.register_blueprint(signin_bp)
    app.register_blueprint(people_bp)
    app.register_blueprint(tablet_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(second_step_bp)
