"""The person's outcome rating pages, one statement a screen: the shared rating screens
(ratings/screens.py) with the signed-in person as their owner, and the pages that are the
person's alone (the start, saved ratings, over time). Thin: fetch, call the store, render."""

from __future__ import annotations

from flask import abort, render_template, request
from flask_login import current_user

from portal.answering.ratings import bp, screens
from portal.answering.ratings import store as ratings
from portal.answering.ratings.person import person_rating_owner
from portal.content.scales import load_statements, short_key
from portal.core.access import allow
from portal.core.identity import own_person
from portal.domain.scoring import compare
from portal.models import Role


@bp.get("/")
@allow(Role.PERSON)
def index():
    person = own_person()
    statements = load_statements()
    session = ratings.find_open_session(person.id, current_user.id)
    answered = len(session.ratings) if session else 0
    saved = ratings.finished_sessions(person.id)
    return render_template("ratings/index.html", session=session, answered=answered,
                           total=len(statements), saved=saved)


# One statement a screen, then "Is this right?" and save: the shared screens.
screens.register_rating_screens(bp, person_rating_owner, allow(Role.PERSON))


@bp.get("/saved/<int:session_id>")
@allow(Role.PERSON)
def saved(session_id: int):
    person = own_person()
    session = ratings.session_of_person(session_id, person.id)
    if session is None or session.finished_at is None:
        abort(404)
    earlier = [s for s in ratings.finished_sessions(person.id) if s.id != session.id]
    return render_template("ratings/saved.html", session=session,
                           rows=screens.rows(session, screens.statements_or_404()),
                           has_earlier=bool(earlier))


@bp.get("/over-time")
@allow(Role.PERSON)
def over_time():
    person = own_person()
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
