"""Friendly error pages in the page's language, each with a way home."""

from flask import Flask, g, jsonify, make_response, render_template, request
from flask_wtf.csrf import CSRFError

from portal.core.messages import FORM_EXPIRED


def _wants_json() -> bool:
    return request.is_json or request.accept_mimetypes.best == "application/json"


def _page(template: str, status: int):
    if _wants_json():
        return jsonify(error=status), status
    return render_template(template), status


def refusal(message, back_url: str, status: int = 400):
    """A clear "not saved" page with a way back; nothing of the request was stored."""
    page = render_template("errors/refused.html", message=str(message), back_url=back_url)
    return make_response(page, status)


def json_refusal(message, status: int = 400):
    """The same refusal for a script (a mat's card moved, saved at once)."""
    response = jsonify(error=status, message=str(message))
    response.status_code = status
    return response


def register(app: Flask) -> None:
    @app.errorhandler(400)
    def bad_request(_error):
        # A request the portal cannot read (e.g. a value no form offers); a form's own
        # problems are shown on the form, and an old form token has its handler below.
        return _page("errors/400.html", 400)

    @app.errorhandler(403)
    def forbidden(_error):
        return _page("errors/403.html", 403)

    @app.errorhandler(404)
    def not_found(_error):
        return _page("errors/404.html", 404)

    @app.errorhandler(405)
    def not_allowed(_error):
        return _page("errors/404.html", 405)

    @app.errorhandler(413)
    def too_large(_error):
        return _page("errors/413.html", 413)

    @app.errorhandler(500)
    def server_error(error):
        app.logger.error("Server error on %s %s: %r", request.method, request.path, error)
        return _page("errors/500.html", 500)

    @app.errorhandler(CSRFError)
    def form_expired(_error):
        """An old or missing form token: show the same form again with what was typed.

        Every POST view validates a PortalForm, which fails on the same token and says
        kindly that the page was open a long time; nothing is stored by that request.
        """
        if _wants_json():
            return jsonify(error=400, message=str(FORM_EXPIRED)), 400
        view = app.view_functions.get(request.endpoint or "")
        if view is None or getattr(g, "csrf_redispatched", False):
            return render_template("errors/expired.html"), 400
        g.csrf_redispatched = True
        response = app.make_response(view(**(request.view_args or {})))
        if response.status_code in (301, 302, 303, 307, 308):
            # The view showed no form (e.g. sign-out): a redirect made into a 400 would
            # leave the person on a bare "Redirecting..." page.
            return render_template("errors/expired.html"), 400
        response.status_code = 400
        return response
