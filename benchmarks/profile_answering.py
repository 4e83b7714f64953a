"""Where the answering path spends its time: a profile of each kind of request, in-process.

    .venv/bin/python benchmarks/profile_answering.py --requests 100
    .venv/bin/python benchmarks/profile_answering.py --instance /tmp/portal-bench --top 25

The portal is made as for `make run` (`db upgrade`, `content load`, `seed-demo`, `easyread
build` in a temporary PORTAL_INSTANCE_PATH, or the folder given, used as it is when it already
holds a database), then driven with Flask's test client as one signed-in person: the
question GET, the answer POST, the mat placement (JSON) and the rating POST, as in
overhead.py; then the bare page of overhead.py (bare_app.py), the floor. For each kind it
prints the CPU time per request without the profiler, the SQL queries per request (a
`before_cursor_execute` listener, here only) and the statements of one request, the time of
the request's parts (before_request hooks, view, templates, after_request with the session
cookie, SQL, commit, loading the user, CSRF), then cProfile's top functions by cumulative
and by own time, per request. Only the app is profiled (a WSGI wrapper), not the test
client. Nothing is served on the network.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

KINDS = ("question", "answer", "mat", "rating", "event_answer")  # then the bare page
ORIGIN = {"Origin": "http://localhost"}
MAX_REQUESTS = 2000


# --- Pure helpers (tested in tests/test_benchmark_helpers.py) ------------------------------------


def short_name(filename: str, line: int, function: str) -> str:
    """A profiler entry as `package/module.py:line(function)`, without the site-packages or
    project prefix; built-ins as `{name}`."""
    if filename == "~" or filename.startswith("<"):
        return function if function.startswith("<") else f"{{{function}}}"
    path = filename.replace("\\", "/")
    for marker in ("/site-packages/", "/lib/python3", "/work/"):
        if marker in path:
            path = path.split(marker, 1)[1]
            if marker == "/lib/python3":
                path = "stdlib/" + path.split("/", 1)[-1]
            break
    path = re.sub(r"^(wt/[^/]+/|main/)", "", path)
    return f"{path}:{line}({function})"


def normalise_sql(statement: str, width: int = 110) -> str:
    """One line of a statement: whitespace folded, cut to `width`."""
    text = " ".join(statement.split())
    return text if len(text) <= width else text[:width - 1] + "…"


def top_rows(stats: dict, requests: int, key: str, limit: int) -> list[tuple[str, float, int]]:
    """(name, ms per request, calls per request) of the `limit` biggest entries of a
    pstats `stats` dict by `key` ("cumulative" or "own")."""
    rows = []
    for (filename, line, function), (_cc, calls, own, cumulative, _callers) in stats.items():
        seconds = cumulative if key == "cumulative" else own
        rows.append((short_name(filename, line, function), 1000 * seconds / requests,
                     calls // max(requests, 1)))
    rows.sort(key=lambda r: r[1], reverse=True)
    return rows[:limit]


# --- The portal, in-process ----------------------------------------------------------------------


class Profiled:
    """WSGI wrapper: profiles the app only while `on`, and counts queries per request."""

    def __init__(self, app):
        self.app, self.wsgi = app, app.wsgi_app
        self.profiler: cProfile.Profile | None = None

    def __call__(self, environ, start_response):
        if self.profiler is None:
            return self.wsgi(environ, start_response)
        self.profiler.enable()
        try:
            return list(self.wsgi(environ, start_response))
        finally:
            self.profiler.disable()


def make_instance(instance: Path) -> None:
    from benchmarks.overhead import accounts
    from benchmarks.server import prepare_portal

    env = portal_env(instance)
    if not (instance / "portal.sqlite3").exists():
        prepare_portal(env)
    accounts(env, 1)


def portal_env(instance: Path) -> dict:
    env = {**os.environ, "PORTAL_INSTANCE_PATH": str(instance), "PORTAL_ENV": "development"}
    env.pop("PORTAL_DATABASE_URL", None)
    return env


def run(args, instance: Path) -> None:
    make_instance(instance)
    os.environ.update(portal_env(instance))
    os.environ.pop("PORTAL_DATABASE_URL", None)
    from sqlalchemy import event

    from benchmarks.event_load import MAT, MAT_CSRF, MAT_POINTS, mat_cards
    from benchmarks.load import PASSWORD, USERNAME, inputs
    from benchmarks.overhead import HIDDEN, PLACE_URL
    from portal import create_app
    from portal.core.extensions import db

    app = create_app()
    wrapper = Profiled(app)
    app.wsgi_app = wrapper
    client = app.test_client()
    statements: list[str] = []
    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "before_cursor_execute")
    def count(_conn, _cursor, statement, _params, _context, _many):
        statements.append(statement)

    def get(path):
        response = client.get(path)
        return response.status_code, response.headers.get("Location", ""), response.text

    def post(path, data=None, json=None, headers=None):
        response = client.post(path, data=data, json=json, headers={**ORIGIN, **(headers or {})})
        return response.status_code, response.headers.get("Location", "")

    # Signed in as one person (a fast password hash, as load.py makes it), in Welsh.
    _s, _l, page = get("/login")
    post("/login", {"csrf_token": inputs(page)["csrf_token"][0],
                    "username": USERNAME.format(1), "password": PASSWORD})
    get("/language/cy?next=/me/")
    _s, _l, page = get("/me/")
    token = inputs(page)["csrf_token"][0]
    status, where = post("/conversations/start/what-matters", {"csrf_token": token})
    if where.endswith("/who"):
        status, where = post(where, {"csrf_token": token, "who": "alone"})
    if "/q/" not in where:
        status, where, _t = get(where)
    questions = []
    while "/q/" in where:
        status, _l, page = get(where)
        fields = inputs(page)
        questions.append((where, fields))
        status, where = post(where, answer_form(token, fields, 0))
    post(f"/me/mats/{MAT}/start", {"csrf_token": token})
    _s, _l, page = get(f"/me/mats/{MAT}")
    place, mat_token = PLACE_URL.search(page).group(1), MAT_CSRF.search(page).group(1)
    cards = mat_cards(MAT)
    ratings = []
    for number in range(1, 5):
        _s, _l, page = get(f"/me/how-true/{number}")
        ratings.append((f"/me/how-true/{number}", dict(HIDDEN.findall(page))))

    event_post = join_event(app)

    def one(kind: str, n: int) -> bool:
        if kind == "event_answer":
            return event_post(n)
        if kind == "question":
            return get(questions[n % len(questions)][0])[0] == 200
        if kind == "answer":
            path, fields = questions[n % len(questions)]
            return post(path, answer_form(token, fields, n))[0] == 302
        if kind == "mat":
            move = {"card": cards[n % len(cards)], "point": MAT_POINTS[n % len(MAT_POINTS)]}
            return post(place, json=move, headers={"X-CSRFToken": mat_token,
                                                  "Accept": "application/json"})[0] == 200
        path, hidden = ratings[n % len(ratings)]
        answer = ("always", "mostly", "sometimes", "not-true")[n % 4]
        return post(path, {"csrf_token": token, "action": "next", "answer": answer,
                           **hidden})[0] == 302

    print(f"profile of {args.requests} requests of each kind, in-process (Flask test client, "
          f"SQLite), machine load {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    for kind in KINDS:
        profile(kind, lambda n, kind=kind: one(kind, n), wrapper, statements, args)
    page_bytes = len(get(questions[0][0])[2].encode())
    bare(instance / "bare-profile", page_bytes, statements, args)


def join_event(app):
    """Open an event and join it on a second client, as event_load.py does: a function that
    posts the participant's n-th answer and says whether it was taken."""
    from datetime import date

    from sqlalchemy import select

    from benchmarks.event_load import CSRF, questions_of
    from portal.core.extensions import db
    from portal.events import store
    from portal.models import LocalAuthority, User

    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "demo-facilitator"))
        area = db.session.scalar(select(LocalAuthority).where(LocalAuthority.code == "cardiff"))
        event = store.create_event(
            facilitator_id=user.id, title_en="Profile", title_cy="Proffil",
            event_date=date.today(), venue="Here", local_authority_id=area.id,
            conversation_key="what-matters", mat_keys="", use_ratings=False)
        db.session.commit()
        code = event.join_code
    client = app.test_client()
    client.get(f"/join/{code}")
    client.get(f"/language/cy?next=/join/{code}/agree")
    token = CSRF.search(client.get(f"/join/{code}/agree").text).group(1)
    where = client.post(f"/join/{code}/agree", data={"csrf_token": token},
                        headers=ORIGIN).headers["Location"]
    base = re.search(r"/join/answer/\d+", where).group(0)
    questions = questions_of("what-matters")
    token = CSRF.search(client.get(f"{base}/q/{questions[0][0]}").text).group(1)

    def post(n: int) -> bool:
        key, cards = questions[n % len(questions)]
        form = {"csrf_token": token, "action": "next", "words": f"p a{n} cy",
                "cards": cards[n % len(cards):n % len(cards) + 1] if cards else []}
        response = client.post(f"{base}/q/{key}", data=form, headers=ORIGIN)
        return response.status_code == 302 and "/join/answer/" in response.headers["Location"]

    return post


def bare(folder: Path, page_bytes: int, statements: list, args) -> None:
    """The same, for the bare page of overhead.py: the floor the others are measured from."""
    from sqlalchemy import event

    os.environ.update({"BARE_INSTANCE_PATH": str(folder), "BARE_PAGE_BYTES": str(page_bytes)})
    from benchmarks.bare_app import create_app, db

    app = create_app()
    wrapper = Profiled(app)
    app.wsgi_app = wrapper
    client = app.test_client()
    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "before_cursor_execute")
    def count(_conn, _cursor, statement, _params, _context, _many):
        statements.append(statement)

    client.get("/sign-in/1")
    profile("bare", lambda _n: client.get("/page").status_code == 200, wrapper, statements,
            args)


# (label, file ending, function): the parts of a request whose cumulative time is summed.
PHASES = (
    ("before_request", "flask/app.py", "preprocess_request"),
    ("view", "flask/app.py", "dispatch_request"),
    ("templates", "flask/templating.py", "render_template"),
    ("after_request+session", "flask/app.py", "process_response"),
    ("sql", "sqlalchemy/engine/base.py", "_execute_context"),
    ("commit", "sqlalchemy/orm/session.py", "commit"),
    ("user_load", "flask_login/utils.py", "_get_user"),
    ("csrf", "flask_wtf/csrf.py", "validate_csrf"),
)


def phases(stats: dict, requests: int) -> list[tuple[str, float]]:
    """(label, cumulative ms a request) of each of PHASES (0 when not called)."""
    found = []
    for label, ending, function in PHASES:
        seconds = max((v[3] for (f, _l, name), v in stats.items()
                       if name == function and f.replace("\\", "/").endswith(ending)),
                      default=0.0)
        found.append((label, 1000 * seconds / requests))
    return found


def profile(kind: str, one, wrapper: Profiled, statements: list, args) -> None:
    """Time `one(n)` without the profiler, then count its queries and profile it."""
    for n in range(args.warm_up):
        one(n)
    failed = 0
    started, cpu = time.perf_counter(), time.process_time()
    for n in range(args.requests):
        failed += not one(args.warm_up + n)
    wall_ms = 1000 * (time.perf_counter() - started) / args.requests
    cpu_ms = 1000 * (time.process_time() - cpu) / args.requests
    statements.clear()
    one(0)
    single = list(statements)
    statements.clear()
    wrapper.profiler = cProfile.Profile()
    for n in range(args.requests):
        failed += not one(n)
    wrapper.profiler.create_stats()
    stats = pstats.Stats(wrapper.profiler).stats
    wrapper.profiler = None
    queries = len(statements) / args.requests
    print(f"\n== {kind}: cpu {cpu_ms:.2f} ms a request (wall {wall_ms:.2f}; no profiler, with "
          f"the test client), queries a request {queries:.1f}, failed {failed}")
    for statement in single:
        print(f"   sql: {normalise_sql(statement)}")
    print("   parts, cumulative CPU ms a request under the profiler: " + ", ".join(
        f"{label} {ms:.2f}" for label, ms in phases(stats, args.requests)))
    print("   top by cumulative ms a request (calls a request):")
    for name, ms, calls in top_rows(stats, args.requests, "cumulative", args.top):
        print(f"   {ms:8.3f} {calls:5d}  {name}")
    print("   top by own ms a request (calls a request):")
    for name, ms, calls in top_rows(stats, args.requests, "own", args.top_own):
        print(f"   {ms:8.3f} {calls:5d}  {name}")


def answer_form(token: str, fields: dict, n: int) -> dict:
    cards = fields.get("cards", [])
    chosen = cards[n % len(cards):n % len(cards) + n % 3] if cards else []
    return {"csrf_token": token, "action": "next", "words": f"profile answer {n}: ŵŷ",
            "shown_item": fields.get("shown_item", [""])[0], "cards": chosen}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100, help="profiled, of each kind")
    parser.add_argument("--warm-up", type=int, default=10)
    parser.add_argument("--top", type=int, default=30, help="rows by cumulative time")
    parser.add_argument("--top-own", type=int, default=15, help="rows by own time")
    parser.add_argument("--instance", type=Path, help="keep (or reuse) the instance folder")
    args = parser.parse_args(argv)
    if not 1 <= args.requests <= MAX_REQUESTS:
        parser.error(f"--requests must be 1..{MAX_REQUESTS}")
    if args.instance:
        args.instance.mkdir(parents=True, exist_ok=True)
        run(args, args.instance.resolve())
        return 0
    with tempfile.TemporaryDirectory(prefix="portal-profile-") as instance:
        run(args, Path(instance))
    return 0


if __name__ == "__main__":
    sys.exit(main())
