"""In-process measure of the public pages (issue 20): the event list and an event's page as an
anonymous visitor sees them, on PostgreSQL, with rate limits on in Redis and FLASK_PRODUCTION as in
the load test, and a browser's User-Agent (its views counted). Per request: CPU milliseconds of
this process (the database's own CPU is not in it), the application's SQL statements and the
data version's reads; for a fresh render (a miss: the kept pages forgotten before each request),
a kept page (a hit) and a 304 to a matching If-None-Match. Through the test client, and the WSGI
callable alone (no test client), against a bare Flask endpoint in the same run.

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/eventsapp_pages \\
        PYTHONPATH=.:bench python bench/pages.py [ROUNDS] [--profile hit|304|miss|list]

The database must hold the demo (flask --app eventsapp demo). Never run inside the test suite.
Before issue 20 (no eventsapp.pagecache) it measures the rendered pages only.
"""
import cProfile
import io
import os
import pstats
import secrets
import sys
import time

import sqlalchemy as sa
from werkzeug.test import EnvironBuilder

from baseline import bare_app
from eventsapp import create_app
from eventsapp.catalog.models import Event, EventStatus
from eventsapp.dates import now
from eventsapp.extensions import db

try:
    from eventsapp.pagecache import page_cache
except ImportError:  # before issue 20: nothing is kept
    page_cache = None

ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 300
BROWSER = {"User-Agent": "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
                         "Chrome/126.0 Mobile Safari/537.36"}
HIGH_LIMIT = "10000000 per minute"


class Statements:
    def __init__(self):
        self.count = 0

    def __call__(self, *args):
        self.count += 1


def version_reads(app) -> int:
    reader = page_cache(app).reader if page_cache and "pagecache" in app.extensions else None
    return reader.reads if reader else 0


def through_client(app, client, path, *, headers, counter=None, before=None, expect=200):
    """(CPU ms, wall ms, app statements, version reads) per request, averaged over ROUNDS."""
    for _ in range(10):
        if before:
            before()
        client.get(path, headers=headers)
    cpu = wall = 0.0
    statements = reads = 0
    for _ in range(ROUNDS):
        if before:
            before()
        counted, read = (counter.count if counter else 0), version_reads(app)
        c0, w0 = time.process_time(), time.perf_counter()
        response = client.get(path, headers=headers)
        cpu += time.process_time() - c0
        wall += time.perf_counter() - w0
        statements += (counter.count if counter else 0) - counted
        reads += version_reads(app) - read
        assert response.status_code == expect, (path, response.status_code)
    return cpu / ROUNDS * 1000, wall / ROUNDS * 1000, statements / ROUNDS, reads / ROUNDS


def wsgi_call(wsgi, path, headers):
    """One request to the WSGI callable itself, the environ built once: what gunicorn would call."""
    environ = EnvironBuilder(path=path, headers=headers).get_environ()
    answer = {}

    def start_response(status, _headers, _exc_info=None):
        answer["status"] = status

    def once():
        body = wsgi(dict(environ), start_response)
        b"".join(body)
        getattr(body, "close", lambda: None)()
        return answer["status"]

    return once


def direct(wsgi, path, headers, expect="200"):
    once = wsgi_call(wsgi, path, headers)
    for _ in range(20):
        once()
    c0 = time.process_time()
    for _ in range(ROUNDS):
        status = once()
    assert status.startswith(expect), status
    return (time.process_time() - c0) / ROUNDS * 1000


def main() -> None:
    profile = sys.argv[sys.argv.index("--profile") + 1] if "--profile" in sys.argv else None
    app = create_app({
        "SECRET_KEY": secrets.token_urlsafe(48), "PRODUCTION": True, "PUBLIC_BASE_URL": "http://localhost",
        "RATELIMIT_STORAGE_URI": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0"),
        "RATELIMIT_KEY_PREFIX": f"bench-pages-{os.getpid()}", "PUBLIC_FORM_RATE_LIMIT": HIGH_LIMIT,
        "CHECKIN_RATE_LIMIT": HIGH_LIMIT,
    })
    counter = Statements()
    with app.app_context():
        event_id = db.session.scalar(sa.select(Event.id).where(Event.status == EventStatus.PUBLISHED,
                                                               Event.ends_at > now()).order_by(Event.starts_at))
        db.session.remove()
        sa.event.listen(db.engine, "before_cursor_execute", counter)
    page = f"/events/{event_id}"

    def forget():
        page_cache(app).pages.clear()

    client, bare = app.test_client(), bare_app()
    rows = [("bare Flask endpoint", through_client(bare, bare.test_client(), "/", headers={}))]
    for name, path in (("list", "/"), ("event page", page)):
        if page_cache:
            rows.append((f"{name}: miss", through_client(app, client, path, headers=BROWSER, counter=counter,
                                                         before=forget)))
        rows.append((f"{name}: anonymous GET", through_client(app, client, path, headers=BROWSER, counter=counter)))
        etag = client.get(path, headers=BROWSER).headers.get("ETag")
        if etag:
            rows.append((f"{name}: If-None-Match → 304", through_client(
                app, client, path, headers={**BROWSER, "If-None-Match": etag}, counter=counter, expect=304)))
    print(f"{ROUNDS} requests each, event {event_id}, PostgreSQL. Through the test client, per request:")
    print(f"{'':<36} {'CPU ms':>8} {'wall ms':>8} {'SQL':>5} {'+version':>9}")
    for name, (cpu, wall, statements, reads) in rows:
        print(f"{name:<36} {cpu:>8.3f} {wall:>8.3f} {statements:>5.1f} {reads:>9.1f}")
    print("The WSGI callable alone (no test client), CPU ms per request:")
    print(f"{'bare Flask endpoint':<36} {direct(bare, '/', {}):>8.3f}")
    for name, path in (("list", "/"), ("event page", page)):
        print(f"{name + ': anonymous GET':<36} {direct(app, path, BROWSER):>8.3f}")
    etag = client.get(page, headers=BROWSER).headers.get("ETag")
    if etag:
        print(f"{'event page: If-None-Match → 304':<36} {direct(app, page, {**BROWSER, 'If-None-Match': etag}, '304'):>8.3f}")
    if profile:
        headers = {**BROWSER, "If-None-Match": etag} if profile == "304" else BROWSER
        once = wsgi_call(app, "/" if profile == "list" else page, headers)
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(ROUNDS):
            if profile == "miss":
                forget()
            once()
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(35)
        print(f"\ncProfile of {ROUNDS} requests ({profile}, the WSGI callable alone), by cumulative time:")
        print(out.getvalue().strip())


if __name__ == "__main__":
    main()
