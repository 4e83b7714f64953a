"""Deny by default: every view states who may use it.

`@public` or `@allow(Role.X, ...)` marks a view; `enforce_access` runs before every
request and refuses a view that states nothing. A test walks the URL map and fails on
any endpoint without a rule, so a forgotten decorator is caught before it ships.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, current_app, redirect, request, url_for
from flask_login import current_user

ACCESS_ATTR = "_portal_access"
KEEP_ATTR = "_portal_keep_signed_out_post"
# The session key under which a signed-out POST is kept; signing in keeps this key.
PENDING_ANSWER = "pending_answer"
PUBLIC = "public"
ANY_SIGNED_IN = "any_signed_in"
# Endpoints that Flask itself adds; they serve only public files.
BUILTIN_PUBLIC_ENDPOINTS = frozenset({"static"})


def public(view: Callable) -> Callable:
    setattr(view, ACCESS_ATTR, frozenset({PUBLIC}))
    return view


def signed_in(view: Callable) -> Callable:
    setattr(view, ACCESS_ATTR, frozenset({ANY_SIGNED_IN}))
    return view


def allow(*roles: str) -> Callable[[Callable], Callable]:
    if not roles:
        raise ValueError("allow() needs at least one role")

    def mark(view: Callable) -> Callable:
        setattr(view, ACCESS_ATTR, frozenset(str(r) for r in roles))
        return view

    return mark


def keeps_signed_out_post(keep: Callable[[], None]) -> Callable[[Callable], Callable]:
    """Nothing typed is lost when the session has expired: on a POST that arrives signed
    out, `keep()` puts what was sent into the session before the visitor signs in again
    (the sign-in keeps it; the view uses it afterwards)."""

    def mark(view: Callable) -> Callable:
        setattr(view, KEEP_ATTR, keep)
        return view

    return mark


def access_rule(endpoint: str) -> frozenset[str] | None:
    """The rule declared for an endpoint, or None when it declares nothing."""
    if endpoint in BUILTIN_PUBLIC_ENDPOINTS:
        return frozenset({PUBLIC})
    view = current_app.view_functions.get(endpoint)
    return getattr(view, ACCESS_ATTR, None)


def enforce_access():
    endpoint = request.endpoint
    if endpoint is None:  # no route matched: Flask answers 404/405 itself
        return None
    rule = access_rule(endpoint)
    if rule is None:
        current_app.logger.error("Refused %s: the view declares no access rule", endpoint)
        abort(403)
    if PUBLIC in rule:
        return None
    if not current_user.is_authenticated:
        keep = getattr(current_app.view_functions.get(endpoint), KEEP_ATTR, None)
        if keep is not None and request.method == "POST":
            keep()
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    if ANY_SIGNED_IN in rule or current_user.role in rule:
        return None
    abort(403)
