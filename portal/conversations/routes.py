"""The person's screens: their conversations, who is there, one question a screen, sharing."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_login import current_user

from portal.conversations import bp, flow, guards, screens, store
from portal.conversations.forms import AnswerForm, ShareForm, WhoForm
from portal.conversations.pending import keep_posted_answer, take_pending
from portal.core.access import allow, keeps_signed_out_post
from portal.core.extensions import db
from portal.core.identity import own_person
from portal.core.messages import CONVERSATION_KEPT, CONVERSATION_KEPT_AND_SAVED
from portal.core.templating import current_locale
from portal.models import Mode, Role

JUST_ME = "alone"


@bp.get("/")
@allow(Role.PERSON)
def index():
    person = own_person()
    return render_template("conversations/index.html", person=person,
                           cards=screens.conversation_cards(person.id))


@bp.post("/start/<conversation_key>")
@allow(Role.PERSON)
def start(conversation_key: str):
    person = own_person()
    if store.conversation_item(conversation_key) is None:
        return screens.not_found()
    conversation, is_new = store.start_or_resume(
        person.id, conversation_key, started_by_id=current_user.id, language=current_locale()
    )
    # The address first: after the commit, reading the id would load the row again.
    where = url_for(".who" if is_new else ".resume", conversation_id=conversation.id)
    db.session.commit()
    return redirect(where)


@bp.route("/<int:conversation_id>/who", methods=["GET", "POST"])
@allow(Role.PERSON)
def who(conversation_id: int):
    conversation = guards.conversation_or_404(conversation_id)
    members = screens.circle_with_accounts(conversation.person)
    form = WhoForm()
    form.who.choices = [(JUST_ME, "")] + [(f"member-{m.id}", "") for m in members]
    if request.method == "GET":
        chosen = next((m for m in members if m.user_id == conversation.companion_user_id), None)
        form.who.data = f"member-{chosen.id}" if chosen else JUST_ME
    elif form.validate_on_submit():
        member = next((m for m in members if f"member-{m.id}" == form.who.data), None)
        if member is None:
            store.set_companion(conversation, Mode.ALONE, None)
        else:
            store.set_companion(conversation, screens.mode_for(member.relation), member.user_id)
        where = url_for(".resume", conversation_id=conversation.id)
        db.session.commit()
        return redirect(where)
    return render_template(
        "conversations/who.html", form=form, conversation=conversation,
        options=screens.who_options(members),
    ), (400 if form.errors else 200)


@bp.get("/<int:conversation_id>/")
@allow(Role.PERSON, Role.PRACTITIONER)
def resume(conversation_id: int):
    """Coming back, on any device: the question where the person stopped."""
    conversation = guards.conversation_or_404(conversation_id)
    if conversation.is_finished:
        return redirect(url_for(".summary", conversation_id=conversation.id))
    questions = store.questions_for(conversation.conversation_key)
    key = flow.resume_key(questions, conversation.current_position)
    if key is None:
        return screens.not_found()
    return redirect(url_for(".question", conversation_id=conversation.id, question_key=key))


@bp.route("/<int:conversation_id>/q/<question_key>", methods=["GET", "POST"])
@allow(Role.PERSON, Role.PRACTITIONER)
@keeps_signed_out_post(keep_posted_answer)
def question(conversation_id: int, question_key: str):
    conversation = guards.conversation_or_404(conversation_id)
    items = store.question_items()
    questions = store.questions_for(conversation.conversation_key)
    asked = flow.find(questions, question_key)
    if asked is None:  # unknown, or a question of the other conversation
        return screens.not_here(conversation)
    form = AnswerForm()
    form.cards.choices = [(card, card) for card in asked.cards]
    notice = None
    if request.method == "POST":
        if form.validate_on_submit():  # only an old form token can fail here
            submission = screens.submission_from(request.form.get("action"), form)
            if not _store(conversation, asked, submission, form).problems:
                # The answer and where the person is now: one commit.
                where = _after(conversation, questions, asked, submission.action)
                db.session.commit()
                return redirect(where)
    elif (pending := take_pending(conversation.id, asked.key)) is not None:
        # Typed before the session expired: store it now, on this same question.
        screens.fill_from_pending(form, pending)
        submission = screens.submission_from(pending.get("action"), form)
        decision = _store(conversation, asked, submission, form)
        if decision.problems:
            notice = CONVERSATION_KEPT
        else:
            db.session.commit()
            if decision.stores:
                notice = CONVERSATION_KEPT_AND_SAVED
    else:
        screens.fill_from_answer(form, store.shown_answer(conversation.id, asked.key))
        form.typed_for_person.data = form.typed_for_person.data or (
            guards.is_practitioner() and not form.words.data
        )
    return render_template(
        "conversations/question.html",
        form=form,
        **screens.question_context(conversation, questions, asked, items),
        someone_there=conversation.mode != Mode.ALONE or guards.is_practitioner(),
        notice=notice,
    ), (400 if form.errors else 200)


def _store(conversation, asked, submission, form) -> flow.Decision:
    """Store what the press gives, if anything (the caller commits); on a problem store
    nothing and say why."""
    decision = flow.decide(asked, submission)
    if decision.problems:
        screens.show_problems(form, decision.problems)
        return decision
    if decision.stores:
        store.save_answer(
            conversation,
            asked,
            decision,
            item_id=store.shown_item_id(asked, form.shown_item.data),
            typed_by_user_id=flow.who_typed(
                current_user.id,
                conversation.person.user_id,
                conversation.companion_user_id,
                submission.typed_for_person,
            ),
            typed_for_person=submission.typed_for_person,
        )
    conversation.current_position = asked.key
    return decision


def _after(conversation, questions, asked, action: str) -> str:
    """Where the press leads, with the conversation moved there (the caller commits)."""
    where, key = flow.destination(questions, asked.key, action)
    if conversation.is_finished and where in (flow.TO_QUESTION, flow.TO_FINISH) \
            and action != flow.BACK:
        # A change made from the summary: back to the summary to see it.
        return url_for(".summary", conversation_id=conversation.id)
    if where == flow.TO_QUESTION:
        conversation.current_position = key
        return url_for(".question", conversation_id=conversation.id, question_key=key)
    if where == flow.TO_FINISH:
        store.finish(conversation)
        return url_for(".share", conversation_id=conversation.id)
    if where == flow.TO_START:
        return screens.start_url(conversation)
    return screens.home_url(conversation, stopped=True)


@bp.route("/<int:conversation_id>/share", methods=["GET", "POST"])
@allow(Role.PERSON, Role.PRACTITIONER)
def share(conversation_id: int):
    conversation = guards.conversation_or_404(conversation_id)
    form = ShareForm()
    if request.method == "GET":
        form.share.data = "yes" if conversation.share_words else "no"
    elif form.validate_on_submit():
        store.set_sharing(conversation, form.share.data == "yes")
        db.session.commit()
        return redirect(url_for(".summary", conversation_id=conversation.id, saved="choice"))
    return render_template(
        "conversations/share.html", form=form, conversation=conversation
    ), (400 if form.errors else 200)
