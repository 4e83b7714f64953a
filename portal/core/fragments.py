"""Pieces of pages that are the same for everyone in one language, rendered once a worker.

    {% kept "answer-buttons", stop_label %} ... {% endkept %}

Why: rendering is half the time of a question screen, and most of that is pictures, words,
play buttons and progress dots that depend only on the content and the page's language
(issue 9's load benchmark).

The key is the page's language and the values the template gives after the name. A piece
that shows content must give `content_stamp()` too: it changes with every change to the
content, pictures, recordings and built audio (portal/content/cache.py).

The rule: a kept piece never holds anything about the person, their session or their form
(no CSRF token, no typed words, no ticked boxes, no errors). Those stay outside it.
"""

from __future__ import annotations

from flask import current_app
from jinja2 import nodes
from jinja2.ext import Extension

from portal.core.templating import current_locale

# Enough for every question and screen in both languages many times over; when full
# (content changed often without a restart) the store starts again.
MOST_KEPT = 4000


class KeptExtension(Extension):
    tags = {"kept"}

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        parts = [parser.parse_expression()]
        while parser.stream.skip_if("comma"):
            parts.append(parser.parse_expression())
        body = parser.parse_statements(("name:endkept",), drop_needle=True)
        call = self.call_method("_kept", [nodes.List(parts)])
        return nodes.CallBlock(call, [], [], body).set_lineno(lineno)

    def _kept(self, parts, caller):
        key = (current_locale(), *parts)
        store = current_app.extensions.setdefault("portal_fragments", {})
        found = store.get(key)
        if found is None:
            found = caller()  # already escaped: the template's own output
            if len(store) >= MOST_KEPT:
                store.clear()
            store[key] = found
        return found
