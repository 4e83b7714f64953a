"""What the conversation screens show, built from rows and content for the templates."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, render_template, url_for
from flask_babel import lazy_gettext as _l

from portal.conversations import flow, guards, store
from portal.core.messages import (
    CHOOSE_ONE,
    CONVERSATION_EMPTY_ANSWER,
    CONVERSATION_NOT_HERE,
    CONVERSATION_UNKNOWN_CARD,
    CONVERSATION_WORDS_TOO_LONG,
)
from portal.core.templating import current_locale
from portal.models import CircleMember, ContentItem, Conversation, Mode, Person, Relationship

PROBLEM_MESSAGES = {
    flow.EMPTY: CONVERSATION_EMPTY_ANSWER,
    flow.TOO_LONG: CONVERSATION_WORDS_TOO_LONG,
    flow.UNKNOWN_CARD: CONVERSATION_UNKNOWN_CARD,
    flow.UNKNOWN_POINT: CHOOSE_ONE,
}

RELATION_PICTURES = {
    "family": "family",
    "friend": "friend",
    "paid_carer": "paid-carer",
    "advocate": "advocate",
    "professional": "professional",
}

MODE_LABELS = {
    Mode.ALONE: _l("The person on their own"),
    Mode.WITH_SUPPORTER: _l("With someone from their circle of support"),
    Mode.WITH_PRACTITIONER: _l("With a practitioner"),
}


def mode_label(mode: str) -> str:
    return str(MODE_LABELS.get(mode, mode))


# --- The list of conversations ---------------------------------------------------------------


@dataclass
class ConversationCard:
    key: str
    item: ContentItem
    total: int
    open: Conversation | None
    finished: Conversation | None

    @property
    def answered(self) -> int:
        return len(self.open.answers) if self.open else 0


def conversation_cards(person_id: int) -> list[ConversationCard]:
    items = store.question_items()
    cards = []
    for item in store.conversation_items():
        key = flow.short_key(item.key)
        cards.append(ConversationCard(
            key=key,
            item=item,
            total=len(store.questions_for(key, items)),
            open=store.open_conversation(person_id, key),
            finished=store.latest_finished(person_id, key),
        ))
    return cards


# --- Who is there ----------------------------------------------------------------------------


def circle_with_accounts(person: Person) -> list[CircleMember]:
    return [m for m in person.circle if m.user_id and m.user_id != person.user_id]


def mode_for(relation: str) -> str:
    return Mode.WITH_PRACTITIONER if relation == Relationship.PROFESSIONAL else Mode.WITH_SUPPORTER


def who_options(members: list[CircleMember]) -> list[tuple[str, str, str]]:
    from portal.core.labels import relation_label

    options = [("alone", str(_l("Just me")), "person")]
    for member in members:
        name = member.user.display_name if member.user else member.role_label or ""
        # A name and a relationship side by side, not a sentence: nothing to translate.
        label = f"{name} – {relation_label(member.relation)}"
        options.append((f"member-{member.id}", label, RELATION_PICTURES.get(member.relation,
                                                                           "person")))
    return options


# --- A question screen -----------------------------------------------------------------------


def card_options(cards: tuple[str, ...]) -> list[tuple[str, str, str]]:
    themes = store.theme_items()
    locale = current_locale()
    return [(key, themes[key].words(locale), themes[key]) for key in cards if key in themes]


def point_options(scale: str) -> list[tuple[str, str, ContentItem]]:
    """(point key, words, item) of a yes/no question's scale, for picture radios."""
    locale = current_locale()
    return [(p.key.rsplit(".", 1)[1], p.words(locale), p) for p in store.scale_points(scale)]


def question_context(conversation: Conversation, questions, asked, items: dict) -> dict:
    """What every question screen shows, a person's own and an event participant's alike."""
    return {"conversation": conversation, "question": asked, "item": items[asked.key],
            "number": flow.number_of(questions, asked.key), "total": len(questions),
            "card_options": card_options(asked.cards),
            "point_options": point_options(asked.scale)}


def submission_from(action, form) -> flow.Submission:
    return flow.Submission.clean(
        action, form.cards.data, form.words.data, form.typed_for_person.data, form.point.data
    )


def fill_from_answer(form, answer: store.ShownAnswer | None) -> None:
    if answer is None:
        return
    form.cards.data = list(answer.cards)
    form.point.data = answer.point
    form.words.data = answer.words or ""
    form.typed_for_person.data = answer.typed_for_person


def fill_from_pending(form, pending: dict) -> None:
    form.cards.data = [str(c) for c in pending.get("cards") or []]
    form.point.data = str(pending.get("point") or "") or None
    form.words.data = str(pending.get("words") or "")
    form.typed_for_person.data = bool(pending.get("typed_for_person"))
    form.shown_item.data = str(pending.get("shown_item") or "")


def show_problems(form, problems: dict[str, str]) -> None:
    for field_name, problem in problems.items():
        getattr(form, field_name).errors = [str(PROBLEM_MESSAGES[problem])]


def not_found():
    abort(404)


def not_here(conversation: Conversation):
    """A question that is not part of this conversation: say so kindly, and offer a way on."""
    return render_template(
        "conversations/not_here.html",
        message=CONVERSATION_NOT_HERE,
        back=url_for(".resume", conversation_id=conversation.id),
    ), 404


# --- Where a person goes next ------------------------------------------------------------------


def start_url(conversation: Conversation) -> str:
    if guards.is_practitioner():
        return url_for(".person_page", person_id=conversation.person_id)
    return url_for(".index")


def home_url(conversation: Conversation, stopped: bool = False) -> str:
    extra = {"stopped": "1"} if stopped else {}
    if guards.is_practitioner():
        return url_for(".person_page", person_id=conversation.person_id, **extra)
    return url_for("person.home", **extra)
