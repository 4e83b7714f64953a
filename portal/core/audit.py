"""The audit log: who viewed, changed, exported or erased which person's data, and when.

One central mechanism rather than a call in every view. PERSONAL_ROUTES names each
route that shows or changes one person's data and says how to find that person from the
URL (a person id, or the id of their conversation, session or follow-up). After such a
request succeeds, `after_request` writes one entry: the user and their role, the action
(a GET views, a POST changes, unless the route says otherwise), the person's id, the
route's endpoint. Only numbers and route names: never a name or anything the person said.

A person using their own pages is not logged (they are the data subject; logging every
answer of 400 tablets would only slow them down). Everyone else is: circle members,
practitioners, admins. A refused or failed request (status 400 and up) showed nothing,
so it is not logged either. tests/test_audit.py walks the URL map: a route with a person,
conversation, session or follow-up id must be in PERSONAL_ROUTES or in NOT_PERSONAL.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask import Flask, current_app, request
from sqlalchemy import select

from portal.core.extensions import db
from portal.core.identity import signed_in
from portal.models import (
    AuditAction,
    AuditEntry,
    Conversation,
    MatSession,
    RatingSession,
    Role,
    SafetyFollowUp,
)

PAGE_SIZE = 50
# A wrong password, or a wrong code or passkey at the second step: each a failed sign-in.
SIGN_IN_ENDPOINTS = frozenset({"auth.login", "second_step.code", "second_step.passkey_sign_in"})


def _by_person(args: dict) -> int | None:
    return args.get("person_id")


def _owner(model, key: str) -> Callable[[dict], int | None]:
    def find(args: dict) -> int | None:
        if args.get(key) is None:
            return None
        return db.session.scalar(select(model.person_id).where(model.id == args[key]))

    return find


@dataclass(frozen=True)
class Personal:
    """How a route's URL names a person, and what a GET and a POST there do to their data."""

    person: Callable[[dict], int | None]
    get: AuditAction = AuditAction.VIEW
    post: AuditAction = AuditAction.CHANGE


_PERSON = Personal(_by_person)
_CONVERSATION = Personal(_owner(Conversation, "conversation_id"))
_MAT = Personal(_owner(MatSession, "session_id"))
_RATING = Personal(_owner(RatingSession, "session_id"))
_FOLLOW_UP = Personal(_owner(SafetyFollowUp, "follow_up_id"))

PERSONAL_ROUTES: dict[str, Personal] = {
    "conversations.person_page": _PERSON,
    "conversations.start_with": _PERSON,
    "conversations.resume": _CONVERSATION,
    "conversations.question": _CONVERSATION,
    "conversations.share": _CONVERSATION,
    "conversations.summary": _CONVERSATION,
    "conversations.summary_pdf": _CONVERSATION,
    "conversations.tag": _CONVERSATION,
    "conversations.who": _CONVERSATION,
    "circle.manage": _PERSON,
    "circle.invite": _PERSON,
    "circle.best_interests": _PERSON,
    "circle.follow_up": _FOLLOW_UP,
    "circle.proxy_index": _PERSON,
    "circle.proxy_statement": _PERSON,
    "circle.proxy_check": _PERSON,
    "circle.proxy_save": _PERSON,
    "circle.side_by_side": _PERSON,
    # Saved mats and ratings are the person's own pages today; logged if staff ever see them.
    "mats.saved": _MAT,
    "mats.picture": _MAT,
    "mats.check": _MAT,
    "mats.answers": _MAT,
    "mats.place": _MAT,
    "mats.own_card": _MAT,
    "mats.save": _MAT,
    "ratings.saved": _RATING,
    # A person's rights (portal/rights): the page lists what is held; export and erase.
    "rights.person": _PERSON,
    "rights.export_json": Personal(_by_person, get=AuditAction.EXPORT),
    "rights.export_pdf": Personal(_by_person, get=AuditAction.EXPORT),
    "rights.erase": Personal(_by_person, post=AuditAction.ERASE),  # GET: the confirm screen
    # A person's ways to sign in (portal/signin): each change is its own endpoint, so the
    # entry says what was done (set-up code made, card made, revoked, unlocked).
    "signin.ways": _PERSON,
    "signin.setup_code": _PERSON,
    "signin.remove_passkeys": _PERSON,
    "signin.new_card": _PERSON,
    "signin.card_ready": _PERSON,
    "signin.card_pdf": _PERSON,
    "signin.revoke_card": _PERSON,
    "signin.unlock_card": _PERSON,
    # People and caseloads (portal/people): details added or changed, a caseload transfer,
    # and a hand-over of the tablet (portal/handover).
    "people.edit": _PERSON,
    "people.move": Personal(_by_person, post=AuditAction.CASELOAD_TRANSFER),
    # Giving the tablet signs it in as the person, so the view writes its own entry.
    "tablet.give": _PERSON,
}

# Routes with an id in the URL that is not one known person's: anonymous event answers
# (a participant has no person), a facilitator's events, public pictures and sound, and the
# steps of a proxy rating (the number is a statement's, the person is in the URL too).
# Every route of a listening event is one of these (its answers have no person).
NOT_PERSONAL_BLUEPRINTS = frozenset({"events"})
NOT_PERSONAL = frozenset({"uploads.picture", "speech.recording"})


def is_not_personal(endpoint: str) -> bool:
    return endpoint in NOT_PERSONAL or endpoint.split(".", 1)[0] in NOT_PERSONAL_BLUEPRINTS


def record(action: AuditAction, person_id: int | None, *, endpoint: str | None = None,
           user_id: int | None = None, role: str | None = None) -> AuditEntry:
    """Add one entry to the session (the caller commits, or after_request does)."""
    if user_id is None and (who := signed_in()) is not None:
        user_id, role = who
    entry = AuditEntry(
        user_id=user_id, role=role or "", action=str(action), person_id=person_id,
        endpoint=(endpoint or request.endpoint or "")[:120], method=request.method[:8],
    )
    db.session.add(entry)
    return entry


def _after_request(response):
    endpoint = request.endpoint
    if endpoint in SIGN_IN_ENDPOINTS and request.method == "POST" and response.status_code == 401:
        _write(AuditAction.SIGN_IN_FAILED, None, user_id=None, role="")
        return response
    declared = PERSONAL_ROUTES.get(endpoint)
    if declared is None or response.status_code >= 400:
        return response
    who = signed_in()
    if who is None or who[1] == Role.PERSON:
        return response
    person_id = declared.person(request.view_args or {})
    if person_id is None:
        return response
    action = declared.get if request.method in ("GET", "HEAD") else declared.post
    _write(action, person_id)
    return response


def _write(action: AuditAction, person_id: int | None, **who) -> None:
    # The view has committed its own work; whatever it left unsaved is not ours to save.
    try:
        db.session.rollback()
        record(action, person_id, **who)
        db.session.commit()
    except Exception:  # an audit failure is logged loudly but never loses the person's page
        db.session.rollback()
        current_app.logger.exception("Could not write the audit entry for %s", request.endpoint)


def register(app: Flask) -> None:
    app.after_request(_after_request)


# --- Reading the log (the admin page) -----------------------------------------------------


@dataclass(frozen=True)
class Filters:
    person_id: int | None = None
    user_id: int | None = None
    action: str | None = None
    since: datetime | None = None
    until: datetime | None = None  # exclusive


def entries(filters: Filters, page: int = 1) -> tuple[list[AuditEntry], bool]:
    """Newest first, a page of PAGE_SIZE; and whether there is a further page."""
    size = PAGE_SIZE
    query = select(AuditEntry)
    if filters.person_id is not None:
        query = query.where(AuditEntry.person_id == filters.person_id)
    if filters.user_id is not None:
        query = query.where(AuditEntry.user_id == filters.user_id)
    if filters.action:
        query = query.where(AuditEntry.action == filters.action)
    if filters.since is not None:
        query = query.where(AuditEntry.at >= filters.since)
    if filters.until is not None:
        query = query.where(AuditEntry.at < filters.until)
    page = max(1, page)
    rows = list(db.session.scalars(query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
                                   .offset((page - 1) * size).limit(size + 1)))
    return rows[:size], len(rows) > size
