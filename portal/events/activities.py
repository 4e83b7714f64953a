"""A participant's menu ("What would you like to do?") and their mats and ratings.

The mat and rating screens are the signed-in person's own (portal/answering/mats/screens.py,
portal/answering/ratings/screens.py) with the participant as the owner (owner.py): here they
are registered once each, saying who may use them (anyone: the participant's token in the
browser session is checked when the owner is found) and where they live.
"""

from __future__ import annotations

from flask import redirect, render_template, url_for

from portal.answering.mats.screens import register_mat_screens
from portal.answering.ratings import store as rating_store
from portal.answering.ratings.screens import register_rating_screens
from portal.content.scales import load_mat
from portal.conversations import store as conversation_store
from portal.core.access import public
from portal.events import bp, store
from portal.events.owner import MAT_NAMES, RATING_NAMES, current_participant, participant_owner


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


# --- Mats and outcome ratings: the shared screens ----------------------------------------

register_mat_screens(bp, participant_owner, public, prefix="/join/mats", names=MAT_NAMES)
register_rating_screens(bp, participant_owner, public, prefix="/join/how-true",
                        names=RATING_NAMES)
