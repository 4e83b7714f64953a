"""Fill a database with N realistic ratings, then time the dashboard's queries and a full
rebuild of the rollups (issue 8).

    .venv/bin/python benchmarks/aggregate.py --ratings 100000 [--database-url URL]

Many people in all 22 local authorities, 8 quarters, self and proxy views, and about one
rating in ten from anonymous participants of listening events with their age bands (bulk
inserts; the rollups are then built in bulk). A few ratings are then changed through the ORM, as
the rating pages do, so the rollups move incrementally; a full rebuild must give the same
table. The last line is `ratings=N dashboard_ms=D rebuild_s=R consistent=yes|no`.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, select  # noqa: E402

from portal import create_app  # noqa: E402
from portal.core.extensions import db  # noqa: E402

START = datetime(2024, 1, 1)
HOW_TRUE = {"always": 100.0, "mostly": 200 / 3, "sometimes": 100 / 3, "not-true": 0.0}


def fill(n: int, rng: random.Random) -> None:
    from portal.content.store import load_content
    from portal.models import (
        CircleMember,
        ContentItem,
        Event,
        EventParticipant,
        LocalAuthority,
        Person,
        Rating,
        RatingSession,
        Role,
        User,
    )
    from portal.ops.demo import seed_areas

    load_content()
    seed_areas()
    db.session.commit()
    las = [la.id for la in db.session.scalars(select(LocalAuthority))]
    statements = [(s.key.split(".", 1)[1], s.id) for s in db.session.scalars(select(
        ContentItem).where(ContentItem.kind == "statement", ContentItem.is_current))]
    scale = db.session.scalar(select(ContentItem.id).where(ContentItem.key == "scale.how-true"))
    points = [(db.session.scalar(select(ContentItem.id).where(
        ContentItem.key == f"scale_point.how-true.{k}")), v) for k, v in HOW_TRUE.items()]
    conn = db.session.connection()
    helper = User(username="bench-helper", role=Role.SUPPORTER, display_name="Helper")
    helper.set_password("bench-password")
    db.session.add(helper)
    db.session.flush()
    per_person = len(statements) * 3  # about three sessions each
    people = max(1, n // per_person)
    conn.execute(insert(Person), [{"id": i + 1, "display_name": f"P{i}",
                                   "local_authority_id": rng.choice(las)} for i in range(people)])
    conn.execute(insert(CircleMember), [{"person_id": i + 1, "user_id": helper.id,
                                         "relation": rng.choice(["family", "paid_carer",
                                                                 "advocate"])}
                                        for i in range(people)])
    # Listening events: one per area and quarter, each participant rating once.
    events, participants = [], []
    for index, la in enumerate(las):
        for quarter in range(8):
            day = START + timedelta(days=quarter * 91 + rng.randrange(0, 80))
            events.append({"id": len(events) + 1, "facilitator_id": helper.id,
                           "title_en": "Event", "title_cy": "Digwyddiad",
                           "description_en": "", "description_cy": "",
                           "event_date": day.date(), "venue": "Hall", "local_authority_id": la,
                           "conversation_key": "what-matters", "use_ratings": True,
                           "join_code": f"B{index:02d}{quarter}", "created_at": day,
                           "closed_at": day})
    conn.execute(insert(Event), events)
    sessions, ratings = [], []
    session_id = 0
    while len(ratings) < n:
        session_id += 1
        when = START + timedelta(days=rng.randrange(0, 730), seconds=rng.randrange(86400))
        if rng.random() < 0.1:
            event = rng.choice(events)
            participants.append({"id": len(participants) + 1, "event_id": event["id"],
                                 "token_hash": f"{len(participants):064d}", "language": "en",
                                 "age_band": rng.choice(["16-24", "25-34", "35-49", "50-64",
                                                         "65+", "not_said", None]),
                                 "consented_at": event["closed_at"]})
            sessions.append({"id": session_id, "person_id": None,
                             "participant_id": len(participants), "language": "en",
                             "perspective": "self", "rated_by_user_id": None, "position": 1,
                             "finished_at": event["closed_at"]})
        else:
            person = rng.randrange(people) + 1
            proxy = rng.random() < 0.35
            sessions.append({"id": session_id, "person_id": person, "participant_id": None,
                             "language": "en",
                             "perspective": rng.choice(["proxy_own_view", "proxy_their_view"])
                             if proxy else "self",
                             "rated_by_user_id": helper.id if proxy else None,
                             "position": 1, "finished_at": when})
        lean = rng.random()
        for key, item in statements:
            if len(ratings) >= n:
                break
            point, score = rng.choices(points, weights=[lean, 1, 1, 1 - lean])[0]
            ratings.append({"session_id": session_id, "statement_key": key,
                            "statement_item_id": item, "scale_item_id": scale,
                            "point_item_id": point, "status": "rated", "score": score})
    for start in range(0, len(participants), 20000):
        conn.execute(insert(EventParticipant), participants[start:start + 20000])
    for start in range(0, len(sessions), 20000):
        conn.execute(insert(RatingSession), sessions[start:start + 20000])
    for start in range(0, len(ratings), 50000):
        conn.execute(insert(Rating), ratings[start:start + 50000])
    db.session.commit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ratings", type=int, required=True)
    parser.add_argument("--database-url")
    parser.add_argument("--cost", action="store_true",
                        help="also count the cells published before and after issue 16")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="aggregate-bench-"))
    url = args.database_url or f"sqlite:///{work / 'bench.sqlite3'}"
    app = create_app({"ENVIRONMENT": "testing", "DATABASE_URL": url, "TESTING": True,
                      "INSTANCE_PATH": str(work / "instance"),
                      "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    rng = random.Random(8)
    with app.app_context():
        from portal.commissioning.data import content, cube, periods, respondents, view
        from portal.commissioning.rollups import rebuild, rollup_table
        from portal.commissioning.themes import theme_cube, theme_view
        from portal.models import ContentItem, Rating

        db.drop_all()
        db.create_all()
        started = time.perf_counter()
        fill(args.ratings, rng)
        print(f"filled {args.ratings} ratings in {time.perf_counter() - started:.1f}s")
        started = time.perf_counter()
        rebuild(db.session.connection())
        db.session.commit()
        print(f"bulk rollup build {time.perf_counter() - started:.1f}s")
        # Changes through the ORM move the rollups incrementally.
        others = list(db.session.scalars(select(ContentItem).where(
            ContentItem.key.like("scale_point.how-true.%"))))
        def some_ratings(count: int):
            # Of people, not event participants: a safety statement's lowest answer raises
            # a follow-up for a named person (portal/answering/ratings/safety.py), which a
            # participant is not.
            found = []
            while len(found) < count:
                rating = db.session.get(Rating, rng.randrange(1, args.ratings + 1))
                if rating.session.person_id is not None:
                    found.append(rating)
            return found

        saves = []
        for rating in some_ratings(50):
            point = rng.choice(others)
            rating.point_item_id = point.id
            rating.score = round(100 * point.data["score"] / 3, 6)
            started = time.perf_counter()
            db.session.commit()  # the rollups move with it (rollups.refresh_marked)
            saves.append((time.perf_counter() - started) * 1000)
        saves.sort()
        print(f"changed rating saved, with its rollups, ms: median {saves[len(saves) // 2]:.1f} "
              f"p90 {saves[int(len(saves) * 0.9)]:.1f}")
        words = content()

        def dashboard() -> float:
            started = time.perf_counter()
            periods()
            respondents("2025")
            c = cube("2025", "self", 10)
            view(c, words, "region:cardiff-and-vale", "*", "*")
            view(c, words, "la:cardiff", "*", "*")
            themes = theme_cube("2025", 10)
            theme_view(themes, "region:cardiff-and-vale", "*", "*")
            return (time.perf_counter() - started) * 1000

        # Cold: the first view after a rating changed builds and suppresses the cube.
        # Warm: later views with the rollups unchanged reuse it (portal/commissioning/data.py
        # keeps it with the exact counts it came from, and reads the rollups every time).
        cold = []
        for rating in some_ratings(3):
            point = rng.choice(others)
            rating.point_item_id = point.id
            rating.score = round(100 * point.data["score"] / 3, 6)
            db.session.commit()
            cold.append(dashboard())
        timings = [dashboard() for _ in range(5)]
        dashboard_ms = sorted(timings)[len(timings) // 2]
        print(f"dashboard cold (after a change) ms: {' '.join(f'{t:.0f}' for t in cold)}")
        print(f"dashboard warm ms: {' '.join(f'{t:.0f}' for t in timings)}")
        if args.cost:
            from benchmarks.disclosure_cost import measure, report

            print(report(measure()))
        incremental = rollup_table(db.session.connection())
        started = time.perf_counter()
        rebuild(db.session.connection())
        db.session.commit()
        rebuild_s = time.perf_counter() - started
        consistent = rollup_table(db.session.connection()) == incremental
        if args.database_url is None:
            db.engine.dispose()
    print(f"ratings={args.ratings} dashboard_ms={dashboard_ms:.0f} rebuild_s={rebuild_s:.1f} "
          f"consistent={'yes' if consistent else 'no'}")


if __name__ == "__main__":
    main()
