"""Shared set-up of the browser tests and of screenshots.py: the app with the demo programme
on a scratch SQLite file, served from a background thread, and Chromium launched offline.

Plain functions (no pytest) so that the screenshot script, run by hand, uses exactly what
the tests use.
"""
import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask, got_request_exception
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--disable-gpu", "--disable-quic"]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
CONTEXT_DEFAULTS = {"locale": "ja-JP", "timezone_id": "Asia/Tokyo"}

ORGANIZER = "organizer"
PASSWORD = "correct-horse-battery"


def build_app(directory: Path) -> Flask:
    """The app on a new SQLite file in `directory`: migrated, demo programme loaded,
    one organizer account. CSRF stays on (the default), as in production."""
    from flask_migrate import upgrade

    from eventsapp import create_app
    from eventsapp.auth.models import Role
    from eventsapp.auth.service import create_user
    from eventsapp.demo.programme import load_demo
    from eventsapp.extensions import db

    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{directory / 'browser.sqlite3'}",
            "RATELIMIT_ENABLED": False,
        }
    )
    app.extensions["browser_test_errors"] = record_server_errors(app)
    with app.app_context():
        upgrade()
        load_demo(db.session)
        create_user(db.session, username=ORGANIZER, role=Role.ORGANIZER, password=PASSWORD)
        db.session.commit()
        db.session.remove()
    return app


def record_server_errors(app: Flask) -> list[BaseException]:
    """Exceptions raised while the app answered a request (a browser only sees the 500 page;
    under pyproject's filterwarnings=error a deprecation warning in a view is one too)."""
    errors: list[BaseException] = []

    def record(sender, exception, **extra):
        errors.append(exception)

    got_request_exception.connect(record, app, weak=False)
    return errors


@contextmanager
def serve(app: Flask) -> Iterator[str]:
    """Serve `app` on a free port of 127.0.0.1 from a thread; yields its base URL."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="browser-test-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
        with app.app_context():
            from eventsapp.extensions import db

            db.engine.dispose()


def launch_chromium(playwright):
    """Debian's Chromium (Playwright never downloads a browser here)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def block_remote_requests(context, refused: list[str] | None = None) -> list[str]:
    """Abort every request to a host that is not this machine and record its URL in `refused`
    (returned), which a test asserts empty: it proves that no page needs a CDN."""
    refused = [] if refused is None else refused

    def handle(route):
        url = route.request.url
        if urlsplit(url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            refused.append(url)
            route.abort("blockedbyclient")

    context.route("**/*", handle)
    return refused


def log_in(page, base_url: str, username: str = ORGANIZER, password: str = PASSWORD, *,
           landing: str = "/admin/") -> None:
    """Log in through the real login form (CSRF token included) and wait for the page the
    role lands on: /admin/ for organizers, /checkin/ for reception staff."""
    page.goto(f"{base_url}/login")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.get_by_role("button", name="ログイン").click()
    page.wait_for_url(f"{base_url}{landing}")
