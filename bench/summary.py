"""In-process cost of the event summary API and of the fiscal-year report (issue 20), on the
database the load benchmark builds (bench/load.py prepare(): the demo programme, the door's
event with its 60,000 tickets, the organizer's token), through the Flask test client in one
thread: server time per request (mean and p99, wall), CPU time per request (the application's,
and PostgreSQL's: its backend's time read from /proc, as the server runs on this machine) and SQL
statements per request. The CPU times are what the load benchmark's two cores are shared out by,
and they hold however busy the machine is; wall time does not.

    python bench/summary.py setup                 # once: (re)build the database eventsapp_summary
    python bench/summary.py setup --plain         # the demo programme alone (flask --app eventsapp demo)
    python bench/summary.py measure [--rounds 300] [--profile FILE]

BENCH_SUMMARY_URL names the database (PostgreSQL by default; a sqlite:/// URL works too).
Setup also checks in 2,000 of the door's tickets, as the load benchmark's check-in scenario
has done by the time it asks for the summary. Never run inside the test suite.
"""
import argparse
import cProfile
import io
import json
import os
import pstats
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

from eventsapp import create_app
from eventsapp.catalog.models import Event
from eventsapp.checkin.models import CheckIn, CheckInMethod
from eventsapp.extensions import db
from eventsapp.registration.models import Registration

BENCH = Path(__file__).resolve().parent
URL = os.environ.get("BENCH_SUMMARY_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/eventsapp_summary")
STATE = Path(tempfile.gettempdir()) / f"eventsapp-summary-{URL.rsplit('/', 1)[1]}.json"
CHECKED_IN = 2_000


def plain_demo(url: str) -> dict:
    """The demo programme alone, an organizer's token, and its busiest event (as load.py picks it)."""
    from flask_migrate import upgrade

    from eventsapp.auth.models import Role
    from eventsapp.auth.service import create_user, issue_token
    from eventsapp.demo.programme import load_demo

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False})
    with app.app_context():
        upgrade()
        load_demo(db.session)
        organizer, _ = create_user(db.session, username="bench-office", role=Role.ORGANIZER, password=secrets.token_urlsafe(16))
        busiest = db.session.scalar(sa.select(Registration.event_id).group_by(Registration.event_id)
                                    .order_by(sa.func.count().desc()).limit(1))
        found = {"summary_event": busiest, "organizer": issue_token(db.session, user=organizer), "door": None}
        db.engine.dispose()
    return found


def setup(*, plain: bool) -> None:
    from load import prepare  # bench/load.py: the load benchmark's own database
    if URL.startswith("postgresql"):
        admin = sa.create_engine(URL.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
        name = URL.rsplit("/", 1)[1]
        with admin.connect() as connection:
            connection.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            connection.execute(sa.text(f"CREATE DATABASE {name}"))
        admin.dispose()
    elif URL.startswith("sqlite:///"):
        Path(URL[len("sqlite:///"):]).unlink(missing_ok=True)
    data = plain_demo(URL) if plain else prepare(URL, Path(tempfile.mkdtemp(prefix="eventsapp-summary-")))
    app = create_app({"SQLALCHEMY_DATABASE_URI": URL, "RATELIMIT_ENABLED": False})
    with app.app_context():
        if not plain:
            ids = db.session.scalars(sa.select(Registration.id).where(Registration.event_id == data["door"])
                                     .order_by(Registration.id).limit(CHECKED_IN)).all()
            db.session.execute(sa.insert(CheckIn), [{"registration_id": i, "method": CheckInMethod.QR} for i in ids])
            db.session.commit()
        if URL.startswith("postgresql"):
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.execute(sa.text("VACUUM ANALYZE"))
        db.engine.dispose()
    fiscal_year = None
    with app.app_context():
        fiscal_year = db.session.scalar(sa.select(Event.fiscal_year).where(Event.id == data["summary_event"]))
    data = {"summary_event": data["summary_event"], "organizer": data["organizer"], "fiscal_year": fiscal_year}
    STATE.write_text(json.dumps(data))
    print(f"ready: {data} ({STATE})")


def backend_seconds(pids: set) -> float:
    """CPU time (user + system) the PostgreSQL backends of `pids` have used so far."""
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def timed(client, path: str, headers: dict, rounds: int, counter: list, pids: set) -> dict:
    for _ in range(20):  # warm up: statement compilation caches, the first connection
        assert client.get(path, headers=headers).status_code == 200
    counter[0] = 0
    walls, cpus = [], []
    database = backend_seconds(pids)
    for _ in range(rounds):
        wall, cpu = time.perf_counter(), time.process_time()
        response = client.get(path, headers=headers)
        cpus.append((time.process_time() - cpu) * 1000)
        walls.append((time.perf_counter() - wall) * 1000)
        assert response.status_code == 200, response.data
    database = (backend_seconds(pids) - database) * 1000 / rounds
    walls.sort()
    return {"mean": statistics.fmean(walls), "p99": walls[int(len(walls) * 0.99) - 1],
            "cpu": statistics.fmean(cpus), "db_cpu": database, "statements": counter[0] / rounds}


def measure(rounds: int, profile: str | None) -> None:
    data = json.loads(STATE.read_text())
    app = create_app({"SQLALCHEMY_DATABASE_URI": URL, "RATELIMIT_ENABLED": False})
    headers = {"Authorization": f"Bearer {data['organizer']}"}
    summary = f"/api/v1/events/{data['summary_event']}/summary"
    report = f"/api/v1/reports/fiscal-year/{data['fiscal_year']}"
    counter, pids = [0], set()

    def count(connection, *_):
        counter[0] += 1
        if engine == "postgresql":
            pids.add(connection.connection.dbapi_connection.info.backend_pid)

    engine = URL.split(":", 1)[0].split("+")[0]
    with app.app_context():
        sa.event.listen(db.engine, "before_cursor_execute", count)
    client = app.test_client()
    lines = [f"{engine}, event {data['summary_event']}, {rounds} requests each, one thread"]
    for name, path, n in (("event summary", summary, rounds), ("fiscal-year report", report, max(20, rounds // 10))):
        found = timed(client, path, headers, n, counter, pids)
        lines.append(f"{name:<20} wall mean {found['mean']:6.2f} ms  p99 {found['p99']:6.2f} ms · cpu app"
                     f" {found['cpu']:6.2f} ms + database {found['db_cpu']:5.2f} ms · statements {found['statements']:.1f}")
    print("\n".join(lines))
    if profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(rounds):
            client.get(summary, headers=headers)
        profiler.disable()
        out = io.StringIO()
        out.write("\n".join(lines) + f"\n\ncProfile of {rounds} event summaries (cumulative)\n")
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(40)
        Path(profile).write_text(out.getvalue())
        print(f"profile: {profile}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=("setup", "measure"))
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--profile", help="write the cProfile top of the summary requests here")
    parser.add_argument("--plain", action="store_true", help="setup: the demo programme alone, no load-test data")
    args = parser.parse_args()
    sys.path.insert(0, str(BENCH))
    if args.command == "setup":
        setup(plain=args.plain)
    else:
        measure(args.rounds, args.profile)


if __name__ == "__main__":
    main()
