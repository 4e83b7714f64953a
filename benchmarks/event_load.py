"""A listening event under load: N tablets join one event and answer at once.

    .venv/bin/python benchmarks/event_load.py --participants 40 --answers 30

It serves the portal the way `make run` does (gunicorn, 4 workers, SQLite in WAL mode, in a
temporary PORTAL_INSTANCE_PATH, after `db upgrade`, `content load` and `seed-demo`), or on
an empty PostgreSQL database of this machine, as a council serves it, with
`--database-url postgresql+psycopg://postgres@127.0.0.1:5432/NAME`;
creates one open event for demo-facilitator, then simulates the participants on
127.0.0.1 only, each with its own cookie jar: join with the code, choose a language (half
Welsh, half English), agree, and POST M answers. See benchmarks/README.md for what an
"answer" is when M is more than the conversation's questions.

Unless `--mat-moves 0 --ratings 0`, the event also has a mat and the outcome ratings: each
participant who finishes places cards on the mat (JSON moves, as mat.js sends them, the
first one twice at once) and rates the first statements, after its answers; these are
counted on their own line (a placement a card, a rating a statement).

Some answers are double submits (the same POST sent twice at the same moment) and some
participants abandon halfway; the rest finish. Then the server is stopped and the rows are
counted in the database. The last line is always:

    participants=N answers_sent=S answers_stored=T duplicates=D errors=E p95_ms=P
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.load import (  # noqa: E402
    database_cpu_seconds,
    server_cpu_seconds,
    stored_answers,
)
from benchmarks.server import (  # noqa: E402 - the portal's root first, as a script
    HOST,
    ROOT,
    VENV_BIN,
    check_database_url,
    free_port,
    prepare_portal,
    start_server,
    stop,
)

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
MAX_PARTICIPANTS = 200
MAX_ANSWERS = 200


# --- The conversation, from the content files ------------------------------------------------


def questions_of(conversation: str) -> list[tuple[str, list[str]]]:
    data = tomllib.loads((ROOT / "easyread_assets" / "conversations.toml").read_text("utf-8"))
    found = [q for q in data["question"] if q.get("conversation") == conversation]
    found.sort(key=lambda q: (q.get("order", 0), q["key"]))
    return [(q["key"], list(q.get("cards", []))) for q in found]


MAT = "home"  # the mat every participant does when --mat-moves is more than 0
MAT_POINTS = ("good", "not-sure", "not-good")
PLACE_URL = re.compile(r'data-place-url="(/join/mats/session/\d+/place)"')
MAT_CSRF = re.compile(r'data-csrf="([^"]+)"')
HIDDEN = re.compile(r'name="(statement|shown)" value="([^"]*)"')


def mat_cards(mat: str) -> list[str]:
    data = tomllib.loads((ROOT / "easyread_assets" / "mats.toml").read_text("utf-8"))
    return [c["key"] for c in data["card"] if c["key"].startswith(f"{mat}.")]


# --- One tablet: its own cookie jar -------------------------------------------------------------


@dataclass
class Tablet:
    port: int
    timeout: float
    cookies: dict = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    sent: int = 0  # requests made

    def request(self, method: str, path: str, form: dict | None = None,
                json_body: dict | None = None, csrf: str | None = None):
        body = urlencode(form, doseq=True) if form is not None else None
        headers = {"Host": f"{HOST}:{self.port}"}
        with self.lock:
            self.sent += 1
            if self.cookies:
                headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"http://{HOST}:{self.port}"
        if json_body is not None:  # a move on the mat, as mat.js sends it
            body = json.dumps(json_body)
            headers.update({"Content-Type": "application/json", "Accept": "application/json",
                            "X-CSRFToken": csrf or "", "Origin": f"http://{HOST}:{self.port}"})
        conn = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
        try:
            started = time.perf_counter()
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
            elapsed = (time.perf_counter() - started) * 1000
        finally:
            conn.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            with self.lock:
                for name, morsel in cookie.items():
                    self.cookies[name] = morsel.value
        return response.status, response.headers.get("Location", ""), text, elapsed


@dataclass
class Outcome:
    slots: dict = field(default_factory=dict)  # question key -> last words sent
    posts: int = 0
    doubles: int = 0
    errors: list = field(default_factory=list)
    answer_ms: list = field(default_factory=list)
    conversation_id: int | None = None
    abandoned: bool = False
    mat_cards: set = field(default_factory=set)  # cards this participant placed
    ratings: int = 0  # statements rated
    activity_ms: list = field(default_factory=list)  # mat moves and ratings
    requests: int = 0  # of every kind, joining included


def participant(number: int, args, port: int, code: str, questions) -> Outcome:
    out = Outcome(abandoned=args.abandon_every > 0 and number % args.abandon_every == 1)
    tablet = Tablet(port, args.request_timeout)
    language = "cy" if number % 2 else "en"
    try:
        status, _where, _text, _ms = tablet.request("GET", f"/join/{code}")
        if status != 200:
            out.errors.append(f"join {status}")
            return out
        status, where, _text, _ms = tablet.request(
            "GET", f"/language/{language}?next=/join/{code}/agree")
        status, _where, text, _ms = tablet.request("GET", f"/join/{code}/agree")
        token = CSRF.search(text)
        if status != 200 or token is None:
            out.errors.append(f"agree page {status}")
            return out
        csrf = token.group(1)
        status, where, _text, _ms = tablet.request("POST", f"/join/{code}/agree",
                                                   {"csrf_token": csrf})
        if status == 302 and where.endswith("/join/menu"):  # mats or ratings: a menu first
            status, _where, text, _ms = tablet.request("GET", "/join/menu")
            where = text if status == 200 else ""
        found = re.search(r"/join/answer/(\d+)/", where)
        if not found:
            out.errors.append(f"agree {status}")
            return out
        out.conversation_id = int(found.group(1))
        base = f"/join/answer/{out.conversation_id}"
        # Joining starts a fresh session (nothing of anyone before): the first question's
        # page carries this participant's own form token, as in a browser.
        status, _where, text, _ms = tablet.request("GET", f"{base}/q/{questions[0][0]}")
        token = CSRF.search(text)
        if status != 200 or token is None:
            out.errors.append(f"first question {status}")
            return out
        csrf = token.group(1)
        total = args.answers
        if out.abandoned:  # stops halfway through the questions, never finishes
            total = max(1, min(args.answers, len(questions)) // 2)
        for i in range(total):
            key, cards = questions[i % len(questions)]
            words = f"p{number} a{i} {language}"
            form = {"csrf_token": csrf, "action": "next", "words": words,
                    "cards": cards[i % len(cards):i % len(cards) + 1] if cards else []}
            path = f"{base}/q/{key}"
            double = args.double_every > 0 and i % args.double_every == args.double_every - 1
            sends = 2 if double else 1
            with ThreadPoolExecutor(sends) as pool:
                results = list(pool.map(tablet.request, ["POST"] * sends, [path] * sends,
                                        [form] * sends))
            for status, where, _text, ms in results:
                out.answer_ms.append(ms)
                if status != 302 or "/join/answer/" not in where:
                    out.errors.append(f"answer {key} {status} {where}")
            out.posts += sends
            out.doubles += sends - 1
            out.slots[key] = words
        if not out.abandoned:
            activities(tablet, args, out, csrf)
            status, where, _text, _ms = tablet.request(
                "POST", f"{base}/share", {"csrf_token": csrf, "share": "no"})
            if status == 302 and where.endswith("/join/menu"):  # then "I've finished"
                status, where, _text, _ms = tablet.request(
                    "POST", f"/join/{code}/reset", {"csrf_token": csrf})
            if status != 302 or not where.endswith(f"/join/{code}/thanks"):
                out.errors.append(f"finish {status} {where}")
    except (OSError, http.client.HTTPException) as problem:
        out.errors.append(f"{type(problem).__name__}: {problem}")
    out.requests = tablet.sent
    return out


def activities(tablet: Tablet, args, out: Outcome, csrf: str) -> None:
    """The mat (moves saved one at a time as JSON, the first sent twice at once, as a
    double tap) and the first outcome statements, timed with the answers."""
    if args.mat_moves > 0:  # "Start" opens the mat (a GET only looks), then the mat itself
        tablet.request("POST", f"/join/mats/{MAT}/start", form={"csrf_token": csrf})
        status, _where, text, _ms = tablet.request("GET", f"/join/mats/{MAT}")
        place, token = PLACE_URL.search(text), MAT_CSRF.search(text)
        if status != 200 or place is None or token is None:
            out.errors.append(f"mat page {status}")
            return
        cards = mat_cards(MAT)
        for i in range(args.mat_moves):
            move = {"card": cards[i % len(cards)], "point": MAT_POINTS[i % len(MAT_POINTS)]}
            sends = 2 if i == 0 else 1
            with ThreadPoolExecutor(sends) as pool:
                results = list(pool.map(
                    lambda _n, move=move: tablet.request("POST", place.group(1),
                                                         json_body=move, csrf=token.group(1)),
                    range(sends)))
            for status, _where, _text, ms in results:
                out.activity_ms.append(ms)
                if status != 200:
                    out.errors.append(f"mat move {move['card']} {status}")
            out.mat_cards.add(move["card"])
    for number in range(1, args.ratings + 1):
        status, _where, text, _ms = tablet.request("GET", f"/join/how-true/{number}")
        hidden = dict(HIDDEN.findall(text))
        if status != 200 or "statement" not in hidden:
            out.errors.append(f"statement page {number} {status}")
            return
        status, where, _text, ms = tablet.request("POST", f"/join/how-true/{number}", {
            "csrf_token": csrf, "action": "next", "answer": "always", **hidden})
        out.activity_ms.append(ms)
        if status != 302:
            out.errors.append(f"rating {number} {status}")
        else:
            out.ratings += 1


def rows_of(database_url: str, query: str) -> list[tuple]:
    """The rows of one query, on SQLite or PostgreSQL, after the server has stopped."""
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(query))]
    finally:
        engine.dispose()


def count_activities(database_url: str) -> tuple[int, int]:
    """(mat placements, ratings) stored for the event's participants."""
    placements = rows_of(database_url, (
        "SELECT count(*) FROM mat_placements p JOIN mat_sessions s ON s.id = p.session_id "
        "WHERE s.participant_id IS NOT NULL"))[0][0]
    ratings = rows_of(database_url, (
        "SELECT count(*) FROM ratings r JOIN rating_sessions s ON s.id = r.session_id "
        "WHERE s.participant_id IS NOT NULL"))[0][0]
    return placements, ratings


# --- The server --------------------------------------------------------------------------------


def prepare(env: dict, with_mat: bool = False, with_ratings: bool = False) -> str:
    """Migrate, load content and demo data, and open one event: its join code."""
    prepare_portal(env)
    script = (
        "from datetime import date\n"
        "from sqlalchemy import select\n"
        "from portal import create_app\n"
        "from portal.core.extensions import db\n"
        "from portal.events import store\n"
        "from portal.models import LocalAuthority, User\n"
        "app = create_app()\n"
        "with app.app_context():\n"
        "    user = db.session.scalar(select(User).where(User.username == 'demo-facilitator'))\n"
        "    area = db.session.scalar(select(LocalAuthority).where("
        "LocalAuthority.code == 'cardiff'))\n"
        "    event = store.create_event(facilitator_id=user.id, title_en='Load test',\n"
        "        title_cy='Prawf llwyth', event_date=date.today(), venue='Here',\n"
        "        local_authority_id=area.id, conversation_key='what-matters',\n"
        f"        mat_keys={MAT if with_mat else ''!r}, use_ratings={with_ratings!r})\n"
        "    db.session.commit()\n"
        "    print(event.join_code)\n"
    )
    done = subprocess.run([str(VENV_BIN / "python"), "-c", script], env=env, cwd=ROOT,
                          check=True, capture_output=True, text=True)
    return done.stdout.strip().splitlines()[-1]


def count_rows(database_url: str, conversation_ids: list[int]) -> tuple[int, int, dict]:
    """(rows stored, rows beyond one per question, {(conversation, key): words})."""
    found = stored_answers(database_url, set(conversation_ids))
    stored = sum(len(texts) for texts in found.values())
    return stored, stored - len(found), {slot: texts[-1] for slot, texts in found.items()}


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=40)
    parser.add_argument("--answers", type=int, default=30)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--double-every", type=int, default=5,
                        help="every Nth answer of a participant is sent twice at once")
    parser.add_argument("--abandon-every", type=int, default=8,
                        help="every Nth participant stops halfway and never finishes")
    parser.add_argument("--mat-moves", type=int, default=4,
                        help="cards each finishing participant places on a mat (0: no mat)")
    parser.add_argument("--ratings", type=int, default=2,
                        help="outcome statements each finishing participant rates (0: none)")
    parser.add_argument("--request-timeout", type=float, default=30)
    parser.add_argument("--time-limit", type=float, default=600)
    parser.add_argument("--database-url", help="an empty PostgreSQL database on this machine; "
                        "default SQLite")
    args = parser.parse_args(argv)
    if args.database_url:
        check_database_url(args.database_url)
    if not 1 <= args.participants <= MAX_PARTICIPANTS or not 1 <= args.answers <= MAX_ANSWERS:
        parser.error(f"participants and answers must be 1..{MAX_PARTICIPANTS}/{MAX_ANSWERS}")

    questions = questions_of("what-matters")
    with tempfile.TemporaryDirectory(prefix="event-load-") as instance:
        # SQLite in the instance folder, as `make run`, unless a PostgreSQL database is given.
        database_url = args.database_url or f"sqlite:///{Path(instance) / 'portal.sqlite3'}"
        env = {**os.environ, "PORTAL_INSTANCE_PATH": instance, "PORTAL_ENV": "development",
               "PORTAL_DATABASE_URL": database_url}
        code = prepare(env, args.mat_moves > 0, args.ratings > 0)
        port = free_port()
        server = start_server(env, port, args.workers)
        started = time.monotonic()
        server_cpu, client_cpu = server_cpu_seconds(server.pid), time.process_time()
        database_cpu = database_cpu_seconds() if args.database_url else 0.0
        try:
            with ThreadPoolExecutor(args.participants) as pool:
                futures = [pool.submit(participant, n, args, port, code, questions)
                           for n in range(1, args.participants + 1)]
                outcomes = [f.result(timeout=args.time_limit) for f in futures]
            server_cpu = server_cpu_seconds(server.pid) - server_cpu
            client_cpu = time.process_time() - client_cpu
            if args.database_url:
                database_cpu = database_cpu_seconds() - database_cpu
        finally:
            stop(server)
        seconds = time.monotonic() - started
        ids = [o.conversation_id for o in outcomes if o.conversation_id is not None]
        stored, duplicates, words = count_rows(database_url, ids)
        placements, ratings = count_activities(database_url)

    errors = [e for o in outcomes for e in o.errors]
    sent = sum(len(o.slots) for o in outcomes)
    # The stored row must hold the last change sent: a lost update is an error too.
    for o in outcomes:
        for key, text in o.slots.items():
            if words.get((o.conversation_id, key)) != text:
                errors.append(f"conversation {o.conversation_id} {key}: stored "
                              f"{words.get((o.conversation_id, key))!r}, sent {text!r}")
    # A placement a card and a rating a statement, however often they were sent; the
    # saved ratings keep the statements not answered as skipped, so count only the sent.
    placed = sum(len(o.mat_cards) for o in outcomes)
    rated = sum(o.ratings for o in outcomes)
    if placements != placed:
        errors.append(f"mat placements stored {placements}, distinct sent {placed}")
    if ratings != rated:
        errors.append(f"ratings stored {ratings}, sent {rated}")
    for problem in errors[:10]:
        print("error:", problem, file=sys.stderr)
    timings = [ms for o in outcomes for ms in o.answer_ms]
    print(f"posts={sum(o.posts for o in outcomes)} "
          f"double_submits={sum(o.doubles for o in outcomes)} "
          f"abandoned={sum(o.abandoned for o in outcomes)} seconds={seconds:.1f} "
          f"workers={args.workers} database={'postgresql' if args.database_url else 'sqlite'}")
    # The tablets share the machine with the server: how the cores were used. The kernel's
    # work for the sockets is in none of these, so `vmstat` may show the machine busier
    # (benchmarks/README.md).
    requests = sum(o.requests for o in outcomes)
    print(f"cpu: server_s={server_cpu:.1f} database_s={database_cpu:.1f} "
          f"tablets_s={client_cpu:.1f} requests={requests} "
          f"server_ms_per_request={1000 * server_cpu / max(requests, 1):.1f} "
          f"cores_busy={(server_cpu + database_cpu + client_cpu) / max(seconds, 0.001):.2f} "
          f"of {os.cpu_count()}")
    print(f"mat_moves_sent={placed} mat_placements_stored={placements} "
          f"ratings_sent={rated} ratings_stored={ratings} activity_p95_ms="
          f"{percentile([ms for o in outcomes for ms in o.activity_ms], 0.95):.0f}")
    print(f"participants={len(outcomes)} answers_sent={sent} answers_stored={stored} "
          f"duplicates={duplicates} errors={len(errors)} p95_ms={percentile(timings, 0.95):.0f}")
    return 0 if not errors and duplicates == 0 and stored == sent else 1


if __name__ == "__main__":
    sys.exit(main())
