"""The rating screens, shared by every owner (a signed-in person, an event participant, a
member of the person's circle rating for them: portal/circle/proxy.py).

Each function is the body of a route; `register_rating_screens` puts them on a blueprint
for one kind of owner (portal/answering/owners.py), so the same checks, stores and templates
serve them all.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from flask import Blueprint, abort, redirect, render_template, request

from portal.answering.owners import RatingOwner
from portal.answering.ratings import store as ratings
from portal.answering.ratings.forms import NEXT, SKIP, RatingForm, SaveForm
from portal.answering.screens import Screen, register
from portal.content.scales import load_statements, short_key
from portal.core.errors import refusal
from portal.core.forms import posted_id
from portal.core.messages import RATING_NOT_HERE, RATING_SAVED_ALREADY
from portal.core.templating import current_locale


def statements_or_404():
    statements = load_statements()
    if not len(statements):
        abort(404)
    return statements


def statement(owner: RatingOwner, number: int):
    statements = statements_or_404()
    item = statements.at(number)
    if item is None:
        abort(404)
    # A GET only looks: a crawler or a browser's prefetch of a menu link must not leave
    # unfinished ratings behind. The first answer posted opens the session.
    session = owner.find_rating_session()
    if session is not None and session.finished_at is not None:  # saved (an event asks once)
        return redirect(owner.after_ratings_saved(session))
    scale = statements.scale_of(item)
    if request.method == "GET":
        # Only the page shows the answer there; a POST leaves it to rate(), which reads the
        # one row it changes (reading every rating here too read it twice).
        existing = ratings.rating_of(session, short_key(item)) if session else None
        form = _form_class(owner)(formdata=None, data={
            "statement": short_key(item), "shown": item.id, "answer": _answer_of(existing, scale),
            **owner.rating_form_data(existing),
        })
        return _page(owner, number, statements, item, form)

    form = _form_class(owner)()
    action = SKIP if request.form.get("action") == SKIP else NEXT
    if not form.validate():  # an old form token: shown again, nothing stored
        return _page(owner, number, statements, item, form, 400)
    posted_key = form.statement.data or ""
    posted_number = statements.number_of(posted_key)
    if posted_number is None:
        return refusal(RATING_NOT_HERE, owner.rating_url("statement", number=number))
    if posted_number != number:  # the content moved while the page was open
        number, item = posted_number, statements.at(posted_number)
        scale = statements.scale_of(item)
    if not form.check_answer([*scale.point_keys, ratings.DONT_KNOW], action):
        return _page(owner, number, statements, item, form, 400)
    shown = posted_id(form.shown.data)
    # Opened only now, with a valid token and answer; a double tap finds the same session
    # (its open key is unique), so there is still one.
    session = session or owner.open_rating_session(current_locale())
    if session.finished_at is not None:
        return redirect(owner.after_ratings_saved(session))
    rating = ratings.rate(session, statements, posted_key,
                          None if action == SKIP else form.answer.data, shown)
    owner.after_rated(rating, form)
    if number < len(statements):
        return redirect(owner.rating_url("statement", number=number + 1))
    return redirect(owner.rating_url("check"))


def _form_class(owner: RatingOwner):
    return owner.rating_form or RatingForm


def _answer_of(rating, scale) -> str | None:
    if rating is None:
        return None
    if rating.status == "dont_know":
        return ratings.DONT_KNOW
    if rating.point_item is not None:
        return scale.point_key(rating.point_item)
    return None


def _page(owner: RatingOwner, number, statements, item, form, status: int = 200):
    scale = statements.scale_of(item)
    return render_template(
        owner.template("ratings/statement.html"), owner=owner, number=number,
        total=len(statements), item=item, scale=scale, form=form, dont_know=ratings.DONT_KNOW,
    ), status


def rows(session, statements):
    """(number, statement, scale, point item or None, rating or None) for each statement."""
    by_key = ratings.ratings_by_statement(session)
    found = []
    for number, item in enumerate(statements.statements, start=1):
        rating = by_key.get(short_key(item))
        shown = rating.statement_item if rating is not None else item
        found.append({"number": number, "item": shown, "key": short_key(item), "rating": rating,
                      "point": rating.point_item if rating is not None else None})
    return found


def check(owner: RatingOwner):
    session = owner.find_rating_session()
    if session is None:
        return redirect(owner.rating_url("index"))
    if session.finished_at is not None:
        return redirect(owner.after_ratings_saved(session))
    return render_template(owner.template("ratings/check.html"), owner=owner,
                           rows=rows(session, statements_or_404()), form=SaveForm(),
                           **owner.check_context(session))


def save(owner: RatingOwner):
    session = owner.find_rating_session()
    if session is None or session.finished_at is not None:
        # "Yes, save it" pressed twice: the first press saved it
        after = owner.after_ratings_saved(session)
        if after:
            return redirect(after)
        return refusal(RATING_SAVED_ALREADY, owner.rating_url("index"), 409)
    form = SaveForm()
    statements = statements_or_404()
    if not form.validate():
        return render_template(owner.template("ratings/check.html"), owner=owner,
                               rows=rows(session, statements), form=form,
                               **owner.check_context(session)), 400
    ratings.finish(session, statements)
    return redirect(owner.after_ratings_saved(session))


# The screens every rating owner has, by the name the owners' rating_url uses. The list and
# the saved ratings are each owner's own (the person's ratings/routes.py, the event's menu,
# the proxy's perspectives).
RATING_SCREENS = {
    "statement": Screen("/<int:number>", ("GET", "POST"), statement, takes=("number",)),
    "check": Screen("/check", ("GET",), check),
    "save": Screen("/save", ("POST",), save),
}


def register_rating_screens(bp: Blueprint, resolve_owner: Callable[..., RatingOwner],
                            access: Callable, prefix: str = "",
                            names: Mapping[str, str] | None = None) -> None:
    """The rating screens on `bp` under `prefix`, for the owner `resolve_owner(**the
    prefix's URL values)` finds on each request (see portal/answering/screens.py)."""
    register(bp, RATING_SCREENS, "ratings", resolve_owner, access, prefix, names)
