"""How much more CPU the portal's pages cost than a bare signed-in Flask page (issue 18).

    .venv/bin/python benchmarks/overhead.py --requests 300

In one run on this machine it serves, each under gunicorn with the same workers on 127.0.0.1
only: the portal, as `make run` does (a temporary PORTAL_INSTANCE_PATH after `db upgrade`,
`content load`, `seed-demo`, `aggregate demo`, `easyread build`), and the bare app of
`benchmarks/bare_app.py` (Flask-Login loading the user row, a Flask-WTF form with its CSRF
token, Flask-Babel choosing the locale, one query, a Jinja template of the question page's
size). The same client (benchmarks/event_load.py's Tablet: its own cookie jar, one
connection a request) drives both. For each kind of request it sends a block of requests
and reads the server's CPU time (gunicorn and its workers, from /proc) before and after:

    bare       GET the bare page
    question   GET a What Matters question page
    answer     POST an answer (words and 0-2 picture cards), a change after the first round
    mat        POST one move on the "My home" mat (JSON, as mat.js sends it)
    rating     POST one outcome rating ("how true")
    home       GET the person's home (/me/)
    dashboard  GET the commissioner's results (/commissioner/results)

The kinds take turns (`--rounds`), so that a busy spell of the machine is shared out. The
last line is always

    bare_ms=B question_ratio=Q answer_ratio=A rating_ratio=R mat_ratio=M

(server CPU ms per bare page; each kind's CPU per request over the bare page's). Targets
(issue 18): question <= 1.5, answer <= 2.5, rating and mat <= 2.5.

`--instance DIR` keeps the portal's instance folder there and, when it already holds a
database, uses it as it is (about 3 minutes of setup saved on a second run).
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.event_load import MAT, MAT_CSRF, MAT_POINTS, Tablet, mat_cards  # noqa: E402
from benchmarks.load import ACCOUNTS, PASSWORD, USERNAME, inputs, server_cpu_seconds  # noqa: E402
from benchmarks.server import (  # noqa: E402 - the portal's root first, as a script
    HOST,
    ROOT,
    VENV_BIN,
    free_port,
    prepare_portal,
    start_server,
    stop,
)

KINDS = ("bare", "question", "answer", "mat", "rating", "home", "dashboard")
CONVERSATION = "what-matters"
COMMISSIONER = ("demo-commissioner", "demo-password")
PLACE_URL = re.compile(r'data-place-url="(/me/mats/session/\d+/place)"')
HIDDEN = re.compile(r'name="(statement|shown)" value="([^"]*)"')
RATINGS = 4  # statements each client rates, round and round
MAX_REQUESTS = 5000


class Failed(Exception):
    pass


def expect(tablet: Tablet, method: str, path: str, status: int, form=None, **kw):
    got, where, text, _ms = tablet.request(method, path, form, **kw)
    if got != status:
        raise Failed(f"{method} {path}: {got} {where}")
    return where, text


# --- Set-up: signed in, a conversation answered once, a mat open, ratings found ------------------


class Person:
    """One client of the portal: a person signed in, with what it needs to repeat each kind."""

    def __init__(self, number: int, port: int, timeout: float):
        self.number = number
        self.tablet = Tablet(port, timeout)
        self.questions: list[tuple[str, dict]] = []  # (path, form fields)
        self.place = ""
        self.mat_csrf = ""
        self.ratings: list[tuple[str, dict]] = []  # (path, hidden fields)
        self.token = ""
        self.count = 0

    def sign_in(self) -> None:
        t = self.tablet
        _w, page = expect(t, "GET", "/login", 200)
        where, _t = expect(t, "POST", "/login", 302, {
            "csrf_token": inputs(page)["csrf_token"][0],
            "username": USERNAME.format(self.number), "password": PASSWORD})
        language = "cy" if self.number % 2 else "en"
        expect(t, "GET", f"/language/{language}?next=/me/", 302)
        _w, page = expect(t, "GET", "/me/", 200)
        self.token = inputs(page)["csrf_token"][0]

    def walk_conversation(self) -> None:
        """Start What Matters and answer every question once, keeping each page's fields."""
        t, token = self.tablet, self.token
        where, _t = expect(t, "POST", f"/conversations/start/{CONVERSATION}", 302,
                           {"csrf_token": token})
        if where.endswith("/who"):
            where, _t = expect(t, "POST", where, 302, {"csrf_token": token, "who": "alone"})
        if "/q/" not in where:
            where, _t = expect(t, "GET", where, 302)
        while "/q/" in where:
            _w, page = expect(t, "GET", where, 200)
            fields = inputs(page)
            self.questions.append((where, fields))
            where, _t = expect(t, "POST", where, 302, self.answer_form(fields, 0))
        if not self.questions:
            raise Failed(f"no question pages (ended at {where})")

    def answer_form(self, fields: dict, n: int) -> dict:
        cards = fields.get("cards", [])
        chosen = cards[n % len(cards):n % len(cards) + n % 3] if cards else []
        return {"csrf_token": self.token, "action": "next",
                "words": f"client {self.number} answer {n}: ŵŷ",
                "shown_item": fields.get("shown_item", [""])[0], "cards": chosen}

    def open_mat(self) -> None:
        t = self.tablet
        expect(t, "POST", f"/me/mats/{MAT}/start", 302, {"csrf_token": self.token})
        _w, page = expect(t, "GET", f"/me/mats/{MAT}", 200)
        place, token = PLACE_URL.search(page), MAT_CSRF.search(page)
        if place is None or token is None:
            raise Failed("mat page without its place URL")
        self.place, self.mat_csrf = place.group(1), token.group(1)

    def find_ratings(self) -> None:
        for number in range(1, RATINGS + 1):
            path = f"/me/how-true/{number}"
            _w, page = expect(self.tablet, "GET", path, 200)
            hidden = dict(HIDDEN.findall(page))
            if "statement" not in hidden:
                raise Failed(f"{path} without its statement")
            self.ratings.append((path, hidden))

    # --- one request of a kind (the n-th of this client) ---

    def one(self, kind: str, n: int, cards: list[str]) -> tuple[int, float]:
        t = self.tablet
        if kind == "question":
            path, _fields = self.questions[n % len(self.questions)]
            status, _w, _t, ms = t.request("GET", path)
            return (status == 200), ms
        if kind == "answer":
            path, fields = self.questions[n % len(self.questions)]
            status, where, _t, ms = t.request("POST", path, self.answer_form(fields, n))
            return (status == 302 and "/conversations/" in where), ms
        if kind == "mat":
            move = {"card": cards[n % len(cards)], "point": MAT_POINTS[n % len(MAT_POINTS)]}
            status, _w, _t, ms = t.request("POST", self.place, json_body=move,
                                           csrf=self.mat_csrf)
            return (status == 200), ms
        if kind == "rating":
            path, hidden = self.ratings[n % len(self.ratings)]
            answer = ("always", "mostly", "sometimes", "not-true")[n % 4]
            status, _w, _t, ms = t.request("POST", path, {
                "csrf_token": self.token, "action": "next", "answer": answer, **hidden})
            return (status == 302), ms
        if kind == "home":
            status, _w, _t, ms = t.request("GET", "/me/")
            return (status == 200), ms
        raise ValueError(kind)


class Viewer:
    """A client that only GETs one page: the bare page, or the commissioner's dashboard."""

    def __init__(self, tablet: Tablet, path: str):
        self.tablet, self.path = tablet, path

    def one(self, kind: str, n: int, cards: list[str]) -> tuple[int, float]:
        status, _w, _t, ms = self.tablet.request("GET", self.path)
        return (status == 200), ms


def commissioner(port: int, timeout: float) -> Tablet:
    t = Tablet(port, timeout)
    _w, page = expect(t, "GET", "/login", 200)
    where, _t = expect(t, "POST", "/login", 302, {
        "csrf_token": inputs(page)["csrf_token"][0],
        "username": COMMISSIONER[0], "password": COMMISSIONER[1]})
    expect(t, "GET", "/commissioner/results", 200)
    return t


def bare_viewer(number: int, port: int, timeout: float) -> Viewer:
    t = Tablet(port, timeout)
    expect(t, "GET", f"/sign-in/{number}", 302)
    expect(t, "GET", "/page", 200)
    return Viewer(t, "/page")


# --- Measuring ------------------------------------------------------------------------------------


class Tally:
    def __init__(self):
        self.cpu = 0.0
        self.requests = 0
        self.errors = 0
        self.ms: list[float] = []
        self.problems: list[str] = []


def block(clients, kind: str, count: int, pid: int, tally: Tally, start: int,
          cards: list[str]) -> None:
    """`count` requests of one kind, shared between the clients, one thread each."""
    share = [count // len(clients) + (i < count % len(clients)) for i in range(len(clients))]
    lock = threading.Lock()

    def run(i: int) -> None:
        for k in range(share[i]):
            try:
                ok, ms = clients[i].one(kind, start + k, cards)
            except (OSError, http.client.HTTPException) as problem:
                ok, ms = False, 0.0
                with lock:
                    tally.problems.append(f"{kind}: {type(problem).__name__} {problem}")
            with lock:
                tally.requests += 1
                tally.errors += not ok
                tally.ms.append(ms)

    before = server_cpu_seconds(pid)
    with ThreadPoolExecutor(len(clients)) as pool:
        list(pool.map(run, range(len(clients))))
    tally.cpu += server_cpu_seconds(pid) - before


def prepare(env: dict, clients: int, dashboard_data: bool) -> None:
    """As `make run` (migrate, content, demo accounts, demo results, speech), then the
    clients' person accounts with a fast password hash (as load.py makes them)."""
    prepare_portal(env)
    flask = [str(VENV_BIN / "flask"), "--app", "portal"]
    if dashboard_data:
        done = subprocess.run(flask + ["aggregate", "demo", "--people", "600", "--areas",
                                       "cardiff,vale-of-glamorgan"],
                              env=env, cwd=ROOT, capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"flask aggregate demo failed:\n{done.stderr[-2000:]}")
    accounts(env, clients)


def accounts(env: dict, clients: int) -> None:
    done = subprocess.run([str(VENV_BIN / "python"), "-c", ACCOUNTS, str(clients), USERNAME,
                           PASSWORD], env=env, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"making the clients' accounts failed:\n{done.stderr[-2000:]}")


def ratio_line(cpu_ms: dict[str, float]) -> str:
    """The last line: the bare page's CPU ms and each target kind as a ratio to it."""
    bare = cpu_ms.get("bare") or 0.0

    def ratio(kind: str) -> str:
        return f"{cpu_ms[kind] / bare:.2f}" if bare > 0 and kind in cpu_ms else "nan"

    return (f"bare_ms={bare:.2f} question_ratio={ratio('question')} "
            f"answer_ratio={ratio('answer')} rating_ratio={ratio('rating')} "
            f"mat_ratio={ratio('mat')}")


def run(args, instance: Path) -> int:
    env = {**os.environ, "PORTAL_INSTANCE_PATH": str(instance), "PORTAL_ENV": "development"}
    env.pop("PORTAL_DATABASE_URL", None)  # SQLite in the instance folder, as `make run`
    began = time.monotonic()
    if (instance / "portal.sqlite3").exists():
        accounts(env, args.clients)
    else:
        prepare(env, args.clients, not args.no_dashboard_data)
    setup_s = time.monotonic() - began

    portal_port, bare_port = free_port(), free_port()
    portal = start_server(env, portal_port, args.workers, instance / "gunicorn.log")
    bare = None
    try:
        people = [Person(n, portal_port, args.request_timeout)
                  for n in range(1, args.clients + 1)]
        for p in people:
            p.sign_in()
            p.walk_conversation()
            p.open_mat()
            p.find_ratings()
        boss = commissioner(portal_port, args.request_timeout)
        sizes = [len(people[0].tablet.request("GET", path)[2].encode())
                 for path, _f in people[0].questions]
        page_bytes = round(statistics.median(sizes))

        bare_env = {**os.environ, "BARE_INSTANCE_PATH": str(instance / "bare"),
                    "BARE_PAGE_BYTES": str(page_bytes)}
        bare = start_server(bare_env, bare_port, args.workers, instance / "bare.log",
                            app="benchmarks.bare_app:create_app()")
        viewers = [bare_viewer(n, bare_port, args.request_timeout)
                   for n in range(1, args.clients + 1)]
        bare_bytes = len(viewers[0].tablet.request("GET", "/page")[2].encode())
        clients = {"bare": viewers, "dashboard": [Viewer(boss, "/commissioner/results")]
                   * args.clients}
        for kind in ("question", "answer", "mat", "rating", "home"):
            clients[kind] = people
        pids = {kind: (bare.pid if kind == "bare" else portal.pid) for kind in KINDS}
        cards = mat_cards(MAT)

        tallies = {kind: Tally() for kind in KINDS}
        warm = Tally()
        for kind in KINDS:  # every worker's caches filled, every template compiled
            count = min(args.warm_up, 4) if kind == "dashboard" else args.warm_up
            block(clients[kind], kind, count, pids[kind], warm, 0, cards)
        load_before = os.getloadavg()[0]
        started = time.monotonic()
        per_round = max(1, args.requests // args.rounds)
        dashboard_round = max(1, min(per_round, args.dashboard_requests // args.rounds))
        for r in range(args.rounds):
            for kind in KINDS:
                count = dashboard_round if kind == "dashboard" else per_round
                block(clients[kind], kind, count, pids[kind], tallies[kind],
                      args.warm_up + r * per_round, cards)
        measured_s = time.monotonic() - started
        load_after = os.getloadavg()[0]
        if any(t.errors for t in tallies.values()):  # what the servers said, while kept
            for name, server in (("gunicorn.log", portal), ("bare.log", bare)):
                told = (instance / name).read_text("utf-8", "replace")[-1500:]
                print(f"{name} (server exited: {server.poll()}):\n{told}", file=sys.stderr)
    finally:
        if bare is not None:
            stop(bare)
        stop(portal)

    cpu_ms = {k: 1000 * t.cpu / max(t.requests, 1) for k, t in tallies.items()}
    for problem in [p for t in (warm, *tallies.values()) for p in t.problems][:5]:
        print("error:", problem, file=sys.stderr)
    print(f"setup_s={setup_s:.0f} measured_s={measured_s:.0f} workers={args.workers} "
          f"clients={args.clients} requests_per_kind={per_round * args.rounds} "
          f"rounds={args.rounds} cores={os.cpu_count()} "
          f"load_avg={load_before:.2f}->{load_after:.2f} "
          f"page_bytes: question={page_bytes} bare={bare_bytes} warm_up_errors={warm.errors}")
    print(f"{'kind':<10} {'requests':>8} {'errors':>6} {'cpu_ms':>8} {'ratio':>6} "
          f"{'median_ms':>9}")
    for kind, t in tallies.items():
        ratio = cpu_ms[kind] / cpu_ms["bare"] if cpu_ms["bare"] else float("nan")
        median = statistics.median(t.ms) if t.ms else 0.0
        print(f"{kind:<10} {t.requests:>8} {t.errors:>6} {cpu_ms[kind]:>8.2f} {ratio:>6.2f} "
              f"{median:>9.1f}")
    print(ratio_line(cpu_ms))
    return 0 if not any(t.errors for t in tallies.values()) else 1


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300, help="requests of each kind")
    parser.add_argument("--dashboard-requests", type=int, default=30,
                        help="of the dashboard, which costs about 100 bare pages each")
    parser.add_argument("--rounds", type=int, default=3, help="turns the kinds take")
    parser.add_argument("--warm-up", type=int, default=20, help="unmeasured, of each kind")
    parser.add_argument("--clients", type=int, default=2, help="clients at once, one a thread")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers, both servers")
    parser.add_argument("--instance", type=Path, help="keep (or reuse) the instance folder")
    parser.add_argument("--no-dashboard-data", action="store_true",
                        help="leave out `aggregate demo` (the dashboard is then nearly empty)")
    parser.add_argument("--request-timeout", type=float, default=30)
    args = parser.parse_args(argv)
    if not 1 <= args.requests <= MAX_REQUESTS or not 1 <= args.rounds <= args.requests:
        parser.error(f"--requests must be 1..{MAX_REQUESTS}, --rounds 1..--requests")
    if not 1 <= args.clients <= 20:
        parser.error("--clients must be 1..20")
    if HOST != "127.0.0.1":
        raise SystemExit("only 127.0.0.1")
    if args.instance:
        args.instance.mkdir(parents=True, exist_ok=True)
        return run(args, args.instance.resolve())
    with tempfile.TemporaryDirectory(prefix="portal-overhead-") as instance:
        return run(args, Path(instance))


if __name__ == "__main__":
    sys.exit(main())
