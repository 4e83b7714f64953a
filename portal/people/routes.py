"""A practitioner adds a person and changes their details. Only a professional in the
person's circle may change them; anyone else gets "not found"."""

from __future__ import annotations

from datetime import date

from flask import redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from portal.circle.guards import managed_person_or_404
from portal.core import audit
from portal.core.access import allow
from portal.core.extensions import db
from portal.core.templating import current_locale
from portal.models import AuditAction, LocalAuthority, Role
from portal.people import bp, store
from portal.people.forms import PersonForm

USER_FIELDS = ("language", "pictures", "text_size", "speech_rate")


def _council_choices() -> list[tuple[str, str]]:
    locale = current_locale()
    councils = sorted(db.session.scalars(select(LocalAuthority)),
                      key=lambda la: la.name(locale))
    return [("", _("Choose a council"))] + [(str(la.id), la.name(locale)) for la in councils]


def _form(**values) -> PersonForm:
    form = PersonForm(data=values or None)
    form.local_authority.choices = _council_choices()
    return form


def _page(form: PersonForm, person, has_account: bool):
    return render_template("people/details.html", form=form, person=person,
                           has_account=has_account, today=date.today().isoformat(),
                           ), (400 if form.errors else 200)


def _details(form: PersonForm, has_account: bool = True) -> store.Details:
    return store.Details(
        name=form.name.data, preferred_name=form.preferred_name.data or None,
        language=form.language.data if has_account else "en",
        local_authority_id=int(form.local_authority.data),
        date_of_birth=form.date_of_birth.data,
        pictures=has_account and form.pictures.data == "yes",
        text_size=form.text_size.data if has_account else "normal",
        speech_rate=form.speech_rate.data if has_account else "normal")


@bp.route("/people/new", methods=["GET", "POST"])
@allow(Role.PRACTITIONER)
def new():
    form = _form(language=current_locale(), pictures="yes", text_size="normal",
                 speech_rate="normal")
    if form.validate_on_submit():
        person = store.add_person(_details(form), current_user.id)
        audit.record(AuditAction.CHANGE, person.id)  # the URL names nobody yet
        db.session.commit()
        return redirect(url_for("conversations.person_page", person_id=person.id, added="1"))
    return _page(form, None, True)


@bp.route("/people/<int:person_id>/details", methods=["GET", "POST"])
@allow(Role.PRACTITIONER)
def edit(person_id: int):
    person = managed_person_or_404(person_id)
    has_account = person.user is not None
    form = _form(**store.details_of(person))
    if not has_account:
        # Someone who takes part only through their circle has no language or settings
        # of their own to change.
        for name in USER_FIELDS:
            delattr(form, name)
    if form.validate_on_submit():
        store.change_details(person, _details(form, has_account))
        db.session.commit()
        return redirect(url_for("conversations.person_page", person_id=person.id, saved="1"))
    return _page(form, person, has_account)
