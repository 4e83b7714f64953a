"""The person's mat pages: the shared mat screens (mats/screens.py) with the signed-in
person as their owner, and the pages that are the person's alone (their list of mats, a
saved mat and its picture, over time). Thin: call the store and the scorer, render."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, send_file, url_for

from portal.answering.mats import bp, screens
from portal.answering.mats import store as mats
from portal.answering.mats.person import person_mat_owner
from portal.answering.mats.picture import picture_file
from portal.content.scales import current_mats, short_key
from portal.core.access import allow
from portal.core.identity import own_person
from portal.core.templating import current_locale
from portal.domain.scoring import compare
from portal.models import Role


def _session_or_404(session_id: int):
    return screens.session_or_404(person_mat_owner(), session_id)


# --- Choosing a mat -------------------------------------------------------------------------


@bp.get("/")
@allow(Role.PERSON)
def index():
    person = own_person()
    saved = mats.finished_sessions(person.id)
    # Mats saved twice or more, once each (newest first): these can show what changed.
    keys = [s.mat_key for s in saved]
    compared = [s for i, s in enumerate(saved)
                if keys.count(s.mat_key) > 1 and s.mat_key not in keys[:i]]
    return render_template(
        "mats/index.html", mats=current_mats(), saved=saved, compared=compared,
        short_key=short_key,
    )


# --- The mat, then "Is this right?" and save: the shared screens ----------------------------

screens.register_mat_screens(bp, person_mat_owner, allow(Role.PERSON))


# --- The saved mat, as a picture and as words ---------------------------------------------


@bp.get("/saved/<int:session_id>")
@allow(Role.PERSON)
def saved(session_id: int):
    session, mat = _session_or_404(session_id)
    if session.finished_at is None:
        return redirect(url_for("mats.mat", mat_key=mat.key))
    has_picture = screens.ensure_picture(session, mat)
    earlier = [s for s in mats.finished_sessions(session.person_id, mat.key) if s.id != session.id]
    return render_template("mats/saved.html", mat=mat, session=session,
                           board=mats.board(session, mat, current_locale()),
                           has_earlier=bool(earlier), has_picture=has_picture)


@bp.get("/saved/<int:session_id>/mat.png")
@allow(Role.PERSON)
def picture(session_id: int):
    session, mat = _session_or_404(session_id)
    if session.finished_at is None:
        abort(404)
    if not screens.ensure_picture(session, mat):
        abort(404)
    name = f"{mat.key}-{session.finished_at:%Y-%m-%d}.png"
    return send_file(picture_file(session), mimetype="image/png", max_age=0,
                     as_attachment=request.args.get("download") == "1", download_name=name)


# --- Over time: the earlier mat of the same topic against the latest --------------------------


@bp.get("/<mat_key>/over-time")
@allow(Role.PERSON)
def over_time(mat_key: str):
    mat = screens.mat_or_404(mat_key)
    person = own_person()
    saved = mats.finished_sessions(person.id, mat.key)
    if len(saved) < 2:
        return render_template("mats/over_time.html", mat=mat, later=None, earlier=None,
                               changes=[], choices=saved)
    later = saved[0]
    earlier_id = request.args.get("earlier", type=int)
    earlier = next((s for s in saved[1:] if s.id == earlier_id), saved[1])
    locale = current_locale()
    before_board = mats.board(earlier, mat, locale)
    after_board = mats.board(later, mat, locale)
    cards = {c.key: c for c in [*before_board.cards, *after_board.cards]}
    points = {col.key: col for col in after_board.columns}
    changes = [
        {"change": change, "card": cards[change.key],
         "before": points.get(before_board.placements.get(change.key) or ""),
         "after": points.get(after_board.placements.get(change.key) or "")}
        for change in compare(mats.scores_by_card(earlier), mats.scores_by_card(later))
        if change.key in cards
    ]
    return render_template("mats/over_time.html", mat=mat, later=later, earlier=earlier,
                           changes=changes, choices=saved[1:])
