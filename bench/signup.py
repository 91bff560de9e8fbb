"""In-process cost of one public registration (issue 20): the form posted through Flask's test
client on PostgreSQL, a new person each time, all for one event, as bench/load.py's
registration scenario does. Prints CPU ms per request (this process only: the database's own
work is not in it), SQL statements and commits per request, and with --profile the top of a
cProfile of the same requests.

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/eventsapp_signup \
        python bench/signup.py --requests 300 [--profile bench/results/profile-signup.txt]

The database must be migrated and hold the demo (`flask demo`); the script adds its own event (capacity 1,000, like the load
test) each run. Never run inside the test suite.
"""
import argparse
import cProfile
import io
import os
import pstats
import re
import secrets
import statistics
import sys
import time
from datetime import time as clock_time, timedelta
from pathlib import Path

import psycopg
import sqlalchemy as sa
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from eventsapp import create_app  # noqa: E402
from eventsapp.catalog.models import EventFormat, EventStatus, Series  # noqa: E402
from eventsapp.catalog.service import EventInput, save_event, set_event_status  # noqa: E402
from eventsapp.dates import now, to_tokyo, tokyo_datetime  # noqa: E402
from eventsapp.extensions import db  # noqa: E402
from eventsapp.people.identity import PersonFields  # noqa: E402
from eventsapp.registration import service as registration_service  # noqa: E402
from eventsapp.registration.models import RegistrationMode  # noqa: E402

BASE = "https://127.0.0.1:8765"
HIGH_LIMIT = "10000000 per minute"
PROFILE_LINES = 35
REFERER = {"Referer": f"{BASE}/"}  # Flask-WTF checks it over HTTPS


def make_event(session) -> int:
    series = session.scalar(sa.select(Series).order_by(Series.id))
    day = to_tokyo(now()).date() + timedelta(days=30)
    starts_at = tokyo_datetime(day, clock_time(18, 30))
    event = save_event(session, EventInput(
        title="負荷試験（申込）", series_id=series.id, format=EventFormat.IN_PERSON, venue="市役所 第1会議室",
        starts_at=starts_at, ends_at=starts_at + timedelta(minutes=90), capacity=1000,
        goals=["collaboration"], scenes=["daily"],
    ))
    set_event_status(session, event, EventStatus.PUBLISHED)
    return event.id


class Counter:
    """SQL statements (SQLAlchemy's before_cursor_execute) and every round trip to the server
    (psycopg's cursor executions, the pool's ping among them, and its BEGIN/COMMIT/ROLLBACK)."""

    def __init__(self):
        self.statements = self.round_trips = 0
        self.texts: list[str] = []

    def on_execute(self, _conn, _cursor, statement, *_args):
        self.statements += 1

    def watch_psycopg(self) -> None:
        counter, execute, command = self, psycopg.Cursor.execute, psycopg.Connection._exec_command

        def counted_execute(cursor, query, *args, **kwargs):
            counter.round_trips += 1
            counter.texts.append(str(query).split("\n")[0][:110])
            return execute(cursor, query, *args, **kwargs)

        def counted_command(connection, query, *args, **kwargs):
            counter.round_trips += 1
            counter.texts.append(bytes(query).decode() if isinstance(query, bytes) else str(query))
            return command(connection, query, *args, **kwargs)

        psycopg.Cursor.execute, psycopg.Connection._exec_command = counted_execute, counted_command


class LockClock:
    """How long each registration holds the event's lock: from asking for it (lock_event) to
    the end of the commit that releases it, one thread, so nobody else waits for it here."""

    def __init__(self):
        self.taken: list[float] = []
        self.held: list[float] = []
        lock_event = registration_service.lock_event

        def timed_lock_event(session, event_id):
            self.taken.append(time.perf_counter())
            return lock_event(session, event_id)

        registration_service.lock_event = timed_lock_event
        sa.event.listen(Session, "after_commit", self.released)

    def released(self, _session) -> None:
        if self.taken:
            self.held.append(time.perf_counter() - self.taken.pop())

    def median_ms(self) -> float:
        return statistics.median(self.held) * 1000


def rule_alone(app, event_id: int, run: str, requests: int) -> float:
    """CPU ms per registration of the same people through register() itself, without HTTP: the
    floor under any web stack (the rest of a registration's CPU is its way through Flask, the form
    and the page it answers with)."""
    def one(n: int) -> None:
        with app.app_context():
            registered = registration_service.register(
                db.session, event_id=event_id, mode=RegistrationMode.IN_PERSON,
                person=PersonFields(family_name="負荷", given_name="試験", family_kana="ふか", given_kana="しけん",
                                    email=f"bench-{run}-alone-{n}@example.jp"))
            assert registered.created

    for n in range(20):
        one(-n - 1)
    started = time.process_time()
    for n in range(requests):
        one(n)
    return (time.process_time() - started) / requests * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--profile", type=Path, help="write the cProfile top here")
    parser.add_argument("--show-statements", action="store_true", help="print the statements of one request")
    args = parser.parse_args()
    app = create_app({
        "SQLALCHEMY_DATABASE_URI": os.environ["DATABASE_URL"], "PRODUCTION": True,
        "SECRET_KEY": secrets.token_urlsafe(48), "PUBLIC_BASE_URL": BASE,
        "RATELIMIT_STORAGE_URI": "memory://", "PUBLIC_FORM_RATE_LIMIT": HIGH_LIMIT,
        "MAIL_SEND_AFTER_REQUEST": False,
    })
    with app.app_context():
        event_id = make_event(db.session)
        db.session.remove()
    client = app.test_client()
    page = client.get(f"/events/{event_id}/register", base_url=BASE).text
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    form = {"csrf_token": csrf, "family_name": "負荷", "given_name": "試験", "family_kana": "ふか",
            "given_kana": "しけん", "mode": "in_person", "consent": "y"}
    run = secrets.token_hex(4)

    def post(n: int):
        response = client.post(f"/events/{event_id}/register", base_url=BASE, headers=REFERER,
                               data={**form, "email": f"bench-{run}-{n}@example.jp"})
        assert response.status_code == 302, (response.status_code, response.text[:500])

    for n in range(20):  # warm up: templates compiled, statements cached, connections open
        post(-n - 1)
    counter = Counter()
    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", counter.on_execute)
    counter.watch_psycopg()
    post(0)
    if args.show_statements:
        print("\n".join(counter.texts))
    one = (counter.statements, counter.round_trips)
    counter.statements = counter.round_trips = 0
    clock = LockClock()
    profiler = cProfile.Profile() if args.profile else None
    started_cpu, started_wall = time.process_time(), time.perf_counter()
    if profiler:
        profiler.enable()
    for n in range(1, args.requests + 1):
        post(n)
    if profiler:
        profiler.disable()
    cpu, wall = time.process_time() - started_cpu, time.perf_counter() - started_wall
    summary = (f"{args.requests} registrations: {cpu / args.requests * 1000:.2f} ms CPU, "
               f"{wall / args.requests * 1000:.2f} ms wall per request; SQL statements {one[0]}, round trips {one[1]} "
               f"(one request); on average {counter.statements / args.requests:.1f} statements, "
               f"{counter.round_trips / args.requests:.1f} round trips; event lock held {clock.median_ms():.2f} ms (median)")
    summary += f"\nthe rule alone, no HTTP (register() in an application context): {rule_alone(app, event_id, run, args.requests):.2f} ms CPU"
    print(summary)
    if profiler:
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("cumulative").print_stats(PROFILE_LINES)
        text = out.getvalue().replace(str(Path(pstats.__file__).parent) + "/", "")
        text = re.sub(r"/\S*/site-packages/", "", text).replace(str(Path(__file__).resolve().parent.parent) + "/", "")
        args.profile.parent.mkdir(exist_ok=True)
        args.profile.write_text(summary + "\n(cProfile: its own overhead roughly doubles every time below)\n" + text,
                                encoding="utf-8")


if __name__ == "__main__":
    main()
