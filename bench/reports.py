"""Report benchmark at growing sizes (issue 7): the fiscal-year report of the busiest year and
the summary of the busiest event, on SQLite and PostgreSQL, against a bare Flask endpoint
timed in the same run.

    python bench/reports.py                   # 10k, 100k and 1M registrations
    python bench/reports.py 10000 100000      # the sizes given
    python bench/reports.py --engines sqlite 10000

For each engine and size: a fresh database (a SQLite file in a temp dir, or a throwaway
PostgreSQL schema, dropped at the end), the Alembic migrations, `demo scale` (persons =
registrations / 10, events = registrations / 500, over 10 fiscal years), then the median of a
few runs of each report. PostgreSQL gets a VACUUM ANALYZE after the bulk load, as autovacuum
would do; SQLite no ANALYZE (the app never runs one). Results go to stdout and bench/results/reports.txt.
Never run inside the test suite; PostgreSQL is skipped with a message when unreachable.
"""
import argparse
import os
import platform
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import sqlalchemy as sa
from flask_migrate import upgrade

from baseline import bare_app
from eventsapp import create_app
from eventsapp.catalog.models import Event
from eventsapp.demo.scale import generate
from eventsapp.extensions import db
from eventsapp.registration.models import Registration
from eventsapp.reports.summary import event_summaries, fiscal_year_report

PG_URL = os.environ.get("BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
DEFAULT_SIZES = (10_000, 100_000, 1_000_000)


def bare_request_seconds(rounds: int = 2000) -> float:
    """Median time of one request to a bare Flask endpoint through the test client."""
    client = bare_app().test_client()
    for _ in range(100):
        client.get("/")
    timings = []
    for _ in range(rounds):
        start = time.perf_counter()
        client.get("/")
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def median_seconds(call, runs: int) -> float:
    call()  # warm up: caches, statement compilation
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def postgres_reachable() -> bool:
    try:
        engine = sa.create_engine(PG_URL, connect_args={"connect_timeout": 2})
        with engine.connect():
            pass
        engine.dispose()
        return True
    except Exception:
        return False


class Database:
    """A fresh, empty database of one engine; drop() removes it."""

    def __init__(self, engine: str, workdir: Path):
        self.engine = engine
        if engine == "sqlite":
            self.path = workdir / f"reports-{uuid.uuid4().hex[:8]}.sqlite3"
            self.url = f"sqlite:///{self.path}"
        else:
            self.schema = f"bench_{uuid.uuid4().hex[:10]}"
            with sa.create_engine(PG_URL).begin() as conn:
                conn.execute(sa.text(f"CREATE SCHEMA {self.schema}"))
            self.url = f"{PG_URL}{'&' if '?' in PG_URL else '?'}options=-csearch_path%3D{self.schema}"

    def drop(self) -> None:
        if self.engine == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        else:
            admin = sa.create_engine(PG_URL)
            with admin.begin() as conn:
                conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {self.schema} CASCADE"))
            admin.dispose()


def shape(size: int) -> dict:
    return {"registrations": size, "persons": max(200, size // 10), "events": max(20, size // 500), "years": 10}


def run_one(engine: str, size: int, workdir: Path, bare: float) -> dict:
    database = Database(engine, workdir)
    try:
        app = create_app({"SQLALCHEMY_DATABASE_URI": database.url, "RATELIMIT_ENABLED": False})
        with app.app_context():
            upgrade()
            started = time.perf_counter()
            generate(db.session, **shape(size), seed=1, echo=lambda _line: None)
            generation = time.perf_counter() - started
            if engine == "postgresql":
                with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                    conn.execute(sa.text("VACUUM ANALYZE"))
            per_year = sa.func.count(Registration.id)
            year = db.session.execute(
                sa.select(Event.fiscal_year).join(Registration, Registration.event_id == Event.id)
                .group_by(Event.fiscal_year).order_by(per_year.desc(), Event.fiscal_year).limit(1)).scalar()
            busiest = db.session.execute(
                sa.select(Event.id).join(Registration, Registration.event_id == Event.id)
                .where(Event.fiscal_year == year).group_by(Event.id)
                .order_by(sa.func.count(Registration.id).desc(), Event.id).limit(1)).scalar()
            year_registrations = db.session.scalar(
                sa.select(sa.func.count(Registration.id)).join(Event, Event.id == Registration.event_id)
                .where(Event.fiscal_year == year))
            runs = 5 if size <= 100_000 else 3

            def report():
                fiscal_year_report(db.session, year)
                db.session.rollback()

            def summary():
                event_summaries(db.session, [busiest])
                db.session.rollback()

            result = {"engine": engine, "size": size, "generation": generation, "year": year,
                      "year_registrations": year_registrations,
                      "report": median_seconds(report, runs), "summary": median_seconds(summary, max(runs, 5)),
                      "bare": bare}
            db.session.remove()
            db.engine.dispose()
        return result
    finally:
        database.drop()


def table(results: list[dict]) -> str:
    head = (f"{'engine':<10} {'registrations':>13} {'generate':>9} {'FY (regs)':>15} {'FY report':>10} {'× bare':>9}"
            f" {'growth':>7} {'event summary':>14} {'× bare':>8} {'growth':>7}")
    lines = [head, "-" * len(head)]
    previous: dict[str, dict] = {}
    for row in results:
        before = previous.get(row["engine"])

        def growth(key: str, row: dict = row, before: dict | None = before) -> str:
            return f"×{row[key] / before[key]:.1f}" if before else ""

        lines.append(
            f"{row['engine']:<10} {row['size']:>13,} {row['generation']:>8.1f}s"
            f" {row['year']:>5} ({row['year_registrations']:>7,})"
            f" {row['report'] * 1000:>8.0f}ms {row['report'] / row['bare']:>9,.0f} {growth('report'):>7}"
            f" {row['summary'] * 1000:>12.1f}ms {row['summary'] / row['bare']:>8,.0f} {growth('summary'):>7}")
        previous[row["engine"]] = row
    return "\n".join(lines)


def machine() -> str:
    cpu = ""
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return f"{os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=list(DEFAULT_SIZES), help="registrations")
    parser.add_argument("--engines", default="sqlite,postgresql")
    args = parser.parse_args()
    engines = [e for e in args.engines.split(",") if e]
    notes = []
    if "postgresql" in engines and not postgres_reachable():
        engines.remove("postgresql")
        notes.append(f"PostgreSQL skipped: {PG_URL} is unreachable")
        print(notes[-1], file=sys.stderr)
    workdir = Path(tempfile.mkdtemp(prefix="eventsapp-bench-reports-"))
    results = []
    for engine in engines:
        for size in sorted(args.sizes):
            bare = bare_request_seconds()
            print(f"{engine} {size:,}: generating and timing…", file=sys.stderr, flush=True)
            results.append(run_one(engine, size, workdir, bare))
            print(table(results), file=sys.stderr, flush=True)
    bare_line = ", ".join(f"{r['engine']} {r['size']:,}: {r['bare'] * 1e6:.0f} µs" for r in results)
    report = "\n".join([
        "reports at growing sizes: median seconds of fiscal_year_report (busiest fiscal year) and",
        "event_summaries (its busiest event); × bare = that time over one request to a bare Flask",
        "endpoint timed in the same run; growth = over the previous size of the same engine.",
        f"shape: persons = registrations/10, events = registrations/500, 10 fiscal years; {machine()}",
        *notes, "", table(results), "", f"bare Flask request (median): {bare_line}",
    ])
    print(report)
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    (out / "reports.txt").write_text(report + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
