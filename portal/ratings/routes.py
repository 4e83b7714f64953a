"""The outcome rating pages: one statement a screen. Thin: fetch, call the store, render."""

from __future__ import annotations

from flask import abort, make_response, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from portal.access import allow
from portal.extensions import db
from portal.messages import RATING_NOT_HERE, RATING_SAVED_ALREADY
from portal.models import Person, Role
from portal.ratings import bp
from portal.ratings import store as ratings
from portal.ratings.forms import NEXT, SKIP, RatingForm, SaveForm
from portal.scales import load_statements, short_key
from portal.scoring import compare
from portal.templating import current_locale


def _own_person() -> Person:
    person = db.session.scalar(select(Person).where(Person.user_id == current_user.id))
    if person is None:
        abort(404)
    return person


def _statements():
    statements = load_statements()
    if not len(statements):
        abort(404)
    return statements


def _refusal(message, back_url: str, status: int = 400):
    page = render_template("errors/refused.html", message=str(message), back_url=back_url)
    return make_response(page, status)


@bp.get("/")
@allow(Role.PERSON)
def index():
    person = _own_person()
    statements = load_statements()
    session = ratings.find_open_session(person.id, current_user.id)
    answered = len(session.ratings) if session else 0
    saved = ratings.finished_sessions(person.id)
    return render_template("ratings/index.html", session=session, answered=answered,
                           total=len(statements), saved=saved)


@bp.route("/<int:number>", methods=["GET", "POST"])
@allow(Role.PERSON)
def statement(number: int):
    person = _own_person()
    statements = _statements()
    item = statements.at(number)
    if item is None:
        abort(404)
    session = ratings.open_session(person.id, current_user.id, current_locale())
    scale = statements.scale_of(item)
    existing = ratings.ratings_by_statement(session).get(short_key(item))
    if request.method == "GET":
        ratings.remember_position(session, number)
        form = RatingForm(formdata=None, data={
            "statement": short_key(item), "shown": item.id, "answer": _answer_of(existing, scale),
        })
        return _page(number, statements, item, form)

    form = RatingForm()
    action = SKIP if request.form.get("action") == SKIP else NEXT
    if not form.validate():  # an old form token: shown again, nothing stored
        return _page(number, statements, item, form, 400)
    posted_key = form.statement.data or ""
    posted_number = statements.number_of(posted_key)
    if posted_number is None:
        return _refusal(RATING_NOT_HERE, url_for("ratings.statement", number=number))
    if posted_number != number:  # the content moved while the page was open
        number, item = posted_number, statements.at(posted_number)
        scale = statements.scale_of(item)
    if not form.check_answer([*scale.point_keys, ratings.DONT_KNOW], action):
        return _page(number, statements, item, form, 400)
    shown = int(form.shown.data) if (form.shown.data or "").isdigit() else None
    ratings.rate(session, statements, posted_key,
                 None if action == SKIP else form.answer.data, shown)
    if number < len(statements):
        return redirect(url_for("ratings.statement", number=number + 1))
    return redirect(url_for("ratings.check"))


def _answer_of(rating, scale) -> str | None:
    if rating is None:
        return None
    if rating.status == "dont_know":
        return ratings.DONT_KNOW
    if rating.point_item is not None:
        return scale.point_key(rating.point_item)
    return None


def _page(number, statements, item, form, status: int = 200):
    scale = statements.scale_of(item)
    return render_template(
        "ratings/statement.html", number=number, total=len(statements), item=item,
        scale=scale, form=form, dont_know=ratings.DONT_KNOW,
    ), status


def _rows(session, statements):
    """(number, statement, scale, point item or None, rating or None) for each statement."""
    by_key = ratings.ratings_by_statement(session)
    rows = []
    for number, item in enumerate(statements.statements, start=1):
        rating = by_key.get(short_key(item))
        shown = rating.statement_item if rating is not None else item
        rows.append({"number": number, "item": shown, "rating": rating,
                     "point": rating.point_item if rating is not None else None})
    return rows


@bp.get("/check")
@allow(Role.PERSON)
def check():
    person = _own_person()
    session = ratings.find_open_session(person.id, current_user.id)
    if session is None:
        return redirect(url_for("ratings.index"))
    return render_template("ratings/check.html", rows=_rows(session, _statements()),
                           form=SaveForm())


@bp.post("/save")
@allow(Role.PERSON)
def save():
    person = _own_person()
    session = ratings.find_open_session(person.id, current_user.id)
    if session is None:  # "Yes, save it" pressed twice: the first press saved it
        latest = ratings.finished_sessions(person.id)
        if latest:
            return redirect(url_for("ratings.saved", session_id=latest[0].id))
        return _refusal(RATING_SAVED_ALREADY, url_for("ratings.index"), 409)
    form = SaveForm()
    statements = _statements()
    if not form.validate():
        return render_template("ratings/check.html", rows=_rows(session, statements),
                               form=form), 400
    ratings.finish(session, statements)
    return redirect(url_for("ratings.saved", session_id=session.id))


@bp.get("/saved/<int:session_id>")
@allow(Role.PERSON)
def saved(session_id: int):
    person = _own_person()
    session = ratings.session_of_person(session_id, person.id)
    if session is None or session.finished_at is None:
        abort(404)
    earlier = [s for s in ratings.finished_sessions(person.id) if s.id != session.id]
    return render_template("ratings/saved.html", session=session,
                           rows=_rows(session, _statements()), has_earlier=bool(earlier))


@bp.get("/over-time")
@allow(Role.PERSON)
def over_time():
    person = _own_person()
    statements = load_statements()
    saved = ratings.finished_sessions(person.id)
    if len(saved) < 2:
        return render_template("ratings/over_time.html", later=None, earlier=None, changes=[],
                               choices=saved)
    later = saved[0]
    earlier_id = request.args.get("earlier", type=int)
    earlier = next((s for s in saved[1:] if s.id == earlier_id), saved[1])
    before = ratings.ratings_by_statement(earlier)
    after = ratings.ratings_by_statement(later)
    items = {short_key(s): s for s in statements.statements}
    changes = []
    for change in compare(ratings.scores_by_statement(earlier),
                          ratings.scores_by_statement(later)):
        rating = after.get(change.key) or before.get(change.key)
        item = items.get(change.key) or (rating.statement_item if rating else None)
        if item is None:
            continue
        changes.append({"change": change, "item": item,
                        "before": before.get(change.key), "after": after.get(change.key)})
    return render_template("ratings/over_time.html", later=later, earlier=earlier,
                           changes=changes, choices=saved[1:])
