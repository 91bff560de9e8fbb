"""In-process cost of one check-in (issue 20): the door's API through the WSGI test client, one
thread, on PostgreSQL with Redis as the rate-limit store, as the load benchmark runs it
(production settings, limits far above the load), a new ticket per request.

    python bench/door.py                 # 400 check-ins, then 400 replays of their nonces
    python bench/door.py 400 --profile   # and the cProfile top into bench/results/profile-door.txt

Per request: CPU ms of this process (the application, its drivers and the test client; the least
of the batches' means, and their mean), wall ms, SQL statements (SQLAlchemy's before_cursor_execute),
PostgreSQL round trips (statements, the pool's pings, BEGIN and COMMIT) and the CPU the backends
spent on them, Redis round trips (commands sent on a connection, a pipeline counting once) and
Python function calls (a measure of CPU that a busy machine does not blur). A row "the rule
alone" does the same check-ins without HTTP (the token's user and check_in() in an application
context): the floor under any web stack, and the share of the rest that is the request's way
through Flask and its extensions. The database
`eventsapp_door` is dropped and created again (BENCH_ADMIN_URL names the server). Never run inside the test suite.
"""
import argparse
import cProfile
import io
import os
import pstats
import secrets
import sys
import time
from pathlib import Path

import psycopg
import redis
import sqlalchemy as sa
from flask_migrate import upgrade
from load import HIGH_LIMIT, add_tickets, bench_event
from redis.connection import Connection

from baseline import bare_app
from eventsapp import create_app
from eventsapp.auth import token_user
from eventsapp.auth.models import Role, hash_token
from eventsapp.auth.service import create_user, issue_token
from eventsapp.checkin.service import Scan, check_in
from eventsapp.demo.programme import load_demo
from eventsapp.extensions import db

ADMIN_URL = os.environ.get("BENCH_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
DATABASE = "eventsapp_door"
RESULTS = Path(__file__).resolve().parent / "results"
WARM_UP = 30


def fresh_database() -> str:
    with psycopg.connect(ADMIN_URL, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {DATABASE}")
    return ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://") + f"/{DATABASE}"


class RoundTrips:
    """Counts what is sent to Redis: one per command, one per pipeline."""

    def __init__(self):
        self.count = 0
        self.original = Connection.send_packed_command

    def __enter__(self):
        counter = self

        def counted(connection, command, check_health=True):
            counter.count += 1
            return counter.original(connection, command, check_health)

        Connection.send_packed_command = counted
        return self

    def __exit__(self, *exc):
        Connection.send_packed_command = self.original


class PostgresRoundTrips:
    """Counts what psycopg sends: each statement (SQLAlchemy's, and the pool's pre-ping) and
    each BEGIN, COMMIT or ROLLBACK; each is one round trip."""

    def __init__(self, log: list | None = None):
        self.count, self.log = 0, log
        self.execute, self.command = psycopg.Cursor.execute, psycopg.Connection._exec_command

    def __enter__(self):
        counter = self

        def execute(cursor, *args, **kwargs):
            counter.count += 1
            if counter.log is not None:
                counter.log.append(" ".join(str(args[0]).split())[:150])
            return counter.execute(cursor, *args, **kwargs)

        def command(connection, *args, **kwargs):
            counter.count += 1
            if counter.log is not None:
                counter.log.append(str(args[0]))
            return (yield from counter.command(connection, *args, **kwargs))

        psycopg.Cursor.execute, psycopg.Connection._exec_command = execute, command
        return self

    def __exit__(self, *exc):
        psycopg.Cursor.execute, psycopg.Connection._exec_command = self.execute, self.command


class Statements:
    def __init__(self, engine):
        self.engine, self.count = engine, 0

    def __call__(self, *args):
        self.count += 1

    def __enter__(self):
        sa.event.listen(self.engine, "before_cursor_execute", self)
        return self

    def __exit__(self, *exc):
        sa.event.remove(self.engine, "before_cursor_execute", self)


def prepare(url: str, tickets: int) -> dict:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False})
    with app.app_context():
        upgrade()
        load_demo(db.session)  # tables of a real size, as the load benchmark has them
        reception, _ = create_user(db.session, username="bench-door", role=Role.RECEPTION,
                                   password=secrets.token_urlsafe(16))
        door = bench_event(db.session, title="計測（受付）", capacity=None, under_way=True)
        found = {"door": door.id, "tickets": add_tickets(db.session, door, tickets),
                 "token": issue_token(db.session, user=reception)}
        db.engine.dispose()
    return found


class PythonCalls:
    """Counts Python and C function calls: unlike CPU time, the same on a busy machine."""

    def __init__(self):
        self.count = 0

    def __call__(self, frame, event, arg):
        if event in ("call", "c_call"):
            self.count += 1

    def __enter__(self):
        sys.setprofile(self)
        return self

    def __exit__(self, *exc):
        sys.setprofile(None)


def backend_cpu_seconds(url: str) -> float:
    """CPU time so far of the PostgreSQL backends serving the bench's database (it runs on the
    same machine: /proc), which the application's round trips cost the server."""
    tick = os.sysconf("SC_CLK_TCK")
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as connection:
        pids = [pid for (pid,) in connection.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")]
    total = 0.0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return total


def send(client, request: tuple[str, dict | None], headers: dict, expected: set[int]) -> None:
    path, body = request
    response = client.get(path, headers=headers) if body is None else client.post(path, json=body, headers=headers)
    assert response.status_code in expected, (response.status_code, response.get_json())


def run(do, requests: list, engine, batch: int = 50, url: str | None = None) -> dict:
    """CPU ms per request done by `do`: the least of the batches' means (other work on the machine
    only adds to it) and the mean of all; wall ms; per request SQL statements, PostgreSQL and Redis
    round trips, and Python calls (counted on one more batch)."""
    batches, wall = [], 0.0
    backend = backend_cpu_seconds(url) if url else 0.0
    with Statements(engine) as statements, PostgresRoundTrips() as pg, RoundTrips() as trips:
        for start in range(0, len(requests) - batch, batch):
            start_cpu, start_wall = time.process_time(), time.perf_counter()
            for request in requests[start:start + batch]:
                do(request)
            batches.append((time.process_time() - start_cpu) / batch)
            wall += time.perf_counter() - start_wall
    n = batch * len(batches)
    backend = backend_cpu_seconds(url) - backend if url else 0.0
    with PythonCalls() as calls:
        for request in requests[-batch:]:
            do(request)
    return {"cpu_ms": 1000 * min(batches), "cpu_mean_ms": 1000 * sum(batches) / len(batches),
            "wall_ms": 1000 * wall / n, "sql": statements.count / n, "pg": pg.count / n,
            "redis": trips.count / n, "calls": calls.count / batch, "pg_cpu_ms": 1000 * backend / n}


def rule_alone(app, token: str, event_id: int):
    """A check-in without HTTP: in an application context, the token's user found by the API's
    own statement, then check_in() with its commit. What no web stack can go below: the rest of
    a check-in's CPU is the request's way through Flask and its extensions."""
    token_hash = hash_token(token)

    def do(request):
        _path, body = request
        with app.app_context():
            staff = db.session.execute(token_user(), {"token_hash": token_hash}).one().User
            result = check_in(db.session, event_id=event_id, scan=Scan(ticket=body["ticket"], nonce=body["nonce"]),
                              staff=staff)
            assert result.created, result

    return do


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("rounds", type=int, nargs="?", default=400)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--trace", action="store_true", help="print what one check-in and one replay send")
    args = parser.parse_args()
    url = fresh_database()
    data = prepare(url, 2 * WARM_UP + 3 * args.rounds + 100 + (args.rounds if args.profile else 0))
    prefix = f"eventsapp-door-{os.getpid()}-{secrets.token_hex(4)}"
    app = create_app({
        "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": secrets.token_urlsafe(48), "PRODUCTION": True,
        "PUBLIC_BASE_URL": "http://localhost", "RATELIMIT_STORAGE_URI": REDIS_URL,
        "RATELIMIT_KEY_PREFIX": prefix, "CHECKIN_RATE_LIMIT": HIGH_LIMIT, "MAIL_SEND_AFTER_REQUEST": False,
    })
    headers = {"Authorization": f"Bearer {data['token']}"}
    path = f"/api/v1/events/{data['door']}/checkins"
    scans = [(path, {"ticket": ticket, "nonce": f"door-bench-{n:06d}"}) for n, ticket in enumerate(data["tickets"])]
    warm, rest = scans[:WARM_UP], scans[WARM_UP:]
    measured, rest = rest[:args.rounds + 50], rest[args.rounds + 50:]
    client = app.test_client()
    with app.app_context():
        engine = db.engine
    try:
        for request in warm:
            send(client, request, headers, {201})
        if args.trace:
            for name, request in (("check-in", rest[0]), ("replay", warm[0])):
                log: list[str] = []
                with PostgresRoundTrips(log), RoundTrips() as trips:
                    send(client, request, headers, {201})
                print(f"{name}: {len(log)} PostgreSQL round trips, {trips.count} Redis", *log, sep="\n  ")
            rest = rest[1:]
        def through_api(request):
            send(client, request, headers, {201})

        check_in = run(through_api, measured, engine, url=url)
        replay = run(through_api, measured, engine, url=url)
        alone, rest = rest[:args.rounds + 50], rest[args.rounds + 50:]
        floor = run(rule_alone(app, data["token"], data["door"]), alone, engine, url=url)
        bare_client = bare_app().test_client()
        bare = run(lambda request: send(bare_client, request, {}, {200}), [("/", None)] * (args.rounds + 50), engine)
        lines = [
            f"check-in in-process, PostgreSQL + Redis limiter, production settings; {args.rounds} requests each",
            f"{'':<26}{'CPU ms':>7}{'mean':>7}{'wall ms':>8}{'SQL':>5}{'PG trips':>9}{'PG CPU':>7}{'Redis':>6}"
            f"{'Py calls':>9}",
        ]
        for name, row in (("check-in (new ticket)", check_in), ("replay (same nonce)", replay),
                          ("the rule alone, no HTTP", floor), ("bare Flask (test client)", bare)):
            lines.append(f"{name:<26}{row['cpu_ms']:>7.2f}{row['cpu_mean_ms']:>7.2f}{row['wall_ms']:>8.2f}"
                         f"{row['sql']:>5.1f}{row['pg']:>9.1f}{row['pg_cpu_ms']:>7.2f}{row['redis']:>6.1f}"
                         f"{row['calls']:>9.0f}")
        print("\n".join(lines))
        if args.profile:
            profile(client, rest[:args.rounds], headers, lines)
    finally:
        store = redis.Redis.from_url(REDIS_URL)
        for key in store.scan_iter(f"*{prefix}*"):
            store.delete(key)


def profile(client, requests: list, headers: dict, lines: list[str]) -> None:
    """cProfile of the check-ins, CPU time, cumulative: bench/results/profile-door.txt."""
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    for request in requests:
        send(client, request, headers, {201})
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(40)
    RESULTS.mkdir(exist_ok=True)
    text = "\n".join(lines) + f"\n\ncProfile (CPU time, cumulative) of {len(requests)} check-ins:\n" + out.getvalue()
    (RESULTS / "profile-door.txt").write_text(text, encoding="utf-8")
    print(out.getvalue())


if __name__ == "__main__":
    sys.exit(main())
