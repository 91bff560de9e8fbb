"""In-process benchmark: the public event list, an event's page (a browser's view, counted, and
a bot's, not counted; both kept in memory after the first, see bench/pages.py for the cost of a
fresh render) and the events API against a bare Flask endpoint, in the
same run, through the WSGI test client (no network, one thread); and how
long a registration holds its event's row lock, which bounds one event's registrations per
second however many workers there are.

This measures the application's own cost per request. The load test under gunicorn with
several workers, PostgreSQL and Redis is a separate, larger benchmark. Results are printed
as a table and written to bench/results/inprocess.txt. Never run inside the test suite.
"""
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from flask_migrate import upgrade
from sqlalchemy.orm import Session

from baseline import bare_app
from eventsapp import create_app
from eventsapp.auth.models import Role
from eventsapp.auth.service import create_user, issue_token
from eventsapp.catalog.models import Event, EventFormat, EventStatus, Series
from eventsapp.catalog.service import EventInput, save_event, set_event_status
from eventsapp.dates import now
from eventsapp.demo.programme import load_demo
from eventsapp.extensions import db
from eventsapp.people.identity import PersonFields
from eventsapp.registration import service as registration_service
from eventsapp.registration.models import RegistrationMode

ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 300
BROWSER = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36"
BOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


def measure(client, path: str, headers: dict | None = None) -> list[float]:
    for _ in range(20):  # warm up
        client.get(path, headers=headers)
    timings = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        response = client.get(path, headers=headers)
        timings.append(time.perf_counter() - start)
        assert response.status_code == 200, (path, response.status_code)
    return timings


def kana(n: int) -> str:
    return "".join("あいうえおかきくけこ"[int(digit)] for digit in str(n))


def lock_hold(rounds: int) -> list[float]:
    """Seconds each register() holds the event's lock: from taking it to the end of the
    commit that releases it (new person each time, in person; the mail is queued unwritten,
    bench/signup.py measures the public form's whole path). Needs an app context."""
    series_id = db.session.scalar(sa.select(Series.id).limit(1))
    start = now() + timedelta(days=30)
    event = save_event(db.session, EventInput(
        title="ロック計測", series_id=series_id, starts_at=start, ends_at=start + timedelta(hours=2),
        format=EventFormat.IN_PERSON, venue="市役所", capacity=rounds + 20, goals=["collaboration"], scenes=["daily"]))
    set_event_status(db.session, event, EventStatus.PUBLISHED)
    taken, held = [], []
    lock_event = registration_service.lock_event

    def timed_lock_event(session, event_id):
        taken.append(time.perf_counter())
        return lock_event(session, event_id)

    def released(_session) -> None:
        if taken:
            held.append(time.perf_counter() - taken.pop())

    registration_service.lock_event = timed_lock_event
    sa.event.listen(Session, "after_commit", released)
    try:
        for n in range(rounds + 20):
            person = PersonFields(family_name=f"計測{n}", given_name="花子", family_kana=kana(n), given_kana="はなこ",
                                  email=f"bench{n}@example.jp")
            registration_service.register(db.session, event_id=event.id, person=person, mode=RegistrationMode.IN_PERSON)
    finally:
        sa.event.remove(Session, "after_commit", released)
        registration_service.lock_event = lock_event
    return held[20:]  # the first ones warm up


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="eventsapp-bench-"))
    # BENCH_DATABASE_URL: an empty database to run in instead of a new SQLite file (it is filled).
    database = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{workdir / 'bench.sqlite3'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": database, "RATELIMIT_ENABLED": False})
    with app.app_context():
        upgrade()
        load_demo(db.session)
        user, _ = create_user(db.session, username="bench", role=Role.ORGANIZER, password="measured-quietly-2025")
        token = issue_token(db.session, user=user)
        held = lock_hold(ROUNDS)
        page = f"/events/{db.session.scalar(sa.select(Event.id).where(Event.status == EventStatus.PUBLISHED).limit(1))}"
    cases = [
        ("bare Flask endpoint", bare_app().test_client(), "/", None),
        ("public event list (22 events)", app.test_client(), "/", None),
        ("event page, a browser (view counted)", app.test_client(), page, {"User-Agent": BROWSER}),
        ("event page, a bot (not counted)", app.test_client(), page, {"User-Agent": BOT}),
        ("GET /api/v1/events?fiscal_year=2025", app.test_client(), "/api/v1/events?fiscal_year=2025",
         {"Authorization": f"Bearer {token}"}),
    ]
    rows, baseline = [], None
    for name, client, path, headers in cases:
        timings = measure(client, path, headers)
        per_second = len(timings) / sum(timings)
        baseline = baseline or per_second
        p50 = statistics.median(timings) * 1000
        p99 = statistics.quantiles(timings, n=100)[98] * 1000
        rows.append(f"{name:<40} {per_second:>9.0f}/s  p50 {p50:6.2f} ms  p99 {p99:6.2f} ms  ×{per_second / baseline:.3f}")
    p50, p99 = statistics.median(held) * 1000, statistics.quantiles(held, n=100)[98] * 1000
    rows.append(f"{'registration: event lock held':<40} {len(held):>9} regs  p50 {p50:6.2f} ms  p99 {p99:6.2f} ms")
    engine = database.split(":", 1)[0]
    report = "\n".join([f"in-process on {engine}, {ROUNDS} requests each, one thread", *rows])
    print(report)
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    (out / "inprocess.txt").write_text(report + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
