"""The facilitator's screens: set up an event, invite people, watch it live, show the
question on a big screen, close it. A facilitator sees only their own events: anyone
else's is "not found"."""

from __future__ import annotations

import io

from flask import Response, abort, jsonify, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from portal.access import allow
from portal.conversations import flow, screens
from portal.conversations import store as conversation_store
from portal.events import bp, codes, store
from portal.events.forms import EventForm
from portal.extensions import db
from portal.i18n import LANGUAGES
from portal.messages import EVENT_CLOSED_NOW, EVENT_CREATED
from portal.models import Event, Role
from portal.templating import current_locale

# How often the live view asks for new counts (its page works without, with a link).
LIVE_POLL_SECONDS = 4


def own_event_or_404(event_id: int) -> Event:
    event = db.session.get(Event, event_id)
    if event is None or event.facilitator_id != current_user.id:
        abort(404)
    return event


def join_url(event: Event) -> str:
    return url_for("events.join_code", code=event.join_code, _external=True)


@bp.get("/facilitator/events/")
@allow(Role.FACILITATOR)
def index():
    return render_template("events/index.html", events=store.events_of(current_user.id))


@bp.route("/facilitator/events/new", methods=["GET", "POST"])
@allow(Role.FACILITATOR)
def new():
    form = EventForm()
    locale = current_locale()
    form.area.choices = [(str(la.id), la.name(locale)) for la in store.local_authorities()]
    form.conversation.choices = [
        (flow.short_key(item.key), item.words(locale))
        for item in conversation_store.conversation_items()
    ]
    if request.method == "GET" and form.conversation.choices:
        form.conversation.data = form.conversation.choices[0][0]
    if form.validate_on_submit():
        event = store.create_event(
            facilitator_id=current_user.id,
            title_en=form.title_en.data,
            title_cy=form.title_cy.data,
            description_en=form.description_en.data or "",
            description_cy=form.description_cy.data or "",
            event_date=form.event_date.data,
            venue=form.venue.data,
            local_authority_id=int(form.area.data),
            conversation_key=form.conversation.data,
            use_ratings=bool(form.use_ratings.data),
            reset_minutes=int(form.reset_minutes.data) if form.reset_minutes.data else None,
        )
        db.session.commit()
        return redirect(url_for(".event", event_id=event.id, created=1))
    options = [(flow.short_key(item.key), item.words(locale), item)
               for item in conversation_store.conversation_items()]
    return render_template("events/new.html", form=form, conversation_options=options), (
        400 if form.errors else 200
    )


@bp.get("/facilitator/events/<int:event_id>")
@allow(Role.FACILITATOR)
def event(event_id: int):
    found = own_event_or_404(event_id)
    notice = None
    if request.args.get("created"):
        notice = EVENT_CREATED
    elif request.args.get("closed"):
        notice = EVENT_CLOSED_NOW
    return render_template(
        "events/event.html", event=found, notice=notice, join_url=join_url(found),
        spaced_code=codes.spaced(found.join_code),
    )


@bp.get("/facilitator/events/<int:event_id>/qr.svg")
@allow(Role.FACILITATOR)
def qr(event_id: int):
    import segno

    found = own_event_or_404(event_id)
    code = segno.make(join_url(found), error="m")
    out = io.BytesIO()
    code.save(out, kind="svg", scale=8, border=4, xmldecl=False, svgns=True,
              title=join_url(found))
    return Response(out.getvalue(), mimetype="image/svg+xml")


def _bilingual(*msgids_fn) -> dict:
    """The invite's words in both languages, side by side on one sheet."""
    words = {}
    for language in LANGUAGES:
        with force_locale(language):
            words[language] = [fn() for fn in msgids_fn]
    return words


def _invite_lines() -> dict:
    return _bilingual(
        lambda: _("Come and tell us what matters to you."),
        lambda: _("Bring a friend or a supporter if you like."),
        lambda: _("You answer on a tablet, with pictures and sound."),
        lambda: _("Your answers are anonymous. We will not ask your name."),
        lambda: _("To join, scan the QR code or type the code."),
    )


@bp.get("/facilitator/events/<int:event_id>/invite")
@allow(Role.FACILITATOR)
def invite(event_id: int):
    found = own_event_or_404(event_id)
    return render_template(
        "events/invite.html", event=found, lines=_invite_lines(),
        pictures=["speaking", "friend", "laptop", "shield", "key"],
        join_url=join_url(found), spaced_code=codes.spaced(found.join_code),
    )


@bp.get("/facilitator/events/<int:event_id>/live")
@allow(Role.FACILITATOR)
def live(event_id: int):
    found = own_event_or_404(event_id)
    counts = store.live_counts(found)
    items = conversation_store.question_items()
    themes = conversation_store.theme_items()
    rows = []
    for count in counts["questions"]:
        question = flow.find(conversation_store.questions_for(found.conversation_key, items),
                             count.key)
        cards = [(key, themes[key], count.cards.get(key, 0))
                 for key in (question.cards if question else ()) if key in themes]
        rows.append((count, items[count.key], cards))
    return render_template(
        "events/live.html", event=found, counts=counts, rows=rows,
        poll_seconds=LIVE_POLL_SECONDS,
    )


@bp.get("/facilitator/events/<int:event_id>/live.json")
@allow(Role.FACILITATOR)
def live_json(event_id: int):
    found = own_event_or_404(event_id)
    data = store.counts_as_json(store.live_counts(found))
    data["open"] = found.is_open
    return jsonify(data)


@bp.get("/facilitator/events/<int:event_id>/group")
@allow(Role.FACILITATOR)
def group(event_id: int):
    """Group mode: the current question large, for a projector; the facilitator moves on."""
    found = own_event_or_404(event_id)
    items = conversation_store.question_items()
    questions = conversation_store.questions_for(found.conversation_key, items)
    if not questions:
        abort(404)
    asked = flow.find(questions, request.args.get("q")) or questions[0]
    place = flow.number_of(questions, asked.key)
    return render_template(
        "events/group.html", event=found, question=asked, item=items[asked.key],
        number=place, total=len(questions),
        card_options=screens.card_options(asked.cards),
        previous=questions[place - 2].key if place > 1 else None,
        next_key=questions[place].key if place < len(questions) else None,
    )


@bp.post("/facilitator/events/<int:event_id>/close")
@allow(Role.FACILITATOR)
def close(event_id: int):
    found = own_event_or_404(event_id)
    store.close_event(found)
    db.session.commit()
    return redirect(url_for(".event", event_id=found.id, closed=1))
