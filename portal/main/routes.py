from flask import abort, jsonify, make_response, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import text

from portal.core.access import public
from portal.core.extensions import db
from portal.core.homes import home_endpoint
from portal.core.i18n import LANGUAGES, has_chosen_language, remember_language
from portal.core.urls import safe_next
from portal.main import bp


@bp.get("/")
@public
def start():
    if current_user.is_authenticated:
        return redirect(url_for(home_endpoint(current_user)))
    if not has_chosen_language():
        return render_template("main/choose_language.html")
    return render_template("main/start.html")


@bp.get("/language/<code>")
@public
def set_language(code: str):
    if code not in LANGUAGES:
        abort(404)
    target = safe_next(request.args.get("next"), url_for("main.start"))
    response = make_response(redirect(target))
    remember_language(response, code)
    if current_user.is_authenticated and current_user.locale != code:
        current_user.locale = code
        db.session.commit()
    return response


@bp.get("/healthz")
@public
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any database failure means "not healthy"
        db.session.rollback()
        return jsonify(status="database unavailable"), 503
    return jsonify(status="ok")


@bp.get("/about")
@public
def about():
    return render_template("main/about.html")
