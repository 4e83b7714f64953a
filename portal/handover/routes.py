"""Give the tablet to a person; take it back with the giver's own password.

Giving: a practitioner with the person on their list, or a supporter in their circle.
Taking back: the hand-over's giver types their password, throttled exactly as signing in
is (the same counter per username: a wrong take-back counts as a wrong sign-in). A giver
with a second step (portal/second_step) must pass it too, as at sign-in: the right
password ends the hand-over and the person's session, and leaves the giver half signed in.
"""

from __future__ import annotations

from flask import abort, redirect, render_template, session, url_for
from flask_babel import ngettext
from flask_login import current_user

from portal.auth import throttling
from portal.circle.guards import managed_person_or_404, member_or_404
from portal.core import audit
from portal.core.access import allow
from portal.core.extensions import db
from portal.handover import bp, state
from portal.handover.forms import GiveForm, TakeBackForm
from portal.handover.messages import TAKE_BACK_WRONG
from portal.models import AuditAction, HandOver, HandOverEnd, Person, Role
from portal.second_step import half_signed_in
from portal.second_step import store as second_step_store


def _person_to_give(person_id: int) -> Person:
    if current_user.role == Role.PRACTITIONER:
        person = managed_person_or_404(person_id)
    else:
        person, _member = member_or_404(person_id)
    user = person.user
    if user is None or user.role != Role.PERSON or not user.active:
        abort(404)  # nobody to hand over to: they take part through their circle
    return person


@bp.post("/tablet/give/<int:person_id>")
@allow(Role.PRACTITIONER, Role.SUPPORTER)
def give(person_id: int):
    person = _person_to_give(person_id)
    if not GiveForm().validate_on_submit():
        # An old form token: nothing is handed over (errors.py shows "press again").
        return redirect(url_for("staff.supporter_home" if current_user.role == Role.SUPPORTER
                                else "conversations.person_page", person_id=person.id))
    giver = current_user._get_current_object()
    hand_over = HandOver(person_id=person.id, given_by=giver)
    db.session.add(hand_over)
    # Written here, while the giver is still the one signed in (after_request would see
    # the person, whose own pages are not logged).
    audit.record(AuditAction.CHANGE, person.id)
    db.session.flush()
    state.sign_in_as(person.user)  # nothing of the staff member's session stays
    state.begin(hand_over, giver)
    db.session.commit()
    return redirect(url_for("person.home"))


@bp.route("/tablet/take-back", methods=["GET", "POST"])
@allow(Role.PERSON)
def take_back():
    hand_over = state.open_hand_over()
    if hand_over is None:
        abort(404)
    giver = hand_over.given_by
    form = TakeBackForm()
    status = 200
    if form.validate_on_submit():
        wait = throttling.wait_for(giver.username)
        if wait:
            form.password.errors.append(ngettext(
                "You have tried many times. Please wait %(num)d second, then try again.",
                "You have tried many times. Please wait %(num)d seconds, then try again.",
                wait))
            status = 429
        elif not giver.active or not giver.check_password(form.password.data):
            # In the log as a failed sign-in, from the session of the person handed the
            # tablet (the one signed in), about their hand-over.
            audit.record(AuditAction.SIGN_IN_FAILED, hand_over.person_id)
            throttling.record_failure(giver.username)  # commits the audit entry too
            form.password.errors.append(str(TAKE_BACK_WRONG))
            status = 401
        else:
            return _taken_back(hand_over, giver)
    elif form.errors:
        status = 400
    return render_template("handover/take_back.html", form=form, giver=giver,
                           second_step=second_step_store.has_second_step(giver)), status


def _taken_back(hand_over: HandOver, giver):
    if giver.role == Role.PRACTITIONER:
        target = url_for("conversations.person_page", person_id=hand_over.person_id, back="1")
    else:
        target = url_for("staff.supporter_home")
    state.finish(hand_over, HandOverEnd.TAKEN_BACK)
    # The password alone must not give more than signing in with it would: a giver with a
    # second step is only half signed in, on a fresh session, until it passes (the
    # throttle is cleared then, by complete_sign_in).
    session.clear()
    second_step = half_signed_in.after_password(giver, next_url=target)
    if second_step is not None:
        db.session.commit()
        return second_step
    throttling.clear(giver.username)
    state.sign_in_as(giver)
    db.session.commit()
    return redirect(target)
