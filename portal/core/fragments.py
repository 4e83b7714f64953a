"""Pieces of pages that are the same for everyone in one language, rendered once a worker.

    {% kept "answer-buttons", stop_label %} ... {% endkept %}

Why: rendering is half the time of a question screen, and most of that is pictures, words,
play buttons and progress dots that depend only on the content and the page's language
(issue 9's load benchmark).

The key is the page's language and the values the template gives after the name. A piece
that shows content must give `content_stamp()` too: it changes with every change to the
content, pictures, recordings and built audio (portal/content/cache.py). The pieces are kept
in the app's store (portal/core/cache.py): bounded, least recently used out first.

The rule: a kept piece never holds anything about the person, their session or their form
(no CSRF token, no typed words, no ticked boxes, no errors, no role-dependent links). Those
stay outside it. A template that names one of PERSONAL in a kept piece, in its body or its
key, does not compile (a footer link that depended on the role once leaked so from one
role to another). A macro called inside a piece is not looked into: keep those content only.
"""

from __future__ import annotations

from jinja2 import TemplateSyntaxError, nodes
from jinja2.ext import Extension

from portal.core.cache import app_store
from portal.core.templating import current_locale

# Enough for every question and screen in both languages many times over.
MOST_KEPT = 4000

# What the templates can read of the person, their session, their form or their role:
# Flask's and Flask-Login's globals and the context processors' per-person values.
PERSONAL = frozenset({
    "current_user", "session", "request", "g", "csrf_token", "form", "preferences",
    "home_url", "home_endpoint_name", "in_hand_over", "idle_seconds",
    "you_said_for_person", "you_said_for_facilitator",
})


def _refuse_personal(parts, body, lineno: int, name: str | None) -> None:
    for node in [*parts, *body]:
        # find_all looks only below a node: a key part may be a bare name itself.
        names = [node] if isinstance(node, nodes.Name) else []
        for found in [*names, *node.find_all(nodes.Name)]:
            if found.name in PERSONAL:
                raise TemplateSyntaxError(
                    f"a kept piece is shown to everyone and may not read {found.name!r} "
                    "(portal/core/fragments.py)", found.lineno or lineno, name)


class KeptExtension(Extension):
    tags = {"kept"}

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        parts = [parser.parse_expression()]
        while parser.stream.skip_if("comma"):
            parts.append(parser.parse_expression())
        body = parser.parse_statements(("name:endkept",), drop_needle=True)
        _refuse_personal(parts, body, lineno, parser.name)
        call = self.call_method("_kept", [nodes.List(parts)])
        return nodes.CallBlock(call, [], [], body).set_lineno(lineno)

    def _kept(self, parts, caller):
        # No stamp of its own: whatever can change a piece is in its key.
        store = app_store("fragments", MOST_KEPT)
        return store.kept((current_locale(), *parts), None, caller)  # caller() is escaped
