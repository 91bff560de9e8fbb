"""In-process benchmark: the public event list and the events API against a bare Flask
endpoint, in the same run, through the WSGI test client (no network, one thread).

This measures the application's own cost per request. The load test under gunicorn with
several workers, PostgreSQL and Redis is a separate, larger benchmark. Results are printed
as a table and written to bench/results/inprocess.txt. Never run inside the test suite.
"""
import statistics
import sys
import tempfile
import time
from pathlib import Path

from flask_migrate import upgrade

from baseline import bare_app
from eventsapp import create_app
from eventsapp.auth.models import Role
from eventsapp.auth.service import create_user, issue_token
from eventsapp.demo.programme import load_demo
from eventsapp.extensions import db

ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 300


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


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="eventsapp-bench-"))
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir / 'bench.sqlite3'}", "RATELIMIT_ENABLED": False})
    with app.app_context():
        upgrade()
        load_demo(db.session)
        user, _ = create_user(db.session, username="bench", role=Role.ORGANIZER, password="bench-password-123")
        token = issue_token(db.session, user=user)
    cases = [
        ("bare Flask endpoint", bare_app().test_client(), "/", None),
        ("public event list (22 events)", app.test_client(), "/", None),
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
    report = "\n".join([f"in-process, {ROUNDS} requests each, one thread", *rows])
    print(report)
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    (out / "inprocess.txt").write_text(report + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
