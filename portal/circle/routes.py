"""Managing a circle (practitioner), joining by invite (anyone with the link), the person's
consent, and safety follow-ups. Thin: fetch, call the stores, render."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user
from sqlalchemy import func, select

from portal.circle import bp, guards, invites
from portal.circle import consent as consents
from portal.circle.forms import (
    AcceptForm,
    BestInterestsForm,
    ConsentForm,
    FollowUpForm,
    InviteForm,
    JoinForm,
)
from portal.circle.invites import InviteState
from portal.core.access import allow, public
from portal.core.clock import utcnow
from portal.core.extensions import db
from portal.core.homes import home_endpoint
from portal.core.identity import own_person
from portal.core.messages import (
    BEST_INTERESTS_SAVED,
    CIRCLE_ALREADY_MEMBER,
    CIRCLE_INVITE_EXPIRED,
    CIRCLE_INVITE_UNKNOWN,
    CIRCLE_INVITE_USED,
    CIRCLE_INVITE_WRONG_ROLE,
    CIRCLE_USERNAME_TAKEN,
    CONSENT_SAVED,
)
from portal.models import CircleMember, Role, SafetyFollowUp, User

CONSENT_CHOICES = ("rate", "see_own", "see_others")


# --- The practitioner's page for one person's circle ---------------------------------


@bp.get("/circle/people/<int:person_id>")
@allow(Role.PRACTITIONER)
def manage(person_id: int):
    person = guards.managed_person_or_404(person_id)
    return render_template(
        "circle/manage.html", person=person, invites=invites.open_invites(person.id),
        consents=consents.consents(person.id), decisions=consents.decisions(person.id),
        notice=BEST_INTERESTS_SAVED if request.args.get("saved") == "best-interests" else None)


@bp.route("/circle/people/<int:person_id>/invite", methods=["GET", "POST"])
@allow(Role.PRACTITIONER)
def invite(person_id: int):
    person = guards.managed_person_or_404(person_id)
    form = InviteForm()
    if request.method == "POST":
        if form.validate():
            made, token = invites.create(
                person.id, current_user.id, name=form.name.data, relation=form.relation.data,
                role_label=form.role_label.data, known_for_years=form.years,
                contact_frequency=form.contact_frequency.data, contact=form.contact.data)
            # The token is never stored: this page is the only time the link is shown.
            link = url_for("circle.join", token=token, _external=True)
            return render_template("circle/invite_link.html", person=person, invite=made,
                                   link=link)
        return render_template("circle/invite.html", person=person, form=form), 400
    return render_template("circle/invite.html", person=person, form=form)


@bp.route("/circle/people/<int:person_id>/best-interests", methods=["GET", "POST"])
@allow(Role.PRACTITIONER)
def best_interests(person_id: int):
    person = guards.managed_person_or_404(person_id)
    form = BestInterestsForm()
    members = [m for m in person.circle]
    form.raters.choices = [(m.id, _member_name(m)) for m in members]
    if request.method == "POST":
        if form.validate():
            known = {m.id for m in members}
            consents.record_best_interests(
                person.id, current_user.id, consulted=form.consulted.data,
                decided_on=form.decided_on.data, reason=form.reason.data,
                raters={m for m in form.raters.data or [] if m in known})
            return redirect(url_for("circle.manage", person_id=person.id, saved="best-interests"))
        return render_template("circle/best_interests.html", person=person, form=form), 400
    return render_template("circle/best_interests.html", person=person, form=form)


def _member_name(member: CircleMember) -> str:
    if member.user is not None:
        return member.user.display_name
    latest = invites.open_invites(member.person_id).get(member.id)
    return latest.name if latest else (member.role_label or member.relation)


# --- Joining by invite ------------------------------------------------------------------

_PROBLEMS = {
    InviteState.UNKNOWN: (CIRCLE_INVITE_UNKNOWN, 404),
    InviteState.EXPIRED: (CIRCLE_INVITE_EXPIRED, 410),
    InviteState.USED: (CIRCLE_INVITE_USED, 410),
}


def _problem(message, status: int):
    return render_template("circle/invite_problem.html", message=str(message)), status


@bp.route("/circle/join/<token>", methods=["GET", "POST"])
@public
def join(token: str):
    state, found = invites.find(token)
    if state != InviteState.OK:
        return _problem(*_PROBLEMS[state])
    person = found.member.person
    if current_user.is_authenticated:
        if current_user.role not in (Role.SUPPORTER, Role.PRACTITIONER):
            return _problem(CIRCLE_INVITE_WRONG_ROLE, 403)
        if invites.already_in_circle(found, current_user):
            return _problem(CIRCLE_ALREADY_MEMBER, 409)
        form = AcceptForm()
        if request.method == "POST" and form.validate():
            if not invites.accept(found, current_user):
                return _problem(CIRCLE_INVITE_USED, 410)
            return redirect(url_for(home_endpoint(current_user)))
        status = 400 if request.method == "POST" else 200
        return render_template("circle/join.html", person=person, invite=found, form=form,
                               token=token), status
    form = JoinForm()
    if request.method == "POST":
        if form.validate():
            taken = db.session.scalar(select(User.id).where(
                func.lower(User.username) == form.username.data.lower()))
            if taken is None:
                user = User(username=form.username.data, role=Role.SUPPORTER,
                            display_name=found.name)
                user.set_password(form.password.data)
                db.session.add(user)
                db.session.flush()
                if not invites.accept(found, user):  # used a moment ago: the account goes too
                    return _problem(CIRCLE_INVITE_USED, 410)
                session.clear()  # a fresh session on sign-in
                login_user(user)
                return redirect(url_for(home_endpoint(user)))
            form.username.errors.append(str(CIRCLE_USERNAME_TAKEN))
        return render_template("circle/join.html", person=person, invite=found, form=form,
                               token=token), 400
    return render_template("circle/join.html", person=person, invite=found, form=form,
                           token=token)


# --- The person's consent, in easy read ---------------------------------------------------


@bp.route("/me/circle/agree", methods=["GET", "POST"])
@allow(Role.PERSON)
def agree():
    person = own_person()
    form = ConsentForm()
    saved = False
    if request.method == "POST":
        if form.validate():
            known = {m.id for m in person.circle}
            choices = {}
            for member_id in known:
                chosen = set(request.form.getlist(f"member-{member_id}"))
                choices[member_id] = chosen & set(CONSENT_CHOICES)
            consents.record_person_agreement(person.id, choices, current_user.id)
            saved = True
        else:
            return render_template("circle/agree.html", person=person, form=form,
                                   consents=consents.consents(person.id),
                                   names=_names(person)), 400
    return render_template("circle/agree.html", person=person, form=form,
                           consents=consents.consents(person.id), names=_names(person),
                           notice=CONSENT_SAVED if saved else None)


def _names(person) -> dict[int, str]:
    return {m.id: _member_name(m) for m in person.circle}


# --- Safety follow-ups --------------------------------------------------------------------


@bp.route("/circle/follow-ups/<int:follow_up_id>", methods=["GET", "POST"])
@allow(Role.PRACTITIONER)
def follow_up(follow_up_id: int):
    found = db.session.get(SafetyFollowUp, follow_up_id)
    if found is None:
        abort(404)
    person = guards.managed_person_or_404(found.person_id)
    form = FollowUpForm()
    if request.method == "POST":
        if found.done_at is None and form.validate():
            found.done_at = utcnow()
            found.done_by_user_id = current_user.id
            found.note = form.note.data
            db.session.commit()
            return redirect(url_for("staff.practitioner_home"))
        if found.done_at is None:
            return render_template("circle/follow_up.html", person=person, follow_up=found,
                                   form=form), 400
    return render_template("circle/follow_up.html", person=person, follow_up=found, form=form)




# --- Helpers for the circle's templates (and the practitioner's home) -------------------


@bp.app_context_processor
def circle_helpers():
    from portal.circle.forms import frequency_label, perspective_label
    from portal.core.templating import current_locale
    from portal.models import ContentItem

    def statement_words(key: str) -> str:
        item = db.session.scalar(select(ContentItem).where(
            ContentItem.key == f"statement.{key}", ContentItem.is_current))
        return item.words(current_locale()) if item is not None else key

    def home_endpoint_name() -> str:
        return home_endpoint(current_user)

    return {"frequency_label": frequency_label, "perspective_label": perspective_label,
            "statement_words": statement_words, "home_endpoint_name": home_endpoint_name}
