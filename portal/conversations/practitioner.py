"""The practitioner's screens: a person's conversations, holding one with them, tagging
typed words with themes. Only a professional in the person's circle may; anyone else gets
"not found"."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_login import current_user

from portal.conversations import bp, flow, guards, screens, store
from portal.conversations.forms import TagForm
from portal.conversations.summary import summary_rows
from portal.core.access import allow
from portal.core.extensions import db
from portal.core.messages import CONVERSATION_STOPPED, CONVERSATION_TAGS_SAVED
from portal.core.templating import current_locale
from portal.handover.messages import TAKEN_BACK
from portal.models import Mode, Role
from portal.people.messages import PERSON_ADDED, PERSON_SAVED


@bp.get("/people/<int:person_id>")
@allow(Role.PRACTITIONER)
def person_page(person_id: int):
    person = guards.person_for_practitioner_or_404(person_id)
    conversations = store.conversations_of(person.id)
    titles = {flow.short_key(i.key): i for i in store.conversation_items()}
    notice = None
    if request.args.get("stopped") == "1":
        notice = CONVERSATION_STOPPED
    elif request.args.get("tagged") == "1":
        notice = CONVERSATION_TAGS_SAVED
    elif request.args.get("added") == "1":
        notice = PERSON_ADDED
    elif request.args.get("saved") == "1":
        notice = PERSON_SAVED
    elif request.args.get("back") == "1":
        notice = TAKEN_BACK
    return render_template(
        "conversations/person.html",
        person=person,
        cards=screens.conversation_cards(person.id),
        conversations=[(c, titles.get(c.conversation_key), summary_rows(c)) for c in conversations],
        mode_label=screens.mode_label,
        notice=notice,
    )


@bp.post("/people/<int:person_id>/start/<conversation_key>")
@allow(Role.PRACTITIONER)
def start_with(person_id: int, conversation_key: str):
    """Hold a conversation with the person: the practitioner is there and types for them."""
    person = guards.person_for_practitioner_or_404(person_id)
    if store.conversation_item(conversation_key) is None:
        return screens.not_found()
    conversation, _is_new = store.start_or_resume(
        person.id,
        conversation_key,
        started_by_id=current_user.id,
        language=current_locale(),
        mode=Mode.WITH_PRACTITIONER,
        companion_user_id=current_user.id,
    )
    store.set_companion(conversation, Mode.WITH_PRACTITIONER, current_user.id)
    db.session.commit()
    return redirect(url_for(".resume", conversation_id=conversation.id))


@bp.route("/<int:conversation_id>/tag/<question_key>", methods=["GET", "POST"])
@allow(Role.PRACTITIONER)
def tag(conversation_id: int, question_key: str):
    conversation = guards.conversation_or_404(conversation_id)
    answer = store.answer_to(conversation, question_key)
    if answer is None or not answer.text:
        return screens.not_found()  # only typed words are tagged
    themes = store.theme_items()
    locale = current_locale()
    form = TagForm()
    form.themes.choices = [(key, item.words(locale)) for key, item in themes.items()]
    if request.method == "GET":
        form.themes.data = answer.theme_keys("tag")
    elif form.validate_on_submit():
        store.set_tags(answer, form.themes.data or [], current_user.id)
        db.session.commit()
        return redirect(url_for(".person_page", person_id=conversation.person_id, tagged="1"))
    return render_template(
        "conversations/tag.html",
        form=form,
        conversation=conversation,
        answer=answer,
        options=[(key, item.words(locale), item) for key, item in themes.items()],
        cards=[themes[k] for k in answer.theme_keys("card") if k in themes],
    ), (400 if form.errors else 200)
