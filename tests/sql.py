"""The SQL a piece of code runs, for tests that count or look at queries."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import event

from portal.core.extensions import db


def statements_on(engine, do: Callable[[], object]) -> list[str]:
    """The statements run on `engine` while `do()` runs, with their whitespace collapsed."""
    seen: list[str] = []

    def note(_conn, _cursor, statement, *_args):
        seen.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", note)
    try:
        do()
    finally:
        event.remove(engine, "before_cursor_execute", note)
    return seen


def statements_run(app, do: Callable[[], object]) -> list[str]:
    """The same, on `app`'s engine (a request through its test client, say)."""
    with app.app_context():
        engine = db.engine
    return statements_on(engine, do)
