"""Putting a set of shared screens on a blueprint, for one kind of owner.

The person's, the event participant's and the circle proxy's routes to the same screens
differ only in their addresses, their endpoint names, who may use them and how the owner is
found. So each screen set (mats/screens.py, ratings/screens.py) lists its screens once, and
each owner's blueprint calls its register function once with those differences.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from flask import Blueprint, Response

# Set on every registered view: which screen set and screen it is (for the tests).
SCREEN_ATTR = "_answering_screen"


@dataclass(frozen=True)
class Screen:
    rule: str  # under the prefix
    methods: tuple[str, ...]
    body: Callable  # body(owner, **its own URL values)
    takes: tuple[str, ...] = ()  # the URL values that are the screen's, not the owner's
    json: bool = False  # answers a script: the owner's refusals must be JSON too


def register(bp: Blueprint, screens: Mapping[str, Screen], kind: str,
             resolve_owner: Callable, access: Callable, prefix: str,
             names: Mapping[str, str] | None) -> None:
    """One route a screen. `resolve_owner(**the other URL values)` gives the owner, or a
    response that refuses (the proxy's "no consent" page); a screen that answers a script
    also passes `as_json=True`. `names` maps a screen to its endpoint when that differs."""
    for screen, spec in screens.items():
        endpoint = (names or {}).get(screen, screen)
        view = access(_view(spec, resolve_owner, endpoint))
        setattr(view, SCREEN_ATTR, (kind, screen))
        bp.add_url_rule(prefix + spec.rule, endpoint, view, methods=list(spec.methods))


def _view(spec: Screen, resolve_owner: Callable, endpoint: str) -> Callable:
    def view(**values):
        own = {name: values.pop(name) for name in spec.takes}
        owner = resolve_owner(**values, as_json=True) if spec.json else resolve_owner(**values)
        if isinstance(owner, Response):
            # Returned, not raised: the expired-form handler (core/errors.py) runs a view
            # again and makes its response a 400, and a raised abort there would be a 500.
            return owner
        return spec.body(owner, **own)

    # Each route its own function: the access rule is an attribute of the function.
    view.__name__ = view.__qualname__ = endpoint
    return view
