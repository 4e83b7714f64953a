"""Proxy ratings: a member of the circle rates the outcome statements for the person, from a
stated perspective. The person's own rating store is reused (portal/ratings/store.py): a
RatingSession with `rated_by_user_id` = the member and the perspective, so that self and
proxy are stored apart and two members rating at once each keep their own session."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from portal.access import allow
from portal.circle import bp, guards
from portal.circle import consent as consents
from portal.circle.forms import ProxyRatingForm, SaveForm
from portal.extensions import db
from portal.messages import PROXY_NO_CONSENT, PROXY_SAVED, RATING_NOT_HERE
from portal.models import Perspective, RatingComment, RatingSession, Role
from portal.ratings import store as ratings
from portal.ratings.forms import NEXT, SKIP
from portal.scales import load_statements, short_key
from portal.templating import current_locale

PERSPECTIVES = {
    "what-i-think": Perspective.PROXY_OWN_VIEW,
    "what-they-would-say": Perspective.PROXY_THEIR_VIEW,
}


def _allowed(person_id: int):
    person, member = guards.member_or_404(person_id)
    if not consents.may_rate(member):
        return person, member, False
    return person, member, True


def _no_consent(person):
    return render_template("circle/no_consent.html", person=person,
                           message=str(PROXY_NO_CONSENT)), 403


def _perspective(slug: str) -> Perspective:
    if slug not in PERSPECTIVES:
        abort(404)
    return PERSPECTIVES[slug]


def _statements():
    statements = load_statements()
    if not len(statements):
        abort(404)
    return statements


def finished_proxy_sessions(person_id: int, user_id: int) -> list[RatingSession]:
    return list(db.session.scalars(select(RatingSession).where(
        RatingSession.person_id == person_id, RatingSession.rated_by_user_id == user_id,
        RatingSession.perspective != Perspective.SELF, RatingSession.finished_at.is_not(None),
    ).order_by(RatingSession.finished_at.desc())))


@bp.get("/circle/people/<int:person_id>/rate")
@allow(Role.SUPPORTER, Role.PRACTITIONER)
def proxy_index(person_id: int):
    person, member, ok = _allowed(person_id)
    if not ok:  # a page that explains, reached from the supporter's list: not an error
        return render_template("circle/no_consent.html", person=person,
                               message=str(PROXY_NO_CONSENT))
    open_sessions = {slug: ratings.find_open_session(person.id, current_user.id, p)
                     for slug, p in PERSPECTIVES.items()}
    return render_template("circle/proxy_index.html", person=person, member=member,
                           open_sessions=open_sessions,
                           saved=finished_proxy_sessions(person.id, current_user.id),
                           notice=PROXY_SAVED if request.args.get("saved") else None)


@bp.route("/circle/people/<int:person_id>/rate/<slug>/<int:number>", methods=["GET", "POST"])
@allow(Role.SUPPORTER, Role.PRACTITIONER)
def proxy_statement(person_id: int, slug: str, number: int):
    perspective = _perspective(slug)
    person, member, ok = _allowed(person_id)
    if not ok:
        return _no_consent(person)
    statements = _statements()
    item = statements.at(number)
    if item is None:
        abort(404)
    session = ratings.open_session(person.id, current_user.id, current_locale(), perspective)
    scale = statements.scale_of(item)
    existing = ratings.ratings_by_statement(session).get(short_key(item))
    if request.method == "GET":
        ratings.remember_position(session, number)
        form = ProxyRatingForm(formdata=None, data={
            "statement": short_key(item), "shown": item.id,
            "answer": _answer_of(existing, scale), "comment": _comment_of(existing)})
        return _page(person, slug, number, statements, item, form)

    form = ProxyRatingForm()
    action = SKIP if request.form.get("action") == SKIP else NEXT
    if not form.validate():
        return _page(person, slug, number, statements, item, form, 400)
    posted_key = form.statement.data or ""
    posted_number = statements.number_of(posted_key)
    if posted_number is None:
        page = render_template("errors/refused.html", message=str(RATING_NOT_HERE),
                               back_url=url_for("circle.proxy_statement", person_id=person.id,
                                                slug=slug, number=number))
        return page, 400
    number, item = posted_number, statements.at(posted_number)
    scale = statements.scale_of(item)
    if not form.check_answer([*scale.point_keys, ratings.DONT_KNOW], action):
        return _page(person, slug, number, statements, item, form, 400)
    shown = int(form.shown.data) if (form.shown.data or "").isdigit() else None
    rating = ratings.rate(session, statements, posted_key,
                          None if action == SKIP else form.answer.data, shown)
    _keep_comment(rating.id, form.comment.data)
    if number < len(statements):
        return redirect(url_for("circle.proxy_statement", person_id=person.id, slug=slug,
                                number=number + 1))
    return redirect(url_for("circle.proxy_check", person_id=person.id, slug=slug))


def _keep_comment(rating_id: int, words: str | None) -> None:
    found = db.session.scalar(select(RatingComment).where(RatingComment.rating_id == rating_id))
    if words:
        if found is None:
            db.session.add(RatingComment(rating_id=rating_id, comment=words))
        else:
            found.comment = words
    elif found is not None:
        db.session.delete(found)
    db.session.commit()


def comments_of(session: RatingSession) -> dict[str, str]:
    ids = {r.id: r.statement_key for r in session.ratings}
    if not ids:
        return {}
    found = db.session.scalars(select(RatingComment).where(RatingComment.rating_id.in_(ids)))
    return {ids[c.rating_id]: c.comment for c in found}


def _comment_of(rating) -> str | None:
    if rating is None:
        return None
    return db.session.scalar(select(RatingComment.comment).where(
        RatingComment.rating_id == rating.id))


def _answer_of(rating, scale) -> str | None:
    if rating is None:
        return None
    if rating.status == "dont_know":
        return ratings.DONT_KNOW
    if rating.point_item is not None:
        return scale.point_key(rating.point_item)
    return None


def _page(person, slug, number, statements, item, form, status: int = 200):
    return render_template(
        "circle/proxy_statement.html", person=person, slug=slug, number=number,
        total=len(statements), item=item, scale=statements.scale_of(item), form=form,
        dont_know=ratings.DONT_KNOW), status


@bp.get("/circle/people/<int:person_id>/rate/<slug>/check")
@allow(Role.SUPPORTER, Role.PRACTITIONER)
def proxy_check(person_id: int, slug: str):
    perspective = _perspective(slug)
    person, member, ok = _allowed(person_id)
    if not ok:
        return _no_consent(person)
    session = ratings.find_open_session(person.id, current_user.id, perspective)
    if session is None:
        return redirect(url_for("circle.proxy_index", person_id=person.id))
    return render_template("circle/proxy_check.html", person=person, slug=slug,
                           rows=_rows(session, _statements()), comments=comments_of(session),
                           form=SaveForm())


def _rows(session, statements):
    by_key = ratings.ratings_by_statement(session)
    return [{"number": n, "item": item, "key": short_key(item),
             "rating": by_key.get(short_key(item))}
            for n, item in enumerate(statements.statements, start=1)]


@bp.post("/circle/people/<int:person_id>/rate/<slug>/save")
@allow(Role.SUPPORTER, Role.PRACTITIONER)
def proxy_save(person_id: int, slug: str):
    perspective = _perspective(slug)
    person, member, ok = _allowed(person_id)
    if not ok:
        return _no_consent(person)
    session = ratings.find_open_session(person.id, current_user.id, perspective)
    if session is None:  # pressed twice: the first press saved it
        return redirect(url_for("circle.proxy_index", person_id=person.id, saved=1))
    form = SaveForm()
    statements = _statements()
    if not form.validate():
        return render_template("circle/proxy_check.html", person=person, slug=slug,
                               rows=_rows(session, statements), comments=comments_of(session),
                               form=form), 400
    ratings.finish(session, statements)
    return redirect(url_for("circle.proxy_index", person_id=person.id, saved=1))
