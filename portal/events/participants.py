"""A participant's screens: join with a code, choose a language, agree, answer, finish.

No account and no name. The browser session holds a random token (`PARTICIPANT`); the
database keeps only its hash. Every answer screen checks that the conversation in the
address is the one this session's token owns: anything else is "not found" and nothing
is stored. "I've finished" (or the tablet's idle reset) clears the session, so the next
person at a shared tablet can reach nothing of the last one's, not even with Back (pages
are sent with Cache-Control: no-store, portal/core/security.py).
"""

from __future__ import annotations

from flask import abort, jsonify, redirect, render_template, request, session, url_for

from portal.conversations import flow, screens
from portal.conversations import store as conversation_store
from portal.conversations.forms import AnswerForm, ShareForm
from portal.core.access import public
from portal.core.extensions import db
from portal.core.messages import EVENT_CODE_WRONG
from portal.core.templating import current_locale
from portal.events import bp, codes, store
from portal.events.forms import AgreeForm, JoinForm
from portal.events.owner import PARTICIPANT
from portal.models import Event, EventParticipant

# --- Finding the event -----------------------------------------------------------------------


def _event_or_kind_404(code: str) -> Event:
    event = store.event_by_code(code)
    if event is None:
        abort(404)
    return event


def _closed(event: Event):
    return render_template("events/closed.html", event=event), 410


@bp.route("/join", methods=["GET", "POST"])
@public
def join():
    form = JoinForm()
    if form.validate_on_submit():
        event = store.event_by_code(form.code.data)
        if event is None:
            form.code.errors = [str(EVENT_CODE_WRONG)]
        elif not event.is_open:
            return _closed(event)
        else:
            return redirect(url_for(".join_code", code=event.join_code))
    return render_template("events/join.html", form=form), (400 if form.errors else 200)


@bp.get("/join/<code>")
@public
def join_code(code: str):
    """The QR code's address: choose Cymraeg or English (both offered as equals)."""
    event = store.event_by_code(code)
    if event is None:
        form = JoinForm(formdata=None, code=code[:20])
        form.code.errors = [str(EVENT_CODE_WRONG)]
        return render_template("events/join.html", form=form), 404
    if not event.is_open:
        return _closed(event)
    if event.join_code != code:  # typed in small letters or with a space: tidy the address
        return redirect(url_for(".join_code", code=event.join_code))
    return render_template("events/choose_language.html", event=event)


@bp.route("/join/<code>/agree", methods=["GET", "POST"])
@public
def agree(code: str):
    event = _event_or_kind_404(code)
    if not event.is_open:
        return _closed(event)
    form = AgreeForm()
    if form.validate_on_submit():
        session.clear()  # nothing of anyone before on this tablet
        participant, token = store.join(
            event, language=current_locale(), age_band=form.age_band.data or None
        )
        db.session.commit()
        session[PARTICIPANT] = token
        if event.has_activities:  # the conversation, mats, ratings: the person chooses
            return redirect(url_for(".menu"))
        return redirect(url_for(".answer_start", conversation_id=participant.conversation_id))
    return render_template("events/agree.html", form=form, event=event), (
        400 if form.errors else 200
    )


# --- Whose conversation this is ----------------------------------------------------------------


def _participant_or_404(conversation_id: int) -> EventParticipant:
    """This session's participant, if the conversation in the address is theirs."""
    participant = store.participant_by_token(session.get(PARTICIPANT))
    if (
        participant is None
        or participant.conversation_id != conversation_id
        or participant.finished_at is not None
    ):
        abort(404)
    return participant


def _reset_tablet(participant: EventParticipant) -> str:
    """Finish this person's go and forget them on this tablet; the thanks page's address."""
    store.finish_participant(participant)
    db.session.commit()
    session.clear()
    return url_for(".thanks", code=participant.event.join_code)


@bp.get("/join/answer/<int:conversation_id>/")
@public
def answer_start(conversation_id: int):
    participant = _participant_or_404(conversation_id)
    if not participant.event.is_open:
        return _closed(participant.event)
    conversation = participant.conversation
    questions = conversation_store.questions_for(conversation.conversation_key)
    key = flow.resume_key(questions, conversation.current_position)
    if key is None:
        abort(404)
    return redirect(url_for(".answer", conversation_id=conversation_id, question_key=key))


@bp.route("/join/answer/<int:conversation_id>/q/<question_key>", methods=["GET", "POST"])
@public
def answer(conversation_id: int, question_key: str):
    """The same question screen as everyone's; "Stop" is "I've finished" here."""
    participant = _participant_or_404(conversation_id)
    event = participant.event
    if not event.is_open:
        return _closed(event)
    conversation = participant.conversation
    items = conversation_store.question_items()
    questions = conversation_store.questions_for(conversation.conversation_key)
    asked = flow.find(questions, question_key)
    if asked is None:
        abort(404)
    form = AnswerForm()
    form.cards.choices = [(card, card) for card in asked.cards]
    if request.method == "POST" and form.validate_on_submit():
        submission = screens.submission_from(request.form.get("action"), form)
        decision = flow.decide(asked, submission)
        if decision.problems:
            screens.show_problems(form, decision.problems)
        else:
            if decision.stores:
                conversation_store.save_answer(
                    conversation, asked, decision,
                    item_id=conversation_store.shown_item_id(asked, form.shown_item.data),
                    typed_by_user_id=None, typed_for_person=False,
                )
            conversation.current_position = asked.key
            # One write a tap: where to go next is settled before the single commit (two
            # commits doubled the waits for SQLite's write lock when a room answers at once).
            where = _after(participant, questions, asked, submission.action)
            db.session.commit()
            return redirect(where)
    elif request.method == "GET":
        given = conversation_store.shown_answer(conversation.id, asked.key)
        screens.fill_from_answer(form, given)
    return render_template(
        "events/answer.html",
        form=form,
        event=event,
        **screens.question_context(conversation, questions, asked, items),
        someone_there=False,
        notice=None,
        stop_label=_stop_label(event),
        group_url=(url_for(".group_follow", conversation_id=conversation_id)
                   if event.group_question_key else None),
        group_json_url=url_for(".group_json", conversation_id=conversation_id),
    ), (400 if form.errors else 200)


def _stop_label(event: Event) -> str:
    from flask_babel import gettext as _

    return _("Choose something else") if event.has_activities else _("I've finished")


def _after(participant, questions, asked, action: str) -> str:
    conversation_id = participant.conversation_id
    if action == flow.STOP:
        if participant.event.has_activities:  # back to the menu; "I've finished" is there
            return url_for(".menu")
        return _reset_tablet(participant)
    where, key = flow.destination(questions, asked.key, action)
    if where == flow.TO_QUESTION:
        participant.conversation.current_position = key  # where a resume opens
        return url_for(".answer", conversation_id=conversation_id, question_key=key)
    if where == flow.TO_FINISH:
        return url_for(".share", conversation_id=conversation_id)
    return url_for(".answer", conversation_id=conversation_id, question_key=asked.key)


@bp.route("/join/answer/<int:conversation_id>/share", methods=["GET", "POST"])
@public
def share(conversation_id: int):
    """The last screen: may we quote your words (without your name)? Then thanks."""
    participant = _participant_or_404(conversation_id)
    if not participant.event.is_open:
        return _closed(participant.event)
    conversation = participant.conversation
    form = ShareForm()
    if request.method == "GET":
        form.share.data = "yes" if conversation.share_words else "no"
    elif form.validate_on_submit():
        conversation_store.set_sharing(conversation, form.share.data == "yes")
        if participant.event.has_activities:  # the conversation is done: choose what next
            conversation_store.finish(conversation)
            db.session.commit()
            return redirect(url_for(".menu"))
        return redirect(_reset_tablet(participant))
    return render_template(
        "events/share.html", form=form, conversation=conversation, event=participant.event
    ), (400 if form.errors else 200)


@bp.post("/join/<code>/reset")
@public
def reset(code: str):
    """The tablet's idle reset (the facilitator's choice): as if "I've finished" was pressed."""
    event = _event_or_kind_404(code)
    participant = store.participant_by_token(session.get(PARTICIPANT))
    if participant is not None and participant.event_id == event.id:
        return redirect(_reset_tablet(participant))
    session.clear()
    return redirect(url_for(".join_code", code=event.join_code))


@bp.get("/join/<code>/thanks")
@public
def thanks(code: str):
    event = _event_or_kind_404(code)
    return render_template("events/thanks.html", event=event,
                           spaced_code=codes.spaced(event.join_code))


# --- Group mode: the tablets follow the question on the big screen ---------------------------


def _group_question(participant: EventParticipant) -> str | None:
    """The address of the question on the big screen, or None when group mode is off."""
    key = participant.event.group_question_key
    if key is None:
        return None
    return url_for(".answer", conversation_id=participant.conversation_id, question_key=key)


@bp.get("/join/answer/<int:conversation_id>/group")
@public
def group_follow(conversation_id: int):
    """ "Go to the question on the screen": a plain link, so it works without a script."""
    participant = _participant_or_404(conversation_id)
    if not participant.event.is_open:
        return _closed(participant.event)
    where = _group_question(participant)
    return redirect(where or url_for(".answer_start", conversation_id=conversation_id))


@bp.get("/join/answer/<int:conversation_id>/group.json")
@public
def group_json(conversation_id: int):
    """What events.js asks every few seconds: which question the big screen shows."""
    participant = _participant_or_404(conversation_id)
    key = participant.event.group_question_key if participant.event.is_open else None
    return jsonify(question=key, url=_group_question(participant) if key else None,
                   open=participant.event.is_open)
