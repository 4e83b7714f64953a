"""The mat pages. Thin: fetch, call the store and the scorer, render."""

from __future__ import annotations

from flask import (
    abort,
    current_app,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user
from sqlalchemy import select

from portal.access import allow
from portal.extensions import db
from portal.mats import bp
from portal.mats import store as mats
from portal.mats.forms import FIELD_PREFIX, OwnCardForm, SaveForm, placements_form
from portal.mats.picture import picture_file, save_picture
from portal.messages import (
    MAT_CARD_NOT_HERE,
    MAT_NOT_SAVED,
    MAT_NOTHING_PLACED,
    MAT_OWN_CARD_ADDED,
    MAT_OWN_CARD_TOO_MANY,
    MAT_POINT_NOT_HERE,
    MAT_SAVED_ALREADY,
)
from portal.models import Person, Role
from portal.scales import current_mats, load_mat, short_key
from portal.scoring import compare
from portal.templating import current_locale


def _own_person() -> Person:
    person = db.session.scalar(select(Person).where(Person.user_id == current_user.id))
    if person is None:
        abort(404)
    return person


def _mat_or_404(key: str):
    mat = load_mat(key)
    if mat is None:
        abort(404)
    return mat


def _session_or_404(session_id: int):
    """One of this person's own mat sessions; anyone else's is "not found"."""
    session = mats.session_of_person(session_id, _own_person().id)
    if session is None:
        abort(404)
    mat = _mat_or_404(session.mat_key)
    return session, mat


def _open_session_or_refuse(session_id: int, as_json: bool = False):
    session, mat = _session_or_404(session_id)
    if session.finished_at is not None:
        if as_json:
            abort(_json_refusal(MAT_SAVED_ALREADY, 409))
        abort(_refusal(MAT_SAVED_ALREADY, url_for("mats.index"), 409))
    return session, mat


def _refusal(message, back_url: str, status: int = 400):
    """A clear "not saved" page; nothing of the request was stored."""
    page = render_template("errors/refused.html", message=str(message), back_url=back_url)
    return make_response(page, status)


def _json_refusal(message, status: int = 400):
    response = jsonify(error=status, message=str(message))
    response.status_code = status
    return response


# --- Choosing a mat -------------------------------------------------------------------------


@bp.get("/")
@allow(Role.PERSON)
def index():
    person = _own_person()
    saved = mats.finished_sessions(person.id)
    # Mats saved twice or more, once each (newest first): these can show what changed.
    keys = [s.mat_key for s in saved]
    compared = [s for i, s in enumerate(saved)
                if keys.count(s.mat_key) > 1 and s.mat_key not in keys[:i]]
    return render_template(
        "mats/index.html", mats=current_mats(), saved=saved, compared=compared,
        short_key=short_key,
    )


# --- The mat ----------------------------------------------------------------------------------


@bp.get("/<mat_key>")
@allow(Role.PERSON)
def mat(mat_key: str):
    mat = _mat_or_404(mat_key)
    session = mats.open_session(_own_person().id, mat, current_user.id, current_locale())
    return _mat_page(session, mat)


def _mat_page(session, mat, form=None, own_form=None, status: int = 200):
    locale = current_locale()
    own_form = own_form or OwnCardForm(formdata=None)
    board = mats.board(session, mat, locale)
    if form is None:
        form = placements_form(
            [c.key for c in board.cards], mat.scale.point_keys,
            formdata=None,
            data={f"{FIELD_PREFIX}{k}": (v or "not-now") for k, v in board.placements.items()},
        )
    return render_template(
        "mats/mat.html", mat=mat, session=session, board=board,
        own_form=own_form, form=form if form.errors or not own_form.errors else own_form,
        mat_form=form, field_prefix=FIELD_PREFIX, msg_failed=str(MAT_NOT_SAVED),
    ), status


@bp.post("/session/<int:session_id>/answers")
@allow(Role.PERSON)
def answers(session_id: int):
    """The mat without JavaScript: every card's place in one form."""
    session, mat = _open_session_or_refuse(session_id)
    board = mats.board(session, mat, current_locale())
    card_keys = [c.key for c in board.cards]
    posted = {name.removeprefix(FIELD_PREFIX) for name in request.form
              if name.startswith(FIELD_PREFIX)}
    if posted - set(card_keys):
        return _refusal(MAT_CARD_NOT_HERE, url_for("mats.mat", mat_key=mat.key))
    form = placements_form(card_keys, mat.scale.point_keys)
    if not form.validate():
        return _mat_page(session, mat, form=form, status=400)
    for card_key, point_key in form.chosen().items():
        if f"{FIELD_PREFIX}{card_key}" in request.form:  # a card left alone keeps its place
            mats.place(session, mat, card_key, point_key)
    return redirect(url_for("mats.check", session_id=session.id))


@bp.post("/session/<int:session_id>/place")
@allow(Role.PERSON)
def place(session_id: int):
    """One move, saved at once (mat.js). JSON: {"card": key, "point": key or null}."""
    session, mat = _open_session_or_refuse(session_id, as_json=True)
    data = request.get_json(silent=True)
    if not isinstance(data, dict) or not isinstance(data.get("card"), str):
        return _json_refusal(MAT_CARD_NOT_HERE)
    point = data.get("point")
    if point is not None and not isinstance(point, str):
        return _json_refusal(MAT_POINT_NOT_HERE)
    try:
        placement = mats.place(session, mat, data["card"], point or None)
    except mats.NotOnThisMat:
        return _json_refusal(MAT_CARD_NOT_HERE)
    except mats.NotOnThisScale:
        return _json_refusal(MAT_POINT_NOT_HERE)
    except Exception:
        db.session.rollback()
        return _json_refusal(MAT_NOT_SAVED, 500)
    return jsonify(saved=True, card=placement.card_key, point=point or None,
                   status=placement.status, score=placement.score)


@bp.post("/session/<int:session_id>/own-card")
@allow(Role.PERSON)
def own_card(session_id: int):
    """ "Something else": the person's own words become a card on this mat."""
    session, mat = _open_session_or_refuse(session_id)
    form = OwnCardForm()
    if not form.validate():
        return _mat_page(session, mat, own_form=form, status=400)
    try:
        placement = mats.add_own_card(session, mat, form.words.data)
    except mats.TooManyOwnCards:
        form.words.errors = [str(MAT_OWN_CARD_TOO_MANY)]
        return _mat_page(session, mat, own_form=form, status=400)
    flash(str(MAT_OWN_CARD_ADDED))
    return redirect(url_for("mats.mat", mat_key=mat.key) + f"#place-{placement.card_key}")


# --- Is this right? Then save ---------------------------------------------------------------


@bp.get("/session/<int:session_id>/check")
@allow(Role.PERSON)
def check(session_id: int):
    session, mat = _session_or_404(session_id)
    if session.finished_at is not None:
        return redirect(url_for("mats.saved", session_id=session.id))
    return _check_page(session, mat)


def _check_page(session, mat, error=None, status: int = 200):
    board = mats.board(session, mat, current_locale())
    form = SaveForm()
    if error:
        form.form_errors.append(error)
    return render_template("mats/check.html", mat=mat, session=session, board=board,
                           form=form), status


@bp.post("/session/<int:session_id>/save")
@allow(Role.PERSON)
def save(session_id: int):
    session, mat = _session_or_404(session_id)
    if session.finished_at is not None:  # "Yes, save it" pressed twice: saved once
        return redirect(url_for("mats.saved", session_id=session.id))
    form = SaveForm()
    if not form.validate():
        return _check_page(session, mat, status=400)
    if mats.board(session, mat, current_locale()).placed_count == 0:
        return _check_page(session, mat, error=str(MAT_NOTHING_PLACED), status=400)
    mats.finish(session, mat)
    _ensure_picture(session, mat)
    return redirect(url_for("mats.saved", session_id=session.id))


def _ensure_picture(session, mat) -> bool:
    """Draw the saved mat when its picture is missing. The mat itself is saved already, so a
    failure here loses nothing: it is logged and tried again on the next view."""
    if picture_file(session) is not None:
        return True
    try:
        save_picture(session, mat, mats.board(session, mat, session.language))
        db.session.commit()
    except Exception:
        db.session.rollback()
        current_app.logger.exception("Could not draw the picture of mat session %s", session.id)
        return False
    return True


# --- The saved mat, as a picture and as words ---------------------------------------------


@bp.get("/saved/<int:session_id>")
@allow(Role.PERSON)
def saved(session_id: int):
    session, mat = _session_or_404(session_id)
    if session.finished_at is None:
        return redirect(url_for("mats.mat", mat_key=mat.key))
    has_picture = _ensure_picture(session, mat)
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
    if not _ensure_picture(session, mat):
        abort(404)
    name = f"{mat.key}-{session.finished_at:%Y-%m-%d}.png"
    return send_file(picture_file(session), mimetype="image/png", max_age=0,
                     as_attachment=request.args.get("download") == "1", download_name=name)


# --- Over time: the earlier mat of the same topic against the latest --------------------------


@bp.get("/<mat_key>/over-time")
@allow(Role.PERSON)
def over_time(mat_key: str):
    mat = _mat_or_404(mat_key)
    person = _own_person()
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
