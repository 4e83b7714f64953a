"""The mat screens, shared by every owner (a signed-in person, an event participant).

Each function is the body of a route; `register_mat_screens` puts them on a blueprint for
one kind of owner (portal/answering/owners.py), so the same checks, stores and templates
serve both. Another owner's session, or one that does not exist, is "not found" and nothing
is stored.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request

from portal.answering.mats import store as mats
from portal.answering.mats.forms import FIELD_PREFIX, OwnCardForm, SaveForm, placements_form
from portal.answering.mats.picture import picture_file, save_picture
from portal.answering.owners import MatOwner
from portal.answering.screens import Screen, register
from portal.content.scales import load_mat
from portal.core.errors import json_refusal, refusal
from portal.core.extensions import db
from portal.core.messages import (
    MAT_CARD_NOT_HERE,
    MAT_NOT_SAVED,
    MAT_NOTHING_PLACED,
    MAT_OWN_CARD_ADDED,
    MAT_OWN_CARD_TOO_MANY,
    MAT_POINT_NOT_HERE,
    MAT_SAVED_ALREADY,
)
from portal.core.templating import current_locale


def mat_or_404(key: str, owner: MatOwner | None = None):
    mat = load_mat(key)
    if mat is None or (owner is not None and not owner.may_use_mat(key)):
        abort(404)
    return mat


def session_or_404(owner: MatOwner, session_id: int):
    """One of this owner's own mat sessions; anyone else's is "not found"."""
    session = owner.mat_session(session_id)
    if session is None:
        abort(404)
    return session, mat_or_404(session.mat_key, owner)


def _open_session_or_refuse(owner: MatOwner, session_id: int, as_json: bool = False):
    session, mat = session_or_404(owner, session_id)
    if session.finished_at is not None:
        if as_json:
            abort(json_refusal(MAT_SAVED_ALREADY, 409))
        abort(refusal(MAT_SAVED_ALREADY, owner.mat_url("index"), 409))
    return session, mat


# --- The mat ----------------------------------------------------------------------------------


def mat(owner: MatOwner, mat_key: str):
    """The mat when it is open already, else a "Start" button. A GET only looks: a crawler
    or a browser's prefetch must not leave unfinished mats behind."""
    found = mat_or_404(mat_key, owner)
    session = owner.find_mat_session(found)
    if session is None:
        return _start_page(owner, found)
    if session.finished_at is not None:  # an event asks for each mat once
        return redirect(owner.after_mat_saved(session))
    return mat_page(owner, session, found)


def start(owner: MatOwner, mat_key: str):
    """ "Start": opens the session (pressed twice, still one: its open key is unique)."""
    found = mat_or_404(mat_key, owner)
    form = SaveForm()
    if not form.validate():  # an old form token: asked again, nothing stored
        return _start_page(owner, found, form, 400)
    owner.open_mat_session(found, current_locale())
    return redirect(owner.mat_url("mat", mat_key=found.key))


def _start_page(owner: MatOwner, mat, form=None, status: int = 200):
    return render_template(owner.template("mats/start.html"), owner=owner, mat=mat,
                           form=form or SaveForm(formdata=None)), status


def mat_page(owner: MatOwner, session, mat, form=None, own_form=None, status: int = 200):
    own_form = own_form or OwnCardForm(formdata=None)
    board = mats.board(session, mat, current_locale())
    if form is None:
        form = placements_form(
            [c.key for c in board.cards], mat.scale.point_keys,
            formdata=None,
            data={f"{FIELD_PREFIX}{k}": (v or "not-now") for k, v in board.placements.items()},
        )
    return render_template(
        owner.template("mats/mat.html"), owner=owner, mat=mat, session=session, board=board,
        own_form=own_form, form=form if form.errors or not own_form.errors else own_form,
        mat_form=form, field_prefix=FIELD_PREFIX, msg_failed=str(MAT_NOT_SAVED),
    ), status


def answers(owner: MatOwner, session_id: int):
    """The mat without JavaScript: every card's place in one form."""
    session, mat = _open_session_or_refuse(owner, session_id)
    board = mats.board(session, mat, current_locale())
    card_keys = [c.key for c in board.cards]
    posted = {name.removeprefix(FIELD_PREFIX) for name in request.form
              if name.startswith(FIELD_PREFIX)}
    if posted - set(card_keys):
        return refusal(MAT_CARD_NOT_HERE, owner.mat_url("mat", mat_key=mat.key))
    form = placements_form(card_keys, mat.scale.point_keys)
    if not form.validate():
        return mat_page(owner, session, mat, form=form, status=400)
    for card_key, point_key in form.chosen().items():
        if f"{FIELD_PREFIX}{card_key}" in request.form:  # a card left alone keeps its place
            mats.place(session, mat, card_key, point_key)
    return redirect(owner.mat_url("check", session_id=session.id))


def place(owner: MatOwner, session_id: int):
    """One move, saved at once (mat.js). JSON: {"card": key, "point": key or null}."""
    session, mat = _open_session_or_refuse(owner, session_id, as_json=True)
    data = request.get_json(silent=True)
    if not isinstance(data, dict) or not isinstance(data.get("card"), str):
        return json_refusal(MAT_CARD_NOT_HERE)
    point = data.get("point")
    if point is not None and not isinstance(point, str):
        return json_refusal(MAT_POINT_NOT_HERE)
    try:
        placement = mats.place(session, mat, data["card"], point or None)
    except mats.NotOnThisMat:
        return json_refusal(MAT_CARD_NOT_HERE)
    except mats.NotOnThisScale:
        return json_refusal(MAT_POINT_NOT_HERE)
    except Exception:
        db.session.rollback()
        return json_refusal(MAT_NOT_SAVED, 500)
    return jsonify(saved=True, card=placement.card_key, point=point or None,
                   status=placement.status, score=placement.score)


def own_card(owner: MatOwner, session_id: int):
    """ "Something else": the person's own words become a card on this mat."""
    session, mat = _open_session_or_refuse(owner, session_id)
    form = OwnCardForm()
    if not form.validate():
        return mat_page(owner, session, mat, own_form=form, status=400)
    try:
        placement = mats.add_own_card(session, mat, form.words.data)
    except mats.TooManyOwnCards:
        form.words.errors = [str(MAT_OWN_CARD_TOO_MANY)]
        return mat_page(owner, session, mat, own_form=form, status=400)
    flash(str(MAT_OWN_CARD_ADDED))
    return redirect(owner.mat_url("mat", mat_key=mat.key) + f"#place-{placement.card_key}")


# --- Is this right? Then save ---------------------------------------------------------------


def check(owner: MatOwner, session_id: int):
    session, mat = session_or_404(owner, session_id)
    if session.finished_at is not None:
        return redirect(owner.after_mat_saved(session))
    return _check_page(owner, session, mat)


def _check_page(owner: MatOwner, session, mat, error=None, status: int = 200):
    board = mats.board(session, mat, current_locale())
    form = SaveForm()
    if error:
        form.form_errors.append(error)
    return render_template(owner.template("mats/check.html"), owner=owner, mat=mat,
                           session=session, board=board, form=form), status


def save(owner: MatOwner, session_id: int):
    session, mat = session_or_404(owner, session_id)
    if session.finished_at is not None:  # "Yes, save it" pressed twice: saved once
        return redirect(owner.after_mat_saved(session))
    form = SaveForm()
    if not form.validate():
        return _check_page(owner, session, mat, status=400)
    if mats.board(session, mat, current_locale()).placed_count == 0:
        return _check_page(owner, session, mat, error=str(MAT_NOTHING_PLACED), status=400)
    mats.finish(session, mat)
    if session.person_id is not None:  # a person keeps a picture of their mat
        ensure_picture(session, mat)
    return redirect(owner.after_mat_saved(session))


def ensure_picture(session, mat) -> bool:
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


# The screens every mat owner has, by the name the owners' mat_url uses. The person's own
# list, saved mats and pictures are theirs alone (mats/routes.py); a participant's way back
# is the event's menu.
MAT_SCREENS = {
    "mat": Screen("/<mat_key>", ("GET",), mat, takes=("mat_key",)),
    "start": Screen("/<mat_key>/start", ("POST",), start, takes=("mat_key",)),
    "answers": Screen("/session/<int:session_id>/answers", ("POST",), answers,
                      takes=("session_id",)),
    "place": Screen("/session/<int:session_id>/place", ("POST",), place,
                    takes=("session_id",), json=True),
    "own_card": Screen("/session/<int:session_id>/own-card", ("POST",), own_card,
                       takes=("session_id",)),
    "check": Screen("/session/<int:session_id>/check", ("GET",), check, takes=("session_id",)),
    "save": Screen("/session/<int:session_id>/save", ("POST",), save, takes=("session_id",)),
}


def register_mat_screens(bp: Blueprint, resolve_owner: Callable[..., MatOwner],
                         access: Callable, prefix: str = "",
                         names: Mapping[str, str] | None = None) -> None:
    """The mat screens on `bp` under `prefix`, for the owner `resolve_owner(as_json=...)`
    finds on each request (see portal/answering/screens.py)."""
    register(bp, MAT_SCREENS, "mats", resolve_owner, access, prefix, names)
