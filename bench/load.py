"""Load benchmark (issue 8, issue 20): the application under gunicorn on PostgreSQL, with Redis as
the rate-limit store, driven by wrk over loopback, against two ceilings under the same gunicorn
settings in the same run: a bare Flask endpoint, and the same endpoint writing one row durably
(one INSERT … RETURNING and its commit per request, the least a request that must write costs).

    python bench/load.py                          # 10 s per scenario, 32 connections
    python bench/load.py --duration 20 --connections 64 --worker-class sync
    python bench/load.py --only checkin,registration

Scenarios (--only takes their keys): checkin (the check-in API, a new ticket per request),
registration (the public form, a new person per request, an event whose capacity the run
overflows), summary (the event summary API), public-list (the public event list) and event-page
(an event's public page, as a phone's browser asks for it, so that its view is counted). Each is
reported as requests/s, p50/p99 latency, errors, its ratios to both ceilings, and the machine's
CPU during the run (the share busy, and CPU ms per request of every process on the machine: a
scenario near 100% busy is bound by CPU, one well below it by waiting); the summary API is
also timed one request at a time, by a server started again with a log of its own request times
(gunicorn's %(D)s: the server time), and at the client on a kept-alive connection. After the run
the database is checked: as many check-ins as 201 answers at most, and no event holds more
confirmed seats than its capacity.

Needs wrk (Debian: apt-get install wrk), PostgreSQL and Redis. The database `eventsapp_bench`
is dropped and created again (BENCH_ADMIN_URL names the server). Rate limits stay on, counted in
Redis, with limits set far above the load so that their cost is measured, not their refusals.
Results go to stdout and bench/results/load.txt. Never run inside the test suite.
"""
import argparse
import http.client
import json
import os
import platform
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import time as clock_time, timedelta
from pathlib import Path

import psycopg
import redis
import sqlalchemy as sa
from flask_migrate import upgrade

from eventsapp import create_app
from eventsapp.auth.models import Role
from eventsapp.auth.service import create_user, issue_token
from eventsapp.catalog.models import Event, EventFormat, EventStatus, Series
from eventsapp.catalog.service import EventInput, save_event, set_event_status
from eventsapp.dates import now, to_tokyo, tokyo_datetime
from eventsapp.demo.programme import load_demo
from eventsapp.extensions import db
from eventsapp.people.models import Person
from eventsapp.registration.models import (
    Registration,
    RegistrationMode,
    RegistrationSource,
    RegistrationStatus,
)
from eventsapp.registration.tickets import new_token

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "results"
GUNICORN = Path(sys.executable).with_name("gunicorn")
ADMIN_URL = os.environ.get("BENCH_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
DATABASE = "eventsapp_bench"
TICKETS = 60_000  # more than the check-in scenario can use up
REGISTRATION_CAPACITY = 1_000
HIGH_LIMIT = "10000000 per minute"
PHONE_BROWSER = ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko)"
                 " Chrome/126.0 Mobile Safari/537.36")

# Every scenario's script reports wrk's own summary as one JSON line.
LUA_COMMON = r"""
local threads, counter = {}, 1
function setup(thread)
  thread:set("id", counter)
  table.insert(threads, thread)
  counter = counter + 1
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests":%d,"duration_us":%d,"connect":%d,"read":%d,"write":%d,"status":%d,' ..
    '"timeout":%d,"p50_us":%d,"p99_us":%d}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
"""

# One ticket per request: thread k of n takes every n-th line of the ticket file.
LUA_CHECKIN = r"""
local tokens, n = {}, 0
function init(args)
  local stride, i = tonumber(args[2]), 0
  for line in io.lines(args[1]) do
    if i % stride == id - 1 then table.insert(tokens, line) end
    i = i + 1
  end
end
function request()
  n = n + 1
  local body = '{"ticket":"' .. tokens[(n - 1) % #tokens + 1] .. '","nonce":"bench-' .. id .. '-' .. n .. '-nonce"}'
  return wrk.format("POST", nil, nil, body)
end
"""

# One new person per request: their own given name and its furigana (thread and number spelled
# in kana, one syllable per digit) and e-mail address; the rest of the form is fixed.
LUA_REGISTRATION = r"""
local n = 0
local syllables = {"%E3%81%82", "%E3%81%84", "%E3%81%86", "%E3%81%88", "%E3%81%8A",
                   "%E3%81%8B", "%E3%81%8D", "%E3%81%8F", "%E3%81%91", "%E3%81%93"}  -- あいうえお かきくけこ
local function kana(number)
  local spelled = ""
  for digit in tostring(number):gmatch("%d") do spelled = spelled .. syllables[tonumber(digit) + 1] end
  return spelled
end
function request()
  n = n + 1
  local given = kana(id) .. "%E3%82%93" .. kana(n)  -- ん between thread and number
  return wrk.format("POST", nil, nil, wrk.body .. "&given_name=" .. given .. "&given_kana=" .. given
                    .. "&email=bench-" .. id .. "-" .. n .. "%40example.jp")
end
"""


@dataclass
class Scenario:
    name: str
    path: str
    method: str = "GET"
    headers: dict | None = None
    body: str = ""
    script: str = ""
    args: tuple = ()


@dataclass
class Outcome:
    name: str
    per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int
    busy: float  # the share of the machine's CPUs in use during the run (all processes)
    cpu_ms: float  # the machine's CPU per request: application, PostgreSQL, Redis, wrk and kernel


def cpu_times() -> tuple[float, float]:
    """The machine's busy and total CPU seconds so far (/proc/stat, all CPUs)."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    tick = os.sysconf("SC_CLK_TCK")
    return (sum(fields[:8]) - idle) / tick, sum(fields[:8]) / tick


def require_tools() -> None:
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install -y wrk")
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.RedisError as error:
        sys.exit(f"Redis at {REDIS_URL} is not reachable: {error}")


def fresh_database() -> str:
    with psycopg.connect(ADMIN_URL, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {DATABASE}")
    with psycopg.connect(ADMIN_URL.rsplit("/", 1)[0] + f"/{DATABASE}", autocommit=True) as connection:
        connection.execute("CREATE TABLE bench_writes (id bigserial PRIMARY KEY,"
                           " written_at timestamptz NOT NULL DEFAULT now(), note text NOT NULL)")
    return ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://") + f"/{DATABASE}"


def bench_event(session, *, title: str, capacity: int | None, under_way: bool = False) -> Event:
    """An event in 30 days (registration), or one running now (the door's hours: checkin/window.py)."""
    series = session.scalar(sa.select(Series).order_by(Series.id))
    day = to_tokyo(now()).date() + timedelta(days=30)
    starts_at = now() - timedelta(minutes=30) if under_way else tokyo_datetime(day, clock_time(18, 30))
    event = save_event(session, EventInput(
        title=title, series_id=series.id, format=EventFormat.IN_PERSON, venue="市役所 第1会議室",
        starts_at=starts_at, ends_at=starts_at + timedelta(minutes=90),
        capacity=capacity, goals=["collaboration"], scenes=["daily"],
    ))
    set_event_status(session, event, EventStatus.PUBLISHED)
    return event


def add_tickets(session, event: Event, count: int) -> list[str]:
    """`count` registered people for the door, inserted in bulk; returns their ticket tokens."""
    person_ids = session.scalars(
        sa.insert(Person).returning(Person.id),
        [{"family_name": "受付", "given_name": f"{n}", "family_kana": "うけつけ"} for n in range(count)],
    ).all()
    tokens = [new_token() for _ in person_ids]
    session.execute(sa.insert(Registration), [
        {"event_id": event.id, "person_id": person_id, "mode": RegistrationMode.IN_PERSON,
         "status": RegistrationStatus.REGISTERED, "source": RegistrationSource.STAFF,
         "ticket_token": token, "manage_token": new_token()}
        for person_id, token in zip(person_ids, tokens, strict=True)
    ])
    session.commit()
    return tokens


def prepare(url: str, workdir: Path) -> dict:
    """Demo programme, staff, an event for the door and one to register for."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False})
    with app.app_context():
        upgrade()
        load_demo(db.session)
        reception, _ = create_user(db.session, username="bench-door", role=Role.RECEPTION, password=secrets.token_urlsafe(16))
        organizer, _ = create_user(db.session, username="bench-office", role=Role.ORGANIZER, password=secrets.token_urlsafe(16))
        door = bench_event(db.session, title="負荷試験（受付）", capacity=None, under_way=True)
        tickets = workdir / "tickets.txt"
        tickets.write_text("\n".join(add_tickets(db.session, door, TICKETS)) + "\n")
        open_event = bench_event(db.session, title="負荷試験（申込）", capacity=REGISTRATION_CAPACITY)
        busiest = db.session.scalar(
            sa.select(Registration.event_id).group_by(Registration.event_id)
            .where(Registration.event_id < door.id).order_by(sa.func.count().desc()).limit(1))
        found = dict(
            door=door.id, open_event=open_event.id, summary_event=busiest, tickets=tickets,
            reception=issue_token(db.session, user=reception), organizer=issue_token(db.session, user=organizer),
        )
        db.engine.dispose()
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as connection:
        connection.execute("ANALYZE")  # what autovacuum does soon after a bulk load: plans from real row counts
    return found


def start_gunicorn(target: str, port: int, args: argparse.Namespace, env: dict, log: Path,
                   extra: tuple | list = ()) -> subprocess.Popen:
    command = [str(GUNICORN), "--workers", str(args.workers), "--worker-class", args.worker_class,
               "--threads", str(args.threads), "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
               "--error-logfile", str(log), *extra, target]
    server = subprocess.Popen(command, cwd=BENCH, env={**os.environ, **env}, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).close()
            return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    sys.exit(f"gunicorn {target} did not start; see {log}")


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    server.wait(timeout=30)


def csrf_session(base: str, event_id: int) -> tuple[str, str]:
    """A session cookie and its CSRF token, as a browser holds them after opening the form."""
    with urllib.request.urlopen(f"{base}/events/{event_id}/register") as response:
        cookie = response.headers["Set-Cookie"].split(";", 1)[0]
        page = response.read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', page)
    return cookie, token.group(1)


def run_wrk(base: str, scenario: Scenario, args: argparse.Namespace, workdir: Path, seconds: float) -> dict:
    script = workdir / f"{abs(hash(scenario.name))}.lua"
    setup = [f'wrk.method = "{scenario.method}"']
    for key, value in (scenario.headers or {}).items():
        setup.append(f'wrk.headers["{key}"] = "{value}"')
    if scenario.body:
        setup.append(f"wrk.body = {json.dumps(scenario.body)}")
    script.write_text("\n".join([LUA_COMMON, *setup, scenario.script]), encoding="utf-8")
    command = ["wrk", "-t", str(args.wrk_threads), "-c", str(args.connections), "-d", f"{seconds}s",
               "--timeout", "10s", "-s", str(script), base + scenario.path]
    if scenario.args:
        command += ["--", *map(str, scenario.args)]
    finished = subprocess.run(command, capture_output=True, text=True, check=True)
    line = next(line for line in finished.stdout.splitlines() if line.startswith("RESULT "))
    return json.loads(line[len("RESULT "):])


def measure(base: str, scenario: Scenario, args: argparse.Namespace, workdir: Path, warm_up: bool = True) -> Outcome:
    if warm_up:
        run_wrk(base, scenario, args, workdir, 2)
    busy_before, total_before = cpu_times()
    result = run_wrk(base, scenario, args, workdir, args.duration)
    busy, total = cpu_times()
    busy, total = busy - busy_before, total - total_before
    errors = sum(result[key] for key in ("connect", "read", "write", "status", "timeout"))
    return Outcome(scenario.name, result["requests"] / (result["duration_us"] / 1e6), result["p50_us"] / 1000,
                   result["p99_us"] / 1000, result["requests"], errors, busy / total,
                   1000 * busy / max(result["requests"], 1))


def database_checks(url: str, data: dict) -> dict:
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        checkins = connection.scalar(sa.text(
            "SELECT count(*) FROM checkins JOIN registrations r ON r.id = checkins.registration_id"
            " WHERE r.event_id = :event"), {"event": data["door"]})
        double = connection.scalar(sa.text(
            "SELECT count(*) FROM (SELECT registration_id FROM checkins GROUP BY registration_id"
            " HAVING count(*) > 1) AS d"))
        by_status = dict(connection.execute(sa.text(
            "SELECT status, count(*) FROM registrations WHERE event_id = :event GROUP BY status"),
            {"event": data["open_event"]}).all())
    engine.dispose()
    return {"checkins": checkins, "double_checkins": double, "registrations": by_status}


def table(outcomes: list[Outcome], bare: Outcome, write: Outcome) -> list[str]:
    rows = [f"{'':<34} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'requests':>9} {'errors':>7}"
            f" {'× bare':>7} {'× write':>8} {'CPU busy':>9} {'CPU ms/req':>11}"]
    for outcome in [bare, write, *outcomes]:
        rows.append(f"{outcome.name:<34} {outcome.per_second:>8.0f} {outcome.p50_ms:>8.1f} {outcome.p99_ms:>8.1f}"
                    f" {outcome.requests:>9} {outcome.errors:>7} {outcome.per_second / bare.per_second:>7.2f}"
                    f" {outcome.per_second / write.per_second:>8.2f} {outcome.busy:>8.0%} {outcome.cpu_ms:>11.2f}")
    return rows


@dataclass
class Sequential:
    client_ms: float  # the client's round trip on a kept-alive connection: server time plus loopback
    server_ms: float  # gunicorn's own time of the request (%(D)s: from request read to response sent)


def sequential(base: str, path: str, headers: dict, access_log: Path, count: int = 200) -> Sequential:
    """The medians of `count` requests, one at a time, when nobody else is asking, after 20 to warm
    up, on one kept-alive connection (as an API client holds it). The server's own time is read
    from the access log of the gunicorn that answered them (started with log_server_time)."""
    connection = http.client.HTTPConnection(base.removeprefix("http://"), timeout=30)
    timings = []
    for n in range(count + 20):
        if n == 20:
            access_log.write_text("")  # the warm-up's lines go
        started = time.perf_counter()
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            sys.exit(f"{path} answered {response.status}")
        if n >= 20:
            timings.append(time.perf_counter() - started)
    connection.close()
    deadline = time.monotonic() + 10
    while len(server := access_log.read_text().split()) < count and time.monotonic() < deadline:
        time.sleep(0.1)  # gunicorn writes its line after the answer
    return Sequential(statistics.median(timings) * 1000, statistics.median(int(us) for us in server[:count]) / 1000)


def log_server_time(access_log: Path) -> list[str]:
    """gunicorn options that write each request's own time, in microseconds, one per line."""
    return ["--access-logfile", str(access_log), "--access-logformat", "%(D)s"]


def ceilings(args: argparse.Namespace, workdir: Path, url: str, base: str, port: int) -> tuple[Outcome, Outcome]:
    """The bare endpoint and the durable write, each under the same gunicorn settings as the app."""
    print("bare Flask endpoint…", flush=True)
    server = start_gunicorn("baseline:bare_app()", port, args, {}, workdir / "bare.log")
    try:
        bare = measure(base, Scenario("bare Flask endpoint", "/"), args, workdir)
    finally:
        stop(server)
    print("durable write…", flush=True)
    libpq_url = url.replace("postgresql+psycopg://", "postgresql://")
    server = start_gunicorn("baseline:durable_write_app()", port, args, {"BENCH_WRITE_URL": libpq_url},
                            workdir / "write.log")
    try:
        write = measure(base, Scenario("durable write (INSERT+commit)", "/", "POST"), args, workdir)
    finally:
        stop(server)
    return bare, write


SCENARIO_KEYS = ("checkin", "registration", "summary", "public-list", "event-page")


def app_scenarios(data: dict, base: str, args: argparse.Namespace) -> dict[str, tuple[Scenario, bool]]:
    cookie, csrf = csrf_session(base, data["open_event"])
    form = urllib.parse.urlencode({"csrf_token": csrf, "family_name": "負荷", "family_kana": "ふか",
                                   "mode": "in_person", "consent": "y"})  # the person's own fields: LUA_REGISTRATION
    return {
        "checkin": (Scenario("check-in API (new ticket each)", f"/api/v1/events/{data['door']}/checkins", "POST",
                             {"Authorization": f"Bearer {data['reception']}", "Content-Type": "application/json"},
                             script=LUA_CHECKIN, args=(data["tickets"], args.wrk_threads)), False),
        "registration": (Scenario("registration form (new person)", f"/events/{data['open_event']}/register", "POST",
                                  {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
                                  body=form, script=LUA_REGISTRATION), False),
        "summary": (Scenario("event summary API", f"/api/v1/events/{data['summary_event']}/summary", "GET",
                             {"Authorization": f"Bearer {data['organizer']}"}), True),
        "public-list": (Scenario("public event list", "/"), True),
        "event-page": (Scenario("event page (a phone's browser)", f"/events/{data['open_event']}", "GET",
                                {"User-Agent": PHONE_BROWSER}), True),
    }


def aims(found: dict[str, Outcome], bare: Outcome, write: Outcome, one_at_a_time: Sequential | None) -> str:
    said = []
    if "checkin" in found:
        said.append(f"check-in ≥ 0.5× write: {found['checkin'].per_second / write.per_second:.2f}×")
    if "registration" in found:
        said.append(f"registration ≥ 0.25× write: {found['registration'].per_second / write.per_second:.2f}×")
    for key in ("public-list", "event-page"):
        if key in found:
            said.append(f"{key} ≥ 0.5× bare: {found[key].per_second / bare.per_second:.2f}×")
    if one_at_a_time is not None:
        said.append(f"summary ≤ 5 ms server time, one at a time: {one_at_a_time.server_ms:.1f} ms")
    return "aims: " + "; ".join(said)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per scenario")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--worker-class", default="gthread")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker (gthread)")
    parser.add_argument("--only", default=",".join(SCENARIO_KEYS),
                        help=f"comma-separated scenarios: {','.join(SCENARIO_KEYS)}")
    args = parser.parse_args()
    chosen = [key.strip() for key in args.only.split(",") if key.strip()]
    if unknown := set(chosen) - set(SCENARIO_KEYS):
        parser.error(f"unknown scenarios: {', '.join(sorted(unknown))} (choose from {', '.join(SCENARIO_KEYS)})")
    require_tools()
    RESULTS.mkdir(exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="eventsapp-load-"))
    print("preparing the database (demo programme and 60,000 tickets)…", flush=True)
    url = fresh_database()
    data = prepare(url, workdir)
    prefix = f"eventsapp-bench-{os.getpid()}"
    env = {
        "DATABASE_URL": url, "SECRET_KEY": secrets.token_urlsafe(48), "FLASK_PRODUCTION": "true",
        "FLASK_RATELIMIT_STORAGE_URI": REDIS_URL, "FLASK_RATELIMIT_KEY_PREFIX": prefix,
        "FLASK_CHECKIN_RATE_LIMIT": HIGH_LIMIT, "FLASK_PUBLIC_FORM_RATE_LIMIT": HIGH_LIMIT,
        "FLASK_MAIL_SEND_AFTER_REQUEST": "false", "FLASK_PUBLIC_BASE_URL": "http://127.0.0.1:8765",
    }
    port = 8765
    base = f"http://127.0.0.1:{port}"
    bare, write = ceilings(args, workdir, url, base, port)

    found: dict[str, Outcome] = {}
    one_at_a_time = None
    try:
        server = start_gunicorn("eventsapp:create_app()", port, args, env, workdir / "app.log")
        try:
            scenarios = app_scenarios(data, base, args)
            for key in chosen:
                scenario, warm_up = scenarios[key]
                print(f"{scenario.name}…", flush=True)
                found[key] = measure(base, scenario, args, workdir, warm_up)
        finally:
            stop(server)
        if "summary" in chosen:  # again, one at a time, from a server that logs its own time
            print("event summary API, one request at a time…", flush=True)
            access_log = workdir / "access.log"
            server = start_gunicorn("eventsapp:create_app()", port, args, env, workdir / "app.log",
                                    log_server_time(access_log))
            try:
                summary, _ = scenarios["summary"]
                one_at_a_time = sequential(base, summary.path, summary.headers, access_log)
            finally:
                stop(server)
    finally:
        store = redis.Redis.from_url(REDIS_URL)
        for key in store.scan_iter(f"{prefix}*"):
            store.delete(key)

    checks = database_checks(url, data)
    registered = checks["registrations"].get("registered", 0)
    lines = [
        f"load benchmark, {time.strftime('%Y-%m-%d %H:%M')}: {platform.node()} · {os.cpu_count()} CPUs · "
        f"{platform.python_implementation()} {platform.python_version()} · PostgreSQL, Redis rate-limit store",
        f"gunicorn --workers {args.workers} --worker-class {args.worker_class} --threads {args.threads};"
        f" wrk -t{args.wrk_threads} -c{args.connections} -d{args.duration}s on loopback, all on one machine",
        "",
        *table([found[key] for key in chosen], bare, write),
        "",
    ]
    if "checkin" in found:
        checkin = found["checkin"]
        lines.append(f"check-ins written: {checks['checkins']} (201 answers counted by wrk: {checkin.requests - checkin.errors});"
                     f" tickets checked in twice: {checks['double_checkins']}")
    if "registration" in found:
        lines.append(f"registrations: {registered} confirmed of capacity {REGISTRATION_CAPACITY},"
                     f" {checks['registrations'].get('waitlisted', 0)} waitlisted;"
                     f" overbooked: {max(0, registered - REGISTRATION_CAPACITY)}")
    if one_at_a_time is not None:
        lines.append(f"event summary API one request at a time (median of 200): {one_at_a_time.server_ms:.1f} ms"
                     f" server time (gunicorn's own), {one_at_a_time.client_ms:.1f} ms at the client (kept-alive)")
    lines.append(aims(found, bare, write, one_at_a_time))
    report = "\n".join(lines)
    print(report)
    (RESULTS / "load.txt").write_text(report + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
