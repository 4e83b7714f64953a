"""The facilitator's screens: set up an event, watch it live, show the
question on a big screen, close it. A facilitator sees only their own events: anyone
else's is "not found"."""

from __future__ import annotations

from flask import abort, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.content.scales import current_mats, load_mat, load_statements, short_key
from portal.conversations import flow, screens
from portal.conversations import store as conversation_store
from portal.core.access import allow
from portal.core.extensions import db
from portal.core.messages import EVENT_CLOSED_NOW, EVENT_CREATED, GROUP_QUESTION_NOT_HERE
from portal.core.templating import current_locale
from portal.events import bp, codes, store
from portal.events.counts import DONT_KNOW_KEY
from portal.events.forms import EventForm, GroupForm
from portal.models import Event, Role

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
    mat_items = current_mats()
    form.mats.choices = [(short_key(item), item.words(locale)) for item in mat_items]
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
            mat_keys=" ".join(dict.fromkeys(form.mats.data or ())),
            reset_minutes=int(form.reset_minutes.data) if form.reset_minutes.data else None,
        )
        db.session.commit()
        return redirect(url_for(".event", event_id=event.id, created=1))
    options = [(flow.short_key(item.key), item.words(locale), item)
               for item in conversation_store.conversation_items()]
    mat_options = [(short_key(item), item.words(locale), item) for item in mat_items]
    return render_template("events/new.html", form=form, conversation_options=options,
                           mat_options=mat_options), (
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
        mats=[mat for mat in map(load_mat, found.mats) if mat is not None],
        spaced_code=codes.spaced(found.join_code),
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
        mat_tables=mat_tables(found, counts["mats"]),
        rating_tables=rating_tables(found, counts["ratings"]),
        poll_seconds=LIVE_POLL_SECONDS,
    )


def event_mats(event: Event, counts: dict):
    """Each of the event's mats still in the content, with its points as (key, item) and
    its counts by card key, then point key (the live page and the report both show these)."""
    for key in event.mats:
        mat = load_mat(key)
        if mat is not None:
            points = [(mat.scale.point_key(p), p) for p in mat.scale.points]
            yield mat, points, counts.get(mat.key, {})


def mat_tables(event: Event, counts: dict) -> list[dict]:
    """For each of the event's mats: its points (columns) and each card with its counts."""
    return [{"mat": mat, "points": points, "rows": [
        (short_key(card), card,
         [by_card.get(short_key(card), {}).get(point_key, 0) for point_key, _p in points])
        for card in mat.cards]} for mat, points, by_card in event_mats(event, counts)]


def rating_tables(event: Event, counts: dict) -> list[dict]:
    """The statements, one table a scale: its points and "I don't know" as columns."""
    if not event.use_ratings:
        return []
    statements = load_statements()
    tables: dict[str, dict] = {}
    for item in statements.statements:
        scale = statements.scale_of(item)
        table = tables.setdefault(scale.key, {
            "scale": scale, "points": [*scale.point_keys, DONT_KNOW_KEY], "rows": [],
            "labels": [*(p.words(current_locale()) for p in scale.points), _("I don't know")]})
        found = counts.get(short_key(item), {})
        table["rows"].append((short_key(item), item,
                              [found.get(point, 0) for point in table["points"]]))
    return list(tables.values())


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
    """Group mode: the current question large, for a projector. The facilitator moves it on
    (group_move) and the tablets follow it."""
    found = own_event_or_404(event_id)
    return _group_page(found)


def _group_page(event: Event, error: str | None = None, status: int = 200):
    items = conversation_store.question_items()
    questions = conversation_store.questions_for(event.conversation_key, items)
    if not questions:
        abort(404)
    asked = flow.find(questions, event.group_question_key or "") or questions[0]
    place = flow.number_of(questions, asked.key)
    return render_template(
        "events/group.html", event=event, question=asked, item=items[asked.key],
        number=place, total=len(questions), error=error,
        card_options=screens.card_options(asked.cards),
        following=event.group_question_key is not None,
        previous=questions[place - 2].key if place > 1 else None,
        next_key=questions[place].key if place < len(questions) else None,
    ), status


@bp.post("/facilitator/events/<int:event_id>/group")
@allow(Role.FACILITATOR)
def group_move(event_id: int):
    """Show another question (the tablets follow), or end group mode (no question)."""
    found = own_event_or_404(event_id)
    form = GroupForm()
    if not form.validate():
        return _group_page(found, status=400)
    key = form.question.data or None
    if key is not None and flow.find(
            conversation_store.questions_for(found.conversation_key), key) is None:
        return _group_page(found, error=str(GROUP_QUESTION_NOT_HERE), status=400)
    found.group_question_key = key
    db.session.commit()
    return redirect(url_for(".group", event_id=found.id))


@bp.post("/facilitator/events/<int:event_id>/close")
@allow(Role.FACILITATOR)
def close(event_id: int):
    found = own_event_or_404(event_id)
    store.close_event(found)
    db.session.commit()
    return redirect(url_for(".event", event_id=found.id, closed=1))
