"""Many tablets answering What Matters conversations at once, against the real server.

    .venv/bin/python benchmarks/load.py --users 400 --duration 180
    .venv/bin/python benchmarks/load.py --users 400 --duration 180 \\
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/portal_load

It serves the portal the way `make run` does (gunicorn with 4 workers on 127.0.0.1, a
temporary PORTAL_INSTANCE_PATH, after `db upgrade`, `content load` and `seed-demo`), on the
SQLite file in that folder or on the PostgreSQL database given, and makes one person
account a tablet (with a fast password hash, so signing in 400 people measures the portal,
not the hash). Each tablet signs in, chooses Welsh or English (half each), starts the What
Matters conversation and answers it as a person does: open the question, think for 2 to 6
seconds, choose a picture and type some words, press Next; at the end it finishes and
starts again. The person thinks on every screen they act on, not only on questions: the
sign-in form, the home page before Start, "who is with you". Redirects are followed at
once, as a browser does. `--hurried-sign-in` leaves out the thinking while signing in and
starting (the flow of earlier runs: nine requests back to back). Only 127.0.0.1 is ever
contacted.

The tablets start one after another over --ramp-up seconds: by default 60, people
arriving over a minute. `--ramp-up 6` is a storm instead, all 400 arriving within six
seconds; with `--hurried-sign-in` too, all 400 sign in within those seconds. The output
gives signing in and answering apart, and the p95 of each minute, so both can be read off
one run.

When the time is up the server stops, and every answer a tablet sent is looked up in the
database: it must be stored exactly once, with the words sent. The last line is always

    users=N requests=R errors=E p95_ms=P p99_ms=Q

where `errors` counts requests that did not get their expected answer (or failed), and
answers not stored exactly once as sent; p95/p99 are over every request's response time.
"""

from __future__ import annotations

import argparse
import html
import http.client
import math
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

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

MAX_USERS = 1000
MAX_DURATION = 900
PASSWORD = "bench-password"  # noqa: S105 - throwaway accounts in a throwaway database
USERNAME = "bench-tablet-{:04d}"
CONVERSATION = "what-matters"
WORKERS = 4


# --- One tablet ----------------------------------------------------------------------------------


_INPUT = re.compile(r"<input\b[^>]*>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r'\s([a-z_-]+)="([^"]*)"', re.IGNORECASE)


def inputs(page: str) -> dict[str, list[str]]:
    """The form fields of a page: csrf_token, shown_item, and the card choices.

    A regular expression, not html.parser: 400 tablets share the server's 2 cores, and the
    parser's CPU time would be counted against the portal (real tablets have their own)."""
    values: dict[str, list[str]] = {}
    for tag in _INPUT.findall(page):
        attributes = {k.lower(): html.unescape(v) for k, v in _ATTRIBUTE.findall(tag)}
        name = attributes.get("name")
        if name:
            values.setdefault(name, []).append(attributes.get("value") or "")
    return values


class Failed(Exception):
    """A request did not get the answer a browser would expect; counted as an error."""


class TimeUp(Exception):
    """The run ended while the tablet's person was reading a screen."""


@dataclass
class Tablet:
    number: int
    port: int
    timeout: float
    deadline: float
    think: tuple[float, float]
    # Think on every screen the person acts on (sign-in form, home, "who is with you"), not
    # only on questions; False reproduces the old hurried flow, each sign-in back to back.
    think_while_signing_in: bool = True
    cookies: dict = field(default_factory=dict)
    timings: list = field(default_factory=list)
    sign_in_timings: list = field(default_factory=list)  # each timing is also in one of
    answer_timings: list = field(default_factory=list)  # these two
    minutes: list = field(default_factory=list)  # the minute of the run of each timing
    began: float = field(default_factory=time.monotonic)
    signing_in: bool = False
    errors: list = field(default_factory=list)
    sent: dict = field(default_factory=dict)  # (conversation id, question key) -> words
    unsure: set = field(default_factory=set)  # answers whose POST failed: stored or not
    rng: random.Random = field(default_factory=random.Random)

    def request(self, method: str, path: str, form: dict | None = None):
        body = urlencode(form, doseq=True) if form is not None else None
        headers = {"Host": f"{HOST}:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"http://{HOST}:{self.port}"
        connection = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
        started = time.perf_counter()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            connection.close()
        took = (time.perf_counter() - started) * 1000
        self.timings.append(took)
        self.minutes.append(int((time.monotonic() - self.began) // 60))
        (self.sign_in_timings if self.signing_in else self.answer_timings).append(took)
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                if morsel.value and morsel["max-age"] != "0" and "1970" not in morsel["expires"]:
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        return response.status, response.headers.get("Location", ""), text

    def expect(self, method, path, status, form=None, where: str = ""):
        got, location, text = self.request(method, path, form)
        if got != status or (where and not re.search(where, urlsplit(location).path)):
            raise Failed(f"{method} {path}: {got} {location}")
        return location, text

    def pause(self) -> bool:
        """Think, as a person does; False when the time is up."""
        left = self.deadline - time.monotonic()
        if left <= 0:
            return False
        time.sleep(min(left, self.rng.uniform(*self.think)))
        return time.monotonic() < self.deadline

    def read_and_act(self) -> None:
        """The person reads a screen and acts on it (types, chooses, presses)."""
        if self.think_while_signing_in and not self.pause():
            raise TimeUp

    # --- the person's flow ---

    def sign_in(self) -> str:
        self.signing_in = True
        try:
            return self._sign_in()
        finally:
            self.signing_in = False

    def _sign_in(self) -> str:
        _, page = self.expect("GET", "/login", 200)
        self.read_and_act()
        self.expect("POST", "/login", 302, {
            "csrf_token": inputs(page)["csrf_token"][0],
            "username": USERNAME.format(self.number), "password": PASSWORD,
        }, where=r"^/me/$")
        language = "cy" if self.number % 2 else "en"
        self.read_and_act()
        self.expect("GET", f"/language/{language}?next=/me/", 302)
        _, page = self.expect("GET", "/me/", 200)
        self.read_and_act()  # then presses Start
        return inputs(page)["csrf_token"][0]

    def start(self, token: str) -> str:
        """Start (or carry on) the conversation: the path of its current question."""
        location, _ = self.expect("POST", f"/conversations/start/{CONVERSATION}", 302,
                                  {"csrf_token": token}, where=r"^/conversations/\d+/")
        if location.endswith("/who"):
            self.expect("GET", location, 200)
            self.read_and_act()
            location, _ = self.expect("POST", location, 302,
                                      {"csrf_token": token, "who": "alone"})
        location, _ = self.expect("GET", location, 302, where=r"/q/")
        return location

    def answer(self, path: str) -> str | None:
        """Open the question, think, answer; where the portal goes next (None: time up)."""
        _, page = self.expect("GET", path, 200)
        if not self.pause():
            return None
        fields = inputs(page)
        conversation_id, key = re.search(r"/conversations/(\d+)/q/([\w-]+)", path).groups()
        cards = fields.get("cards", [])
        words = f"tablet {self.number} said this at {time.time():.3f}: ŵŷ"
        form = {"csrf_token": fields["csrf_token"][0], "action": "next", "words": words,
                "shown_item": fields.get("shown_item", [""])[0],
                "cards": self.rng.sample(cards, min(len(cards), self.rng.randint(0, 2)))}
        slot = (int(conversation_id), key)
        try:
            location, _ = self.expect("POST", path, 302, form, where=r"^/conversations/\d+/")
        except (Failed, OSError, http.client.HTTPException):
            self.unsure.add(slot)  # the server may or may not have stored it
            raise
        self.sent[slot] = words
        return location

    def finish(self, share_path: str, token: str) -> None:
        self.expect("GET", share_path, 200)
        self.expect("POST", share_path, 302, {"csrf_token": token, "share": "no"},
                    where=r"/summary$")

    def run(self, start_delay: float) -> Tablet:
        time.sleep(start_delay)
        while time.monotonic() < self.deadline:
            try:
                token = self.sign_in()
                path = self.start(token)
                while path is not None:
                    if path.endswith("/share"):
                        self.finish(path, token)
                        if not self.pause():
                            break
                        path = self.start(token)
                        continue
                    path = self.answer(path)
                return self
            except TimeUp:
                return self
            except (Failed, OSError, http.client.HTTPException, KeyError) as problem:
                self.errors.append(f"tablet {self.number}: {type(problem).__name__} {problem}")
                self.cookies.clear()  # begin again, as a person would: sign in
                if not self.pause():
                    return self
        return self


# --- The server ----------------------------------------------------------------------------------


# Run in its own process with the portal's environment: argv is users, name pattern, password.
ACCOUNTS = """
import sys
from sqlalchemy import select
from portal import create_app
from portal.core.extensions import db
from portal.models import LocalAuthority, Person, User
users, pattern, password = int(sys.argv[1]), sys.argv[2], sys.argv[3]
app = create_app({"PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
with app.app_context():
    area = db.session.scalar(select(LocalAuthority).where(LocalAuthority.code == "cardiff"))
    have = set(db.session.scalars(select(User.username).where(User.username.like("bench-%"))))
    for number in range(1, users + 1):
        name = pattern.format(number)
        if name in have:
            continue
        user = User(username=name, role="person", display_name=f"Tablet {number}")
        user.set_password(password)
        db.session.add(user)
        db.session.flush()
        db.session.add(Person(user_id=user.id, display_name=f"Tablet {number}",
                              local_authority_id=area.id))
    db.session.commit()
"""


def prepare(env: dict, users: int) -> None:
    """Migrate, load content and demo data, as `make run` does; then the tablets' accounts."""
    prepare_portal(env)
    done = subprocess.run([str(VENV_BIN / "python"), "-c", ACCOUNTS, str(users), USERNAME,
                           PASSWORD], env=env, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"making the tablets' accounts failed:\n{done.stderr[-2000:]}")


# --- Was every answer stored once? ----------------------------------------------------------------


def stored_answers(database_url: str, conversation_ids: set[int]) -> dict:
    """{(conversation id, question key): [texts]} for the tablets' conversations."""
    from sqlalchemy import bindparam, create_engine, text

    query = text("SELECT conversation_id, question_key, text FROM answers "
                 "WHERE conversation_id IN :ids").bindparams(bindparam("ids", expanding=True))
    engine = create_engine(database_url)
    found: dict = {}
    try:
        with engine.connect() as connection:
            ids = sorted(conversation_ids)
            for start in range(0, len(ids), 500):
                rows = connection.execute(query, {"ids": ids[start:start + 500]})
                for conversation_id, key, words in rows:
                    found.setdefault((conversation_id, key), []).append(words)
    finally:
        engine.dispose()
    return found


def answer_problems(tablets: list[Tablet], database_url: str) -> tuple[dict, list[str]]:
    sent = {slot: words for t in tablets for slot, words in t.sent.items()}
    unsure = {slot for t in tablets for slot in t.unsure} - set(sent)
    stored = stored_answers(database_url, {c for c, _k in sent} | {c for c, _k in unsure})
    problems = []
    counts = {"sent": len(sent), "stored_once": 0, "missing": 0, "wrong": 0, "extra": 0}
    for slot, words in sent.items():
        rows = stored.get(slot, [])
        if rows == [words]:
            counts["stored_once"] += 1
        elif not rows:
            counts["missing"] += 1
            problems.append(f"{slot}: sent {words!r}, not stored")
        else:
            counts["wrong"] += 1
            problems.append(f"{slot}: sent {words!r}, stored {rows!r}")
    for slot, rows in stored.items():
        if slot not in sent and slot not in unsure:
            counts["extra"] += 1
            problems.append(f"{slot}: stored {rows!r}, never sent")
        elif slot in unsure and len(rows) > 1:
            counts["extra"] += 1
            problems.append(f"{slot}: stored {len(rows)} times")
    return counts, problems


def _cpu_seconds(pids) -> float:
    """CPU time used so far by these processes (Linux /proc; 0 elsewhere)."""
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    total = 0
    for one in pids:
        try:
            fields = Path(f"/proc/{one}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # a process that ended in between
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / tick


def server_cpu_seconds(pid: int) -> float:
    """CPU time used so far by gunicorn and its workers."""
    pids = [pid]
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            pids += [int(c) for c in (task / "children").read_text().split()]
    except OSError:
        return 0.0
    return _cpu_seconds(pids)


def database_cpu_seconds() -> float:
    """CPU time used so far by the PostgreSQL server's processes on this machine."""
    try:
        pids = [p.name for p in Path("/proc").iterdir() if p.name.isdigit()
                and (p / "comm").read_text().strip() == "postgres"]
    except OSError:
        return 0.0
    return _cpu_seconds(pids)


def machine_ticks() -> tuple[int, int]:
    """(all, stolen) CPU ticks of the machine so far: a virtual machine's host may take
    time away from it, and then every figure here is worse than the portal's own."""
    try:
        fields = [int(f) for f in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return 0, 0
    return sum(fields[:8]), fields[7] if len(fields) > 7 else 0


def percentile(values: list[float], share: float) -> float:
    """Nearest rank."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered), math.ceil(share * len(ordered))) - 1)]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=400, help="simulated tablets")
    parser.add_argument("--duration", type=float, default=180, help="seconds of answering")
    parser.add_argument("--think-min", type=float, default=2.0)
    parser.add_argument("--think-max", type=float, default=6.0)
    parser.add_argument("--ramp-up", type=float, default=60,
                        help="seconds over which the tablets start (default 60)")
    parser.add_argument("--hurried-sign-in", action="store_true",
                        help="no think time while signing in and starting (the old flow)")
    parser.add_argument("--workers", type=int, default=WORKERS, help="gunicorn workers")
    parser.add_argument("--database-url", help="PostgreSQL on this machine; default SQLite")
    parser.add_argument("--request-timeout", type=float, default=30)
    parser.add_argument("--seed", type=int, default=None, help="for repeatable think times")
    args = parser.parse_args(argv)
    if not 1 <= args.users <= MAX_USERS:
        parser.error(f"--users must be 1..{MAX_USERS}")
    if not 1 <= args.duration <= MAX_DURATION:
        parser.error(f"--duration must be 1..{MAX_DURATION} seconds")
    if not 0 <= args.think_min <= args.think_max <= 60:
        parser.error("think times must be 0 <= --think-min <= --think-max <= 60")
    if args.database_url:
        check_database_url(args.database_url)
    ramp = max(0.0, args.ramp_up)
    threading.stack_size(512 * 1024)  # hundreds of mostly sleeping threads

    with tempfile.TemporaryDirectory(prefix="portal-load-") as instance:
        database_url = args.database_url or f"sqlite:///{Path(instance) / 'portal.sqlite3'}"
        env = {**os.environ, "PORTAL_INSTANCE_PATH": instance, "PORTAL_ENV": "development",
               "PORTAL_DATABASE_URL": database_url}
        began = time.monotonic()
        prepare(env, args.users)
        prepared = time.monotonic() - began
        port = free_port()
        server = start_server(env, port, args.workers, Path(instance) / "gunicorn.log")
        try:
            started = time.monotonic()
            server_cpu = server_cpu_seconds(server.pid)
            client_cpu = time.process_time()
            database_cpu = database_cpu_seconds() if args.database_url else 0.0
            ticks = machine_ticks()
            deadline = started + ramp + args.duration
            seeds = random.Random(args.seed)
            tablets = [Tablet(n, port, args.request_timeout, deadline,
                              (args.think_min, args.think_max),
                              think_while_signing_in=not args.hurried_sign_in,
                              rng=random.Random(seeds.random()), began=started)
                       for n in range(1, args.users + 1)]
            with ThreadPoolExecutor(args.users) as pool:
                futures = [pool.submit(t.run, ramp * (n / args.users))
                           for n, t in enumerate(tablets)]
                limit = ramp + args.duration + 2 * args.request_timeout + 60
                for future in futures:
                    future.result(timeout=max(1.0, started + limit - time.monotonic()))
            answered = time.monotonic() - started
            server_cpu = server_cpu_seconds(server.pid) - server_cpu
            client_cpu = time.process_time() - client_cpu
            if args.database_url:
                database_cpu = database_cpu_seconds() - database_cpu
            ticks = tuple(now - then for now, then in zip(machine_ticks(), ticks, strict=True))
        finally:
            stop(server)
        counts, problems = answer_problems(tablets, database_url)

    errors = [e for t in tablets for e in t.errors] + problems
    for problem in errors[:10]:
        print("error:", problem, file=sys.stderr)
    timings = [ms for t in tablets for ms in t.timings]
    database = "postgresql" if args.database_url else "sqlite"
    print(f"database={database} workers={args.workers} setup_s={prepared:.1f} "
          f"run_s={answered:.1f} think_s={args.think_min:g}-{args.think_max:g} "
          f"requests_per_s={len(timings) / max(answered, 0.001):.1f} "
          f"median_ms={percentile(timings, 0.5):.0f} max_ms={max(timings, default=0):.0f}")
    # The tablets run on the same machine as the server: how the cores were shared.
    busy = (server_cpu + client_cpu + database_cpu) / max(answered, 0.001)
    print(f"cpu: server_s={server_cpu:.0f} database_s={database_cpu:.0f} "
          f"tablets_s={client_cpu:.0f} "
          f"server_ms_per_request={1000 * server_cpu / max(len(timings), 1):.1f} "
          f"cores_busy={busy:.2f} of {os.cpu_count()} "
          f"stolen_by_host_pct={100 * ticks[1] / max(ticks[0], 1):.1f}")
    # Signing in (sign-in page, password, language, home) apart from the rest, all of which
    # is answering: with a short --ramp-up, 400 sign-ins at once are a storm of their own.
    signing_in = [ms for t in tablets for ms in t.sign_in_timings]
    answering = [ms for t in tablets for ms in t.answer_timings]
    print(f"ramp_up_s={ramp:g} signing_in: requests={len(signing_in)} "
          f"p95_ms={percentile(signing_in, 0.95):.0f} answering: requests={len(answering)} "
          f"p95_ms={percentile(answering, 0.95):.0f}")
    by_minute: dict[int, list[float]] = {}
    for t in tablets:
        for minute, ms in zip(t.minutes, t.timings, strict=True):
            by_minute.setdefault(minute, []).append(ms)
    print("p95_ms_by_minute=" + ",".join(f"{percentile(by_minute[m], 0.95):.0f}"
                                         for m in sorted(by_minute)))
    print("answers: " + " ".join(f"{k}={v}" for k, v in counts.items()))
    print(f"users={args.users} requests={len(timings)} errors={len(errors)} "
          f"p95_ms={percentile(timings, 0.95):.0f} p99_ms={percentile(timings, 0.99):.0f}")
    return 0 if not errors else 1


if __name__ == "__main__":
    sys.exit(main())
