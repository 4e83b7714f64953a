""""You said, we did" pages: a commissioner answers a theme for one of their areas; people
and facilitators see the answers through `you_said_for_person` / `you_said_for_facilitator`
(templates include commissioning/_you_said.html)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from portal.commissioning import bp, feedback
from portal.commissioning.data import areas_of
from portal.core.access import allow
from portal.core.extensions import db
from portal.models import Person, Role


@bp.app_context_processor
def _you_said_helpers():
    """Lets the person's home and the facilitator's home show the answers in one line."""

    def you_said_for_person(person: Person | None = None):
        if person is None and current_user.is_authenticated:
            person = db.session.scalar(select(Person).where(Person.user_id == current_user.id))
        return feedback.for_person(person)

    def you_said_for_facilitator():
        if not current_user.is_authenticated:
            return []
        return feedback.for_facilitator(current_user.id)

    return {"you_said_for_person": you_said_for_person,
            "you_said_for_facilitator": you_said_for_facilitator,
            "you_said_themes": feedback.themes}


def _form(areas):
    form = feedback.YouSaidForm()
    locale = str(get_locale())
    form.area.choices = [(a.key, a.name(locale)) for a in areas]
    form.theme.choices = [(key, item.words_cy if locale == "cy" else item.words_en)
                          for key, item in feedback.themes().items()]
    return form


@bp.get("/you-said")
@allow(Role.COMMISSIONER)
def you_said():
    areas = areas_of(current_user.id)
    return render_template("commissioning/you_said_list.html", answers=feedback.written_by(
        current_user.id), has_areas=bool(areas), themes=feedback.themes())


@bp.route("/you-said/new", methods=["GET", "POST"])
@allow(Role.COMMISSIONER)
def you_said_new():
    areas = areas_of(current_user.id)
    if not areas:
        abort(403)
    form = _form(areas)
    if form.validate_on_submit():
        feedback.add(current_user.id, form)
        db.session.commit()
        flash(_("Saved. People in that area will see your answer on their home page."))
        return redirect(url_for("commissioning.you_said"))
    return render_template("commissioning/you_said_new.html", form=form)
