from flask import redirect, render_template, request, url_for

from portal.core.access import public
from portal.core.extensions import db
from portal.core.preferences import Preferences, current_preferences, save_preferences
from portal.core.urls import safe_next
from portal.settings import bp
from portal.settings.forms import PreferencesForm


def _yes(value: bool) -> str:
    return "yes" if value else "no"


@bp.route("/settings", methods=["GET", "POST"])
@public  # a participant at a listening event has no account but has preferences too
def preferences():
    form = PreferencesForm()
    if request.method == "GET":
        now = current_preferences()
        form.pictures.data = _yes(now.pictures)
        form.text_size.data = now.text_size
        form.speech_rate.data = now.speech_rate
        form.high_contrast.data = _yes(now.high_contrast)
    elif form.validate_on_submit():
        save_preferences(
            Preferences(
                pictures=form.pictures.data == "yes",
                text_size=form.text_size.data,
                speech_rate=form.speech_rate.data,
                high_contrast=form.high_contrast.data == "yes",
            )
        )
        db.session.commit()
        target = safe_next(request.args.get("next"), url_for("settings.preferences"))
        return redirect(target + ("&" if "?" in target else "?") + "saved=1")
    status = 400 if form.errors else 200
    return render_template(
        "settings/preferences.html", form=form, saved=request.args.get("saved") == "1"
    ), status
