"""The audit log for admins: newest first, filtered by person, account, action and date."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from flask import render_template, request, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from portal.core.access import allow
from portal.core.audit import Filters, entries
from portal.core.extensions import db
from portal.models import AuditAction, Role, User
from portal.rights import bp
from portal.rights.forms import AuditFilterForm

ACTION_LABELS = {
    AuditAction.VIEW: _l("Looked at"),
    AuditAction.CHANGE: _l("Changed"),
    AuditAction.EXPORT: _l("Exported"),
    AuditAction.ERASE: _l("Deleted"),
    AuditAction.SIGN_IN_FAILED: _l("Sign-in failed"),
    AuditAction.CASELOAD_TRANSFER: _l("Moved to another practitioner's list"),
    # Accounts (portal/accounts): the account acted on is shown too.
    AuditAction.ACCOUNT_CREATED: _l("Account made"),
    AuditAction.ACCOUNT_CHANGED: _l("Account changed"),
    AuditAction.ACCOUNT_RESET: _l("New set-up link"),
    AuditAction.ACCOUNT_DEACTIVATED: _l("Account deactivated"),
    AuditAction.ACCOUNT_REACTIVATED: _l("Account reactivated"),
    AuditAction.SIGN_IN_UNLOCKED: _l("Sign-in unlocked"),
    AuditAction.PASSWORD_SET: _l("Password chosen"),
    AuditAction.SECOND_STEP_RESET: _l("Second step reset"),  # portal/second_step
}
MAX_PAGE = 100_000


def _account(given: str | None) -> int | None:
    """An account by its number or its username; -1 (matches nothing) for no such user."""
    if not given:
        return None
    if given.isdigit() and len(given) < 10:
        return int(given)
    found = db.session.scalar(select(User.id).where(func.lower(User.username) == given.lower()))
    return found if found is not None else -1


def _page() -> int:
    raw = request.args.get("page", "1")
    return min(int(raw), MAX_PAGE) if raw.isdigit() and int(raw) > 0 else 1


@bp.get("/admin/audit")
@allow(Role.ADMIN)
def audit_log():
    form = AuditFilterForm(request.args)
    form.action.choices = [("", _l("Any")),
                           *((str(a), label) for a, label in ACTION_LABELS.items())]
    filters = Filters()
    status = 200
    if request.args and not form.validate():
        status = 400  # show the messages and no entries rather than the wrong ones
        rows, more = [], False
    else:
        action = form.action.data if form.action.data in set(AuditAction) else None
        given = form.as_values()
        filters = Filters(
            person_id=given["person_id"], user_id=_account(given["user"]), action=action,
            since=datetime.combine(given["since"], time()) if given["since"] else None,
            until=(datetime.combine(given["until"], time()) + timedelta(days=1)
                   if given["until"] else None),
        )
        rows, more = entries(filters, _page())
    page = _page()
    ids = {i for r in rows for i in (r.user_id, r.account_id) if i is not None}
    names = dict(db.session.execute(select(User.id, User.username).where(User.id.in_(ids))).all()) \
        if ids else {}
    kept = {k: v for k, v in request.args.items() if k != "page" and v}

    def page_url(number: int) -> str:
        return url_for(".audit_log", **kept, page=number)

    return render_template(
        "rights/audit_log.html", form=form, rows=rows, names=names, labels=ACTION_LABELS,
        page=page, previous_url=page_url(page - 1) if page > 1 else None,
        next_url=page_url(page + 1) if more else None,
    ), status
