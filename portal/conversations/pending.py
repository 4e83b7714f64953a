"""An answer posted after the session expired is kept, not lost.

`portal.core.access.enforce_access` calls `keep_posted_answer` on a signed-out POST to a
question screen, before sending the visitor to sign in; signing in keeps the session key;
the question screen then stores it (or shows it again, with a message, when it cannot).

Only a POST from one of our own pages is kept (its Origin or Referer is this site), so
another site cannot slip an answer into a person's conversation.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import request, session

from portal.conversations.flow import MAX_WORDS_CHARS
from portal.core.access import PENDING_ANSWER

# Enough to show an overlong answer again with its message; small enough for a cookie.
_KEEP_CHARS = MAX_WORDS_CHARS + 200
_MAX_CARDS = 20


def _from_this_site() -> bool:
    if request.headers.get("Sec-Fetch-Site") == "same-origin":
        return True
    source = request.headers.get("Origin") or request.headers.get("Referer")
    return bool(source) and urlsplit(source).netloc == request.host


def keep_posted_answer() -> None:
    if not _from_this_site():
        return
    args = request.view_args or {}
    form = request.form
    session[PENDING_ANSWER] = {
        "conversation": args.get("conversation_id"),
        "question": args.get("question_key"),
        "action": form.get("action", "")[:12],
        "cards": [card[:80] for card in form.getlist("cards")[:_MAX_CARDS]],
        "point": form.get("point", "")[:40],
        "words": form.get("words", "")[:_KEEP_CHARS],
        "typed_for_person": bool(form.get("typed_for_person")),
        "shown_item": form.get("shown_item", "")[:12],
    }


def take_pending(conversation_id: int, question_key: str) -> dict | None:
    """The kept answer for this question, once (it leaves the session)."""
    pending = session.get(PENDING_ANSWER)
    if not isinstance(pending, dict):
        return None
    if pending.get("conversation") != conversation_id or pending.get("question") != question_key:
        return None
    session.pop(PENDING_ANSWER, None)
    return pending
