"""A participant's menu ("What would you like to do?") and their mats and ratings.

The mat and rating screens are the signed-in person's own (portal/answering/mats/views.py,
portal/answering/ratings/views.py) with the participant as the owner: the routes here only say who
may use them (anyone with a participant's token) and resolve the owner.
"""

from __future__ import annotations

from flask import redirect, render_template, url_for

from portal.answering.mats import views as mat_views
from portal.answering.ratings import store as rating_store
from portal.answering.ratings import views as rating_views
from portal.content.scales import load_mat
from portal.conversations import store as conversation_store
from portal.core.access import public
from portal.events import bp, store
from portal.events.owner import current_participant, participant_owner


@bp.get("/join/menu")
@public
def menu():
    participant = current_participant()
    event = participant.event
    if not event.has_activities:  # only the conversation: straight to it
        return redirect(url_for(".answer_start", conversation_id=participant.conversation_id))
    conversation = conversation_store.conversation_item(event.conversation_key)
    mats = [mat for mat in (load_mat(key) for key in event.mats) if mat is not None]
    ratings = rating_store.find_participant_session(participant.id) if event.use_ratings else None
    return render_template(
        "events/menu.html", event=event, participant=participant, conversation=conversation,
        conversation_done=participant.conversation is not None
        and participant.conversation.finished_at is not None,
        mats=mats, mats_done=store.finished_mats(participant),
        ratings_done=ratings is not None and ratings.finished_at is not None,
    )


# --- Mats ----------------------------------------------------------------------------------


@bp.get("/join/mats/<mat_key>")
@public
def mat(mat_key: str):
    return mat_views.mat(participant_owner(), mat_key)


@bp.post("/join/mats/<mat_key>/start")
@public
def mat_start(mat_key: str):
    return mat_views.start(participant_owner(), mat_key)


@bp.post("/join/mats/session/<int:session_id>/answers")
@public
def mat_answers(session_id: int):
    return mat_views.answers(participant_owner(), session_id)


@bp.post("/join/mats/session/<int:session_id>/place")
@public
def mat_place(session_id: int):
    return mat_views.place(participant_owner(as_json=True), session_id)


@bp.post("/join/mats/session/<int:session_id>/own-card")
@public
def mat_own_card(session_id: int):
    return mat_views.own_card(participant_owner(), session_id)


@bp.get("/join/mats/session/<int:session_id>/check")
@public
def mat_check(session_id: int):
    return mat_views.check(participant_owner(), session_id)


@bp.post("/join/mats/session/<int:session_id>/save")
@public
def mat_save(session_id: int):
    return mat_views.save(participant_owner(), session_id)


# --- Outcome ratings -------------------------------------------------------------------------


@bp.route("/join/how-true/<int:number>", methods=["GET", "POST"])
@public
def rating(number: int):
    return rating_views.statement(participant_owner(), number)


@bp.get("/join/how-true/check")
@public
def rating_check():
    return rating_views.check(participant_owner())


@bp.post("/join/how-true/save")
@public
def rating_save():
    return rating_views.save(participant_owner())
