"""The practitioner's side: a person's "Ways to sign in". Only a professional in the
person's circle may; anyone else gets "not found". Every change here is in the audit log
(portal/core/audit.py: each is its own endpoint, so the entry says what was done)."""

from __future__ import annotations

from datetime import timedelta

from flask import abort, redirect, render_template, request, session, url_for
from flask_login import current_user
from sqlalchemy import delete, func, select

from portal.circle.guards import managed_person_or_404
from portal.core.access import allow
from portal.core.clock import utcnow
from portal.core.extensions import db
from portal.core.pdf import pdf_response
from portal.core.tokens import new_token, token_hash
from portal.core.urls import public_url
from portal.models import PasskeyCredential, PasskeySetupCode, Person, Role
from portal.signin import bp, cards, messages
from portal.signin.card_pdf import card_pdf_bytes
from portal.signin.forms import ButtonForm, ChoosePicturesForm
from portal.signin.pictures import CARD_PICTURES, options
from portal.signin.qr import qr_svg

SETUP_CODE_MINUTES = 30
# The card's token, kept in the practitioner's session only until the card is printed.
PRINT_KEY = "signin_card_to_print"
NOTICES = {"revoked": messages.CARD_REVOKED, "unlocked": messages.CARD_UNLOCKED,
           "removed": messages.PASSKEYS_REMOVED}


def _person_with_account(person_id: int) -> Person:
    person = managed_person_or_404(person_id)
    if person.user is None or person.user.role != Role.PERSON:
        abort(404)
    return person


@bp.get("/sign-in/people/<int:person_id>")
@allow(Role.PRACTITIONER)
def ways(person_id: int):
    person = managed_person_or_404(person_id)
    passkeys = 0
    if person.user is not None:
        passkeys = db.session.scalar(select(func.count()).select_from(PasskeyCredential)
                                     .where(PasskeyCredential.user_id == person.user_id))
    return render_template(
        "signin/ways.html", person=person, card=cards.current_card(person.id),
        passkeys=passkeys, form=ButtonForm(), notice=NOTICES.get(request.args.get("done", "")))


@bp.post("/sign-in/people/<int:person_id>/setup-code")
@allow(Role.PRACTITIONER)
def setup_code(person_id: int):
    """A new one-time code for the person's tablet; any earlier unused code stops working.
    Shown once, here: only its hash is kept."""
    person = _person_with_account(person_id)
    if not ButtonForm().validate_on_submit():
        return redirect(url_for("signin.ways", person_id=person.id))
    now = utcnow()
    for old in db.session.scalars(select(PasskeySetupCode).where(
            PasskeySetupCode.person_id == person.id, PasskeySetupCode.used_at.is_(None))):
        old.used_at = now
    token, hashed = new_token()
    db.session.add(PasskeySetupCode(
        person_id=person.id, token_hash=hashed, created_by_id=current_user.id,
        expires_at=now + timedelta(minutes=SETUP_CODE_MINUTES)))
    db.session.commit()
    link = public_url("signin.tablet_setup", token=token)
    return render_template("signin/setup_code.html", person=person, link=link,
                           qr=qr_svg(link, title=link), minutes=SETUP_CODE_MINUTES)


@bp.post("/sign-in/people/<int:person_id>/passkeys/remove")
@allow(Role.PRACTITIONER)
def remove_passkeys(person_id: int):
    """A lost or passed-on tablet: none of the person's passkeys signs them in any more."""
    person = _person_with_account(person_id)
    if ButtonForm().validate_on_submit():
        db.session.execute(delete(PasskeyCredential).where(
            PasskeyCredential.user_id == person.user_id))
        db.session.commit()
        return redirect(url_for("signin.ways", person_id=person.id, done="removed"))
    return redirect(url_for("signin.ways", person_id=person.id))


@bp.route("/sign-in/people/<int:person_id>/card/new", methods=["GET", "POST"])
@allow(Role.PRACTITIONER)
def new_card(person_id: int):
    """The person picks their own three pictures; then the card is made, ready to print."""
    person = _person_with_account(person_id)
    form = ChoosePicturesForm()
    status = 200
    if form.validate_on_submit():
        card, token = cards.make_card(person, form.pictures.data, current_user.id)
        db.session.commit()
        session[PRINT_KEY] = {"card": card.id, "token": token}
        return redirect(url_for("signin.card_ready", person_id=person.id))
    if form.errors:
        status = 400
    return render_template("signin/new_card.html", person=person, form=form,
                           options=options(list(CARD_PICTURES))), status


def _card_to_print(person_id: int) -> tuple[cards.SignInCard, str] | None:
    kept = session.get(PRINT_KEY) or {}
    card = cards.current_card(person_id)
    token = kept.get("token") or ""
    if card is None or kept.get("card") != card.id or card.token_hash != token_hash(token):
        return None
    return card, token


@bp.get("/sign-in/people/<int:person_id>/card")
@allow(Role.PRACTITIONER)
def card_ready(person_id: int):
    person = _person_with_account(person_id)
    if _card_to_print(person.id) is None:
        return render_template("signin/no_card.html", person=person), 404
    return render_template("signin/card_ready.html", person=person)


@bp.get("/sign-in/people/<int:person_id>/card.pdf")
@allow(Role.PRACTITIONER)
def card_pdf(person_id: int):
    person = _person_with_account(person_id)
    found = _card_to_print(person.id)
    if found is None:
        return render_template("signin/no_card.html", person=person), 404
    _card, token = found
    data = card_pdf_bytes(person, public_url("signin.card", token=token))
    return pdf_response(data, f"sign-in-card-{person.id}.pdf")


@bp.post("/sign-in/people/<int:person_id>/card/revoke")
@allow(Role.PRACTITIONER)
def revoke_card(person_id: int):
    """A lost card: it stops working at once; a new one can be printed."""
    person = _person_with_account(person_id)
    if ButtonForm().validate_on_submit() and cards.revoke(person.id):
        db.session.commit()
        session.pop(PRINT_KEY, None)
        return redirect(url_for("signin.ways", person_id=person.id, done="revoked"))
    return redirect(url_for("signin.ways", person_id=person.id))


@bp.post("/sign-in/people/<int:person_id>/card/unlock")
@allow(Role.PRACTITIONER)
def unlock_card(person_id: int):
    """After five wrong tries the card is locked until the practitioner opens it again."""
    person = _person_with_account(person_id)
    if ButtonForm().validate_on_submit() and cards.unlock(person.id):
        db.session.commit()
        return redirect(url_for("signin.ways", person_id=person.id, done="unlocked"))
    return redirect(url_for("signin.ways", person_id=person.id))
