"""The person's side of a sign-in card: the QR code opens this page, and they pick their own
three pictures from nine. Wrong pictures get the same kind message whatever was wrong; the
fifth wrong try locks the card until the practitioner unlocks it."""

from __future__ import annotations

from flask import render_template

from portal.auth.signing_in import complete_sign_in
from portal.core.access import public
from portal.core.extensions import db
from portal.signin import bp, cards, messages
from portal.signin.forms import CardSignInForm
from portal.signin.pictures import options


@bp.route("/card/<token>", methods=["GET", "POST"])
@public
def card(token: str):
    found = cards.card_for_token(token)
    if found is None:
        return render_template("signin/card_not_working.html"), 404
    if found.locked_at is not None:
        return render_template("signin/card_locked.html"), 403
    form = CardSignInForm()
    form.pictures.choices = [(name, name) for name in found.picture_names]
    status = 200
    if form.validate_on_submit():
        if cards.try_pictures(found, form.pictures.data):
            user = found.person.user
            db.session.commit()
            return complete_sign_in(user)
        db.session.commit()
        if found.locked_at is not None:
            return render_template("signin/card_locked.html"), 403
        form.pictures.errors.append(str(messages.PICTURES_WRONG))
        status = 401
    elif form.errors:
        status = 400
    form.pictures.data = []  # pick again: the page never shows back what was picked
    return render_template("signin/card.html", form=form, person=found.person,
                           options=options(cards.shuffled(found.picture_names))), status
